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
  // The CLI (bin) and the `npm start` demo: Node-only ESM, the library bundled in.
  {
    entry: { cli: "src/cli.ts", demo: "src/demo/main.ts" },
    format: ["esm"],
    platform: "node",
    target: "node20",
    external: ["undici"],
    banner: { js: "#!/usr/bin/env node" },
    clean: false,
    sourcemap: false,
  },
]);
