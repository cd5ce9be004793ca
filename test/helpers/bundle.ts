/**
 * Bundles a source entry into one ES module for child processes (which cannot load
 * TypeScript), under node_modules/.cache so its bare imports (undici) resolve to the
 * project's packages. Independent of the tsup build and its file names.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../..", import.meta.url));

export async function bundleEntry(entry: string, name: string): Promise<string> {
  const directory = `${root}node_modules/.cache/universal-eventsource-test`;
  mkdirSync(directory, { recursive: true });
  const outfile = `${directory}/${name}.mjs`;
  await build({
    entryPoints: [`${root}${entry}`],
    bundle: true,
    format: "esm",
    platform: "node",
    external: ["undici"],
    // The full build's flag, as in vitest.config.ts (src/lean-build.d.ts).
    define: { LEAN_BUILD: "false" },
    outfile,
    logLevel: "error",
  });
  return outfile;
}
