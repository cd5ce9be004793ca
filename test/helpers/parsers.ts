/**
 * The builds of the parser, for tests that must hold for each: the sources as the full builds
 * have them, Node's byte paths around them, and the lean build (LEAN_BUILD true: what the
 * standard browser builds carry, without the extras `onComment`, `onError` and `maxEventSize`),
 * bundled here with esbuild since vitest runs the sources with the flag false.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildSync } from "esbuild";
// What `universal-eventsource/parser` gives under the `node` condition.
import { createParser as createNodeParser } from "../../src/entries/parser-node.js";
import { createParser } from "../../src/parser.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const directory = `${root}node_modules/.cache/universal-eventsource-test`;
mkdirSync(directory, { recursive: true });
const leanFile = `${directory}/parser-lean.mjs`;
buildSync({
  entryPoints: [`${root}src/parser.ts`],
  bundle: true,
  format: "esm",
  define: { LEAN_BUILD: "true" },
  outfile: leanFile,
  logLevel: "error",
});
const lean = (await import(pathToFileURL(leanFile).href)) as { createParser: typeof createParser };

export const parsers = [
  { name: "createParser", createParser, extras: true },
  { name: "createNodeParser (Node's byte paths)", createParser: createNodeParser, extras: true },
  { name: "createParser, lean build (no extras)", createParser: lean.createParser, extras: false },
];
