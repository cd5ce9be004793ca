import { readdirSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import {
  type Options as SwcOptions,
  minify as swcMinify,
  transform as swcTransform,
} from "@swc/core";
import { build, type Plugin } from "esbuild";
import { defineConfig, type Options } from "tsup";

/**
 * The polyfill entries import the class from `./browser.js`, `./extended.js` or `./node.js`; in
 * the build those imports point at the published `index`, `extended` or `node` modules instead
 * of a copy, so the global the
 * polyfill installs is the class `import { EventSource }` gives (in CJS too).
 */
const polyfillImportsPublishedEntry: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "polyfill-imports-published-entry",
  setup(build) {
    const extension = build.initialOptions.format === "cjs" ? "cjs" : "js";
    build.onResolve({ filter: /^\.\/(browser|extended|node)\.js$/ }, (args) => {
      if (!/polyfill[^/\\]*\.ts$/.test(args.importer)) return undefined;
      const target = args.path === "./browser.js" ? "index" : args.path.slice(2, -3);
      return { path: `./${target}.${extension}`, external: true };
    });
  },
};

/**
 * Short names for the TypeScript-private members (`_name`), which are never public: `_0`, `_1`...
 * Still `_`-prefixed, so a user's subclass with short member names of its own (`a`, `t`)
 * cannot overwrite the source's state by accident.
 */
function privateMemberNames(): Record<string, string> {
  const uses = new Map<string, number>();
  for (const file of readdirSync("src", { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".ts")) continue;
    for (const match of readFileSync(join("src", file), "utf8").matchAll(/\.(_[A-Za-z]\w*)/g)) {
      const name = match[1] as string;
      uses.set(name, (uses.get(name) ?? 0) + 1);
    }
  }
  // The most used members get the one-character suffixes; ties in name order, so the names
  // do not change from one build to the next.
  const names = [...uses.keys()].sort(
    (a, b) => (uses.get(b) as number) - (uses.get(a) as number) || (a < b ? -1 : 1),
  );
  return Object.fromEntries(names.map((name, i) => [name, `_${i.toString(36)}`]));
}

/**
 * TypeScript-private members are shortened (above); class fields are assigned in the
 * constructor rather than defined through a helper (same behaviour here: no field is read
 * before the constructor sets it).
 */
const shortenPrivateMembers: NonNullable<Options["esbuildOptions"]> = (options) => {
  options.mangleProps = /^_[A-Za-z]/;
  options.mangleCache = privateMemberNames();
  options.tsconfig = undefined;
  options.tsconfigRaw = { compilerOptions: { useDefineForClassFields: false } };
};

const IIFE = "dist/universal-eventsource.iife";

/** swc's options for ES5: IE11's syntax, with the assumptions our sources allow. */
const swcES5: SwcOptions = {
  env: {
    targets: { ie: "11" },
    // `instanceof` and `typeof` stay plain (no Symbol checks).
    exclude: ["transform-instanceof", "transform-typeof-symbol"],
  },
  jsc: {
    assumptions: {
      // Only arrays are destructured or iterated (the sources' `for...of` and `[a, b]`).
      iterableIsArray: true,
      // Default parameters as `if (x === void 0)`: no function's `length` is read.
      ignoreFunctionLength: true,
      noClassCalls: true,
      // `super()` as `Base.call(this) || this`: every base is a function (the native
      // EventTarget through a wrapper, es5-globals.ts).
      superIsCallableConstructor: true,
      constantSuper: true,
      setPublicClassFields: true,
    },
    // Helpers imported from `@swc/helpers/_/_name`, resolved by `es5ClassHelpers` (below).
    externalHelpers: true,
  },
};

const SWC_HELPER = /^@swc\/helpers\/_\/_(\w+)$/;

/**
 * swc's helper imports resolved to our own, smaller ones: `@swc/helpers/_/_create_class` is
 * `createClass` of src/shims/es5-class-helpers.ts, itself lowered to ES5 by swc.
 */
const es5ClassHelpers: Plugin = {
  name: "es5-class-helpers",
  setup(build) {
    const helpers = resolve("src/shims/es5-class-helpers.ts");
    build.onResolve({ filter: SWC_HELPER }, (args) => ({ path: args.path, namespace: "swc" }));
    build.onLoad({ filter: /.*/, namespace: "swc" }, (args) => {
      const name = (SWC_HELPER.exec(args.path)?.[1] ?? "").replace(/_(\w)/g, (_, c: string) =>
        c.toUpperCase(),
      );
      return {
        contents: `export { ${name} as _ } from ${JSON.stringify(helpers)};`,
        resolveDir: dirname(helpers),
      };
    });
    build.onLoad({ filter: /es5-class-helpers\.ts$/ }, async (args) => {
      const lowered = await swcTransform(await readFile(args.path, "utf8"), {
        ...swcES5,
        filename: args.path,
        jsc: { ...swcES5.jsc, parser: { syntax: "typescript" } },
      });
      return { contents: lowered.code, loader: "js" };
    });
  },
};

/**
 * swc lowers the IIFE to ES5 (tsup's own `es5` target leaves swc's helpers as globals), then
 * esbuild wraps it in a function with our class helpers (above), strict as the modules it was
 * built from. swc's minifier makes the minified copy: on this ES5 code its output gzips some
 * 300 bytes smaller than esbuild's.
 */
async function lowerIIFEToES5(): Promise<void> {
  const lowered = await swcTransform(await readFile(`${IIFE}.js`, "utf8"), {
    ...swcES5,
    jsc: { ...swcES5.jsc, parser: { syntax: "ecmascript" } },
  });
  const bundled = await build({
    // One directive for the whole bundle (its modules are strict): swc's per-class ones go.
    stdin: {
      contents: lowered.code.replace(/^\s*"use strict";\n/gm, ""),
      resolveDir: resolve("."),
    },
    bundle: true,
    // No exports: the module's code as it is, wrapped below.
    format: "esm",
    target: "es5",
    platform: "browser",
    plugins: [es5ClassHelpers],
    write: false,
  });
  const code = `(function () {\n"use strict";\n${bundled.outputFiles[0]?.text ?? ""}})();\n`;
  await writeFile(`${IIFE}.js`, code);
  const minified = await swcMinify(code, {
    ecma: 5,
    compress: {
      ecma: 5,
      // Measured: each of these makes the gzipped file a few bytes smaller.
      passes: 3,
      hoist_vars: true,
      // A regular expression used once is written where it is used: a fresh object each time,
      // which is the same for ours (none is global or sticky, so none keeps a lastIndex).
      unsafe_regexp: true,
    },
    mangle: true,
    // Escaped, as esbuild would: a page's charset cannot garble the source.
    format: { comments: false, asciiOnly: true },
  });
  await writeFile(`${IIFE}.min.js`, minified.code);
}

/** What the ESM/CJS builds share: the lean and the full ones differ only in their entries and flag. */
const modules: Options = {
  format: ["esm", "cjs"],
  // Each entry a self-contained file: shared chunks come with bare `import "./chunk.js"`
  // lines, which bundlers honouring `sideEffects` drop with a warning in users' builds.
  splitting: false,
  dts: true,
  // The configs build in parallel: a clean here could delete another config's output
  // mid-build. `npm run build` empties dist/ once, before tsup starts.
  clean: false,
  target: "es2020",
  platform: "neutral",
  external: ["undici"],
  sourcemap: false,
  // Folds LEAN_BUILD (below) away: the flag's dead branches are not shipped.
  minifySyntax: true,
  esbuildPlugins: [polyfillImportsPublishedEntry],
  esbuildOptions: shortenPrivateMembers,
};

export default defineConfig([
  // The standard browser builds (`.` and `./polyfill` under the `browser` condition): the
  // standard class alone, so LEAN_BUILD leaves out what only the extended class and Node reach
  // (src/lean-build.d.ts).
  {
    ...modules,
    entry: { index: "src/entries/browser.ts", polyfill: "src/entries/polyfill.ts" },
    define: { LEAN_BUILD: "true" },
  },
  // Everything else: the extended and Node builds, the parser alone, their polyfills.
  {
    ...modules,
    define: { LEAN_BUILD: "false" },
    entry: {
      extended: "src/entries/extended.ts",
      node: "src/entries/node.ts",
      parser: "src/parser.ts",
      "parser-node": "src/entries/parser-node.ts",
      "polyfill-extended": "src/entries/polyfill-extended.ts",
      "polyfill-node": "src/entries/polyfill-node.ts",
    },
  },
  // The script-tag build: the DOM and URL stand-ins injected in place of the globals, lowered
  // to ES5 by swc (below), then a minified copy.
  {
    entry: { "universal-eventsource.iife": "src/entries/iife.ts" },
    // A module: esbuild wraps it in a function once it is lowered (lowerIIFEToES5).
    format: ["esm"],
    target: "es2017",
    platform: "browser",
    inject: ["src/shims/es5-globals.ts"],
    // ES2015 functions the core calls, mapped to ES5 ones (or the stand-ins injected above).
    define: {
      LEAN_BUILD: "true",
      "Number.parseInt": "parseInt",
      "Number.isInteger": "numberIsInteger",
      "Number.isNaN": "numberIsNaN",
    },
    outExtension: () => ({ js: ".js" }),
    clean: false,
    sourcemap: false,
    esbuildOptions: shortenPrivateMembers,
    onSuccess: lowerIIFEToES5,
  },
  // The CLI (bin) and the `npm start` demo: Node-only ESM, the library bundled in.
  {
    entry: { cli: "src/cli.ts", demo: "src/demo/main.ts" },
    format: ["esm"],
    platform: "node",
    target: "node20",
    external: ["undici"],
    define: { LEAN_BUILD: "false" },
    banner: { js: "#!/usr/bin/env node" },
    clean: false,
    sourcemap: false,
  },
]);
