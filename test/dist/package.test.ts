/**
 * The published package, installed from its tarball: lint of the manifest (publint, attw), the
 * exports map per runtime condition, undici kept out of browser bundles, and each entry loaded
 * the way users load it (ESM import, require, the polyfill, the parser alone) in Node.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/server.js";
import { installPacked, readPackageJson, root, run, type Scratch } from "./packed.js";

let scratch: Scratch;
let server: TestServer;

beforeAll(async () => {
  scratch = await installPacked();
  server = await startServer();
}, 60_000);

afterAll(async () => {
  await server?.close();
  await scratch?.remove();
});

describe("the manifest", () => {
  it("publint finds no error or warning", async () => {
    const packageJson = await readPackageJson();
    const { messages } = await publint({ pkgDir: root, level: "warning", pack: "npm" });
    const problems = messages.map((message) => formatMessage(message, packageJson));
    expect(problems).toEqual([]);
  });

  it("attw --pack finds no problem under node10, node16 (CJS and ESM) or bundler resolution", async () => {
    const attw = join(root, "node_modules/.bin/attw");
    const result = await run(attw, ["--pack", ".", "--format", "table-flipped"], {
      cwd: root,
    }).catch((error: { stdout: string; code: number }) => error);
    expect((result as { code?: number }).code ?? 0, result.stdout).toBe(0);
    expect(result.stdout).toContain("No problems found");
  });

  it("ships the builds every entry needs and no tests", () => {
    for (const file of [
      "dist/index.js",
      "dist/index.cjs",
      "dist/index.d.ts",
      "dist/index.d.cts",
      "dist/extended.js",
      "dist/extended.cjs",
      "dist/extended.d.ts",
      "dist/extended.d.cts",
      "dist/node.js",
      "dist/node.cjs",
      "dist/node.d.ts",
      "dist/node.d.cts",
      "dist/polyfill.js",
      "dist/polyfill-extended.js",
      "dist/polyfill-extended.cjs",
      "dist/polyfill-node.cjs",
      "dist/parser.js",
      "dist/parser.d.cts",
      "dist/parser-node.js",
      "dist/parser-node.cjs",
      "dist/parser-node.d.ts",
      "dist/universal-eventsource.iife.js",
      "dist/universal-eventsource.iife.min.js",
    ]) {
      expect(scratch.files).toContain(file);
    }
    expect(scratch.files.filter((file) => file.startsWith("test/"))).toEqual([]);
  });

  it("sideEffects lists the polyfill and script-tag files only", async () => {
    const { sideEffects } = await readPackageJson();
    expect(sideEffects).toEqual([
      "./dist/polyfill.js",
      "./dist/polyfill.cjs",
      "./dist/polyfill-extended.js",
      "./dist/polyfill-extended.cjs",
      "./dist/polyfill-node.js",
      "./dist/polyfill-node.cjs",
      "./dist/universal-eventsource.iife.js",
      "./dist/universal-eventsource.iife.min.js",
    ]);
  });
});

/** Bundles `export { <name> } from <specifier>` from the scratch dir: the code and its inputs. */
async function bundle(
  specifier: string,
  options: { platform: "browser" | "node" | "neutral"; conditions?: string[]; name?: string },
): Promise<{ code: string; inputs: string[]; warnings: string[] }> {
  const entry = join(scratch.dir, "entry.js");
  const name = options.name ?? "EventSource";
  await writeFile(entry, `export { ${name} } from ${JSON.stringify(specifier)};\n`);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    metafile: true,
    logLevel: "silent",
    platform: options.platform,
    // Kept out of the bundle but still listed: whether a build imports undici is what matters.
    external: ["undici"],
    ...(options.conditions === undefined ? {} : { conditions: options.conditions }),
    // Neutral means no main fields; a runtime condition is what picks the build.
    ...(options.platform === "neutral" ? { mainFields: ["module", "main"] } : {}),
  });
  return {
    code: result.outputFiles[0]?.text ?? "",
    warnings: result.warnings.map((warning) => warning.text),
    inputs: [
      ...Object.keys(result.metafile.inputs),
      ...(result.metafile.outputs["entry.js"]?.imports ?? []).map((i) => i.path),
    ].map((input) => input.replace(/.*node_modules\//, "")),
  };
}

describe("the exports map", () => {
  it.each(["universal-eventsource", "universal-eventsource/polyfill"])(
    "a browser bundle of %s is the standard build: no undici, no extension (esbuild, platform browser)",
    async (specifier) => {
      const { code, inputs, warnings } = await bundle(specifier, { platform: "browser" });
      // A user's bundler has nothing to warn about (e.g. bare chunk imports `sideEffects` drops).
      expect(warnings).toEqual([]);
      expect(inputs.filter((input) => input.includes("undici"))).toEqual([]);
      expect(code).not.toMatch(/undici/);
      expect(inputs).toContain("universal-eventsource/dist/index.js");
      expect(inputs).not.toContain("universal-eventsource/dist/extended.js");
      // The NON-SPEC options are not in it: their validation and request builder are absent.
      expect(code).not.toMatch(/heartbeatTimeout|lastEventIdQueryParameter|maxAttempts/);
      // Nor the Node-only MessageEvent stand-in (message-event.ts).
      expect(code).not.toMatch(/Symbol\("lastEventId"\)/);
      // LEAN_BUILD left out what only the extended class reaches (src/lean-build.d.ts): the
      // parser's extras, the error events' reasons, the Node byte paths, the fetch
      // compatibility code.
      expect(code).not.toMatch(
        /maxEventSize|unknown field|invalid retry|network error|server closed|is not text\/event-stream/,
      );
      expect(code).not.toMatch(/"Last-Event-ID"|readable body|oneShot|EventSourceErrorEvent/);
    },
  );

  it("a browser bundle of universal-eventsource/extended has the extensions, no undici", async () => {
    const { code, inputs } = await bundle("universal-eventsource/extended", {
      platform: "browser",
    });
    expect(inputs).toContain("universal-eventsource/dist/extended.js");
    expect(inputs.filter((input) => input.includes("undici"))).toEqual([]);
    expect(code).toMatch(/heartbeatTimeout/);
  });

  it.each([
    ["deno", ["deno"]],
    ["bun (which also matches node)", ["bun", "node"]],
    ["worker", ["worker"]],
    ["no runtime condition (default)", []],
  ])("%s resolves to the extended fetch build", async (_name, conditions) => {
    for (const [specifier, file] of [
      ["universal-eventsource", "extended"],
      ["universal-eventsource/extended", "extended"],
      ["universal-eventsource/polyfill", "polyfill-extended"],
    ] as const) {
      const { inputs } = await bundle(specifier, { platform: "neutral", conditions });
      expect(inputs).toContain(`universal-eventsource/dist/${file}.js`);
      expect(inputs.filter((input) => input.includes("undici"))).toEqual([]);
    }
  });

  it.each(["universal-eventsource", "universal-eventsource/extended"])(
    "node resolves %s to the undici build",
    async (specifier) => {
      const { inputs } = await bundle(specifier, { platform: "node" });
      expect(inputs).toContain("universal-eventsource/dist/node.js");
      expect(inputs).toContain("undici");
    },
  );
});

describe("in Node, from the tarball", () => {
  /** A script that connects through a counting undici dispatcher and prints what it saw. */
  const connect = (load: string, resolve: string) => `
    ${load}
    const resolved = ${resolve};
    let dispatched = 0;
    class Counting extends Agent {
      dispatch(options, handler) { dispatched++; return super.dispatch(options, handler); }
    }
    const dispatcher = new Counting();
    const source = new EventSource(process.argv[2], { dispatcher });
    source.onmessage = (event) => {
      source.close();
      dispatcher.close();
      console.log(JSON.stringify({ resolved, data: event.data, id: event.lastEventId, dispatched }));
    };
    source.onerror = (event) => { console.error(event.message); process.exit(1); };
  `;

  it("ESM import gets the undici build and connects", async () => {
    await writeFile(
      join(scratch.dir, "connect.mjs"),
      connect(
        `import { EventSource } from "universal-eventsource"; import { Agent } from "undici";`,
        `import.meta.resolve("universal-eventsource")`,
      ),
    );
    const { stdout } = await scratch.node(["connect.mjs", server.url("/counter?count=1")]);
    const seen = JSON.parse(stdout);
    expect(seen.resolved).toMatch(/\/universal-eventsource\/dist\/node\.js$/);
    expect(seen).toMatchObject({ data: "1", id: "1", dispatched: 1 });
  });

  it("require gets the undici build and connects", async () => {
    await writeFile(
      join(scratch.dir, "connect.cjs"),
      connect(
        `const { EventSource } = require("universal-eventsource"); const { Agent } = require("undici");`,
        `require.resolve("universal-eventsource")`,
      ),
    );
    const { stdout } = await scratch.node(["connect.cjs", server.url("/counter?count=1")]);
    const seen = JSON.parse(stdout);
    expect(seen.resolved).toMatch(/\/universal-eventsource\/dist\/node\.cjs$/);
    expect(seen).toMatchObject({ data: "1", id: "1", dispatched: 1 });
  });

  it("the polyfill installs globalThis.EventSource where missing: the class the package exports", async () => {
    await writeFile(
      join(scratch.dir, "polyfill.mjs"),
      `delete globalThis.EventSource;
       await import("universal-eventsource/polyfill");
       const { EventSource } = await import("universal-eventsource");
       const descriptor = Object.getOwnPropertyDescriptor(globalThis, "EventSource");
       console.log(JSON.stringify({ same: globalThis.EventSource === EventSource,
         enumerable: descriptor.enumerable, writable: descriptor.writable }));`,
    );
    await writeFile(
      join(scratch.dir, "polyfill.cjs"),
      `delete globalThis.EventSource;
       require("universal-eventsource/polyfill");
       console.log(JSON.stringify({ same: globalThis.EventSource === require("universal-eventsource").EventSource }));`,
    );
    const esm = JSON.parse((await scratch.node(["polyfill.mjs"])).stdout);
    expect(esm).toEqual({ same: true, enumerable: false, writable: true });
    const cjs = JSON.parse((await scratch.node(["polyfill.cjs"])).stdout);
    expect(cjs).toEqual({ same: true });
  });

  it("the polyfill leaves an existing EventSource alone", async () => {
    await writeFile(
      join(scratch.dir, "existing.mjs"),
      `class Existing {}
       globalThis.EventSource = Existing;
       await import("universal-eventsource/polyfill");
       console.log(JSON.stringify({ kept: globalThis.EventSource === Existing }));`,
    );
    expect(JSON.parse((await scratch.node(["existing.mjs"])).stdout)).toEqual({ kept: true });
  });

  it("importing the package itself installs nothing (no side effect)", async () => {
    await writeFile(
      join(scratch.dir, "pure.mjs"),
      `delete globalThis.EventSource;
       await import("universal-eventsource");
       console.log(JSON.stringify({ global: typeof globalThis.EventSource }));`,
    );
    expect(JSON.parse((await scratch.node(["pure.mjs"])).stdout)).toEqual({ global: "undefined" });
  });

  it("universal-eventsource/parser works alone (import and require), importing nothing", async () => {
    // Text in one piece, then UTF-8 bytes one at a time (the node build's byte paths), through
    // `feed` detached from the parser, as `stream.on("data", parser.feed)` calls it.
    const script = (load: string) => `${load}
      const events = [];
      const parser = createParser({ onEvent: (event) => events.push(event) });
      parser.feed("id: 7\\ndata: a\\n\\nevent: b\\ndata: c\\r\\n\\r\\n");
      const { feed } = parser;
      for (const byte of new TextEncoder().encode("data: \\u00e9\\u{1F600}\\r\\n\\n")) {
        feed(new Uint8Array([byte]));
      }
      console.log(JSON.stringify(events));`;
    await writeFile(
      join(scratch.dir, "parser.mjs"),
      script(`import { createParser } from "universal-eventsource/parser";`),
    );
    await writeFile(
      join(scratch.dir, "parser.cjs"),
      script(`const { createParser } = require("universal-eventsource/parser");`),
    );
    const expected = [
      { type: "message", data: "a", lastEventId: "7" },
      { type: "b", data: "c", lastEventId: "7" },
      { type: "message", data: "\u00e9\u{1F600}", lastEventId: "7" },
    ];
    for (const file of ["parser.mjs", "parser.cjs"]) {
      expect(JSON.parse((await scratch.node([file])).stdout)).toEqual(expected);
    }
    // Node gets the build with Node's fast byte paths; the other conditions the small one.
    await writeFile(
      join(scratch.dir, "resolve.mjs"),
      `import { createRequire } from "node:module";
       console.log(JSON.stringify([
         import.meta.resolve("universal-eventsource/parser"),
         createRequire(import.meta.url).resolve("universal-eventsource/parser"),
       ]));`,
    );
    const resolved = JSON.parse((await scratch.node(["resolve.mjs"])).stdout) as string[];
    expect(resolved[0]).toMatch(/\/dist\/parser-node\.js$/);
    expect(resolved[1]).toMatch(/[\\/]dist[\\/]parser-node\.cjs$/);
    // Alone: a bundle of the parser holds no EventSource, transport or undici.
    const { code, inputs } = await bundle("universal-eventsource/parser", {
      platform: "neutral",
      name: "createParser",
    });
    expect(inputs).toContain("universal-eventsource/dist/parser.js");
    expect(code).toContain("createParser");
    expect(code).not.toMatch(/EventTarget|undici|fetch\(/);
  });
});
