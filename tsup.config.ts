import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: {
      index: "src/entries/browser.ts",
      node: "src/entries/node.ts",
      parser: "src/parser.ts",
    },
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    target: "es2020",
    platform: "neutral",
    external: ["undici"],
    sourcemap: false,
  },
]);
