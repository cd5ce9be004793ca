import { defineConfig } from "vitest/config";

export default defineConfig({
  // The full build's flag (src/lean-build.d.ts): the tests run every branch of the sources.
  define: { LEAN_BUILD: "false" },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
