/**
 * Size of what users download, measured on the built files: each entry bundled with what it
 * imports (esbuild, minified, browser platform), then gzip level 9. 1 KB = 1024 bytes. The
 * figures are printed, and README "Three ways to load it" quotes them.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { root } from "./packed.js";

async function minGzip(file: string): Promise<number> {
  const path = join(root, "dist", file);
  const code = file.endsWith(".iife.min.js")
    ? await readFile(path)
    : (
        await build({
          entryPoints: [path],
          bundle: true,
          minify: true,
          write: false,
          format: "esm",
          platform: "browser",
          logLevel: "silent",
        })
      ).outputFiles[0]?.contents;
  return gzipSync(code ?? new Uint8Array(), { level: 9 }).length;
}

/**
 * The issue's budgets. Two are met and asserted. The script tag's 3.0 KB is not: the project
 * chose to keep what issue 4 asks of that file by name (fetch streaming where available, XHR
 * otherwise) and the stand-ins' DOM behaviour over the last 0.7 KB, which only cutting those
 * reaches (README "Sizes" has the measurements). Its ceiling, asserted instead, is its measured
 * size and a few dozen bytes, so that it does not grow unnoticed. What it carries beyond the
 * browser entry: the XHR transport, the ES5 stand-ins for EventTarget, Event, MessageEvent and
 * URL, and the ES5 class helpers and lowering.
 */
const entries: { name: string; file: string; budget?: number; ceiling?: number }[] = [
  { name: "browser ESM entry (dist/index.js)", file: "index.js", budget: 2.5 },
  {
    name: "script-tag polyfill (dist/universal-eventsource.iife.min.js)",
    file: "universal-eventsource.iife.min.js",
    budget: 3.0,
    ceiling: 3.72,
  },
  { name: "parser (dist/parser.js)", file: "parser.js", budget: 1.0 },
  // The extended browser build (`universal-eventsource/extended`) has no budget in the issue;
  // its ceiling keeps the extensions from growing unnoticed.
  { name: "extended browser build (dist/extended.js)", file: "extended.js", ceiling: 7.2 },
];

describe("size, min+gzip", () => {
  it.each(entries)("$name", async ({ name, file, budget, ceiling }) => {
    const bytes = await minGzip(file);
    const kb = bytes / 1024;
    const verdict =
      budget === undefined
        ? `no budget, ceiling ${ceiling} KB`
        : kb <= budget
          ? `within the ${budget} KB budget`
          : `OVER the ${budget} KB budget`;
    console.log(`size: ${name}: ${bytes} B = ${kb.toFixed(2)} KB, ${verdict}`);
    expect(kb).toBeLessThanOrEqual((ceiling ?? budget) as number);
  });
});
