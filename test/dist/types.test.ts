/**
 * The published declarations, compiled by a consumer project against the installed tarball:
 * with lib.dom only, and with @types/node only (no lib.dom); under moduleResolution node16
 * (import from .mts, require from .cts) and bundler. `skipLibCheck` is off, so our .d.ts files
 * are checked too; errors inside other packages' declarations (undici's need @types/node) are
 * not ours and are left out.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPacked, root, run, type Scratch } from "./packed.js";

let scratch: Scratch;
let readmeExamples: string[];

beforeAll(async () => {
  scratch = await installPacked();
  await scratch.link("@types/node");
  await scratch.link("typescript");
  await writeFile(join(scratch.dir, "consumer.ts"), consumer("ts"));
  await writeFile(join(scratch.dir, "consumer.mts"), consumer("mts"));
  await writeFile(join(scratch.dir, "consumer.cts"), consumer("cts"));
  await writeFile(join(scratch.dir, "dom-assignable.ts"), domAssignable);
  readmeExamples = await writeReadmeExamples();
}, 60_000);

afterAll(async () => {
  await scratch?.remove();
});

/** What a user writes: every entry, the typed events, the options. */
function consumer(kind: "ts" | "mts" | "cts"): string {
  return `
import { EventSource, EventSourceErrorEvent } from "universal-eventsource";
import { EventSource as Extended } from "universal-eventsource/extended";
import { createParser, type EventSourceMessage } from "universal-eventsource/parser";
import { EventSource as Installed } from "universal-eventsource/polyfill";

const source = new EventSource("https://example.test/events", { withCredentials: true });
source.onmessage = (event) => {
  const data: string = event.data;
  const id: string = event.lastEventId;
  console.log(data, id, event.origin);
};
source.addEventListener("update", (event) => console.log(event.data));
source.addEventListener("error", (event) => {
  if (event instanceof EventSourceErrorEvent) console.log(event.message, event.status);
});
// The extended class's error events say why, in handlers and listeners alike.
source.onerror = (event) => {
  if (event.willReconnect) console.log(event.message, event.delay);
  else console.log(event.status ?? event.code);
};
source.addEventListener("error", (event) => console.log(event.message));
const state: number = source.readyState;
if (state === EventSource.CLOSED || state === source.OPEN) source.close();
const url: string = source.url;

const parser = createParser({ onEvent: (message: EventSourceMessage) => console.log(message.data) });
parser.feed("data: x\\n\\n");
const installed: EventSource = new Installed("https://example.test/");
const extended = new Extended("https://example.test/", {
  headers: () => ({ authorization: "Bearer t" }),
  reconnect: { backoff: "exponential", maxAttempts: 5 },
});
extended.onmessage = (event) => console.log(event.data);
export const used = [url, parser, installed, extended, "${kind}"];
`;
}

/** [DESIGN] the class is assignable to the platform's own EventSource type. */
const domAssignable = `
import { EventSource } from "universal-eventsource";
const Native: typeof globalThis.EventSource = EventSource;
const instance: globalThis.EventSource = new EventSource("https://example.test/");
export const used = [Native, instance];
`;

/**
 * The README's JavaScript examples, each a TypeScript module of its own, as a user pastes them.
 * The names an example takes from its prose (a token, a URL...) are declared; an example that
 * calls `new EventSource` without an import of the package gets the package's import, as its
 * section says (the polyfill's example keeps the global it installs).
 */
async function writeReadmeExamples(): Promise<string[]> {
  const readme = await readFile(join(root, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```/gm)].map((match) => match[1] ?? "");
  await writeFile(
    join(scratch.dir, "readme-context.d.ts"),
    `declare const url: string, saved: string, apiKey: string;
declare function token(): string;
declare const tokens: { fresh(): Promise<string> };
`,
  );
  return Promise.all(
    blocks.map(async (block, index) => {
      let code = block;
      if (!code.includes('"universal-eventsource')) {
        const source = /\bconst source\b/.test(code)
          ? ""
          : "const source = new EventSource(url);\n";
        code = `import { EventSource } from "universal-eventsource";\n${source}${code}`;
      }
      const name = `readme-${index + 1}.mts`;
      await writeFile(join(scratch.dir, name), `${code}\nexport {};\n`);
      return name;
    }),
  );
}

/** lib.dom, @types/node, or both (a Node project with DOM types, as many have). */
type Environment = "dom" | "node" | "dom+node";
/** `bundler+node`: bundler resolution with the `node` condition, as the README advises for Node. */
type Resolution = "node16" | "bundler" | "bundler+node";

async function compile(
  environment: Environment,
  resolution: Resolution,
  files: string[],
): Promise<string[]> {
  const name = `tsconfig.${environment}.${resolution}.json`.replace("+", "-");
  await writeFile(
    join(scratch.dir, name),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: resolution === "node16" ? "Node16" : "ESNext",
        moduleResolution: resolution === "node16" ? "Node16" : "Bundler",
        lib: environment === "node" ? ["ES2022"] : ["ES2022", "DOM"],
        types: environment === "dom" ? [] : ["node"],
        customConditions: resolution === "bundler+node" ? ["node"] : [],
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        noEmit: true,
        skipLibCheck: false,
      },
      files,
    }),
  );
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  const result = await run(process.execPath, [tsc, "-p", name, "--pretty", "false"], {
    cwd: scratch.dir,
  }).catch((error: { stdout: string }) => error);
  return result.stdout
    .split("\n")
    .filter((line) => /error TS/.test(line))
    .filter((line) => !/^node_modules\/(undici|@types|typescript)\//.test(line));
}

describe.each([
  ["lib.dom only", "dom"],
  ["@types/node only", "node"],
] as const)("a consumer with %s", (_name, environment) => {
  // With lib.dom, the same run also checks that the class is assignable to typeof EventSource.
  const extra = environment === "dom" ? ["dom-assignable.ts"] : [];

  it("compiles under moduleResolution node16: import (.mts) and require (.cts)", async () => {
    expect(
      await compile(environment, "node16", ["consumer.mts", "consumer.cts", ...extra]),
    ).toEqual([]);
  }, 60_000);

  it("compiles under moduleResolution bundler", async () => {
    expect(await compile(environment, "bundler", ["consumer.ts", ...extra])).toEqual([]);
  }, 60_000);
});

describe("the README's examples", () => {
  // The polyfill's example uses the global, typed by lib.dom (see "Polyfill import").
  it("compile in a Node project with lib.dom, under node16 and under bundler with the node condition", async () => {
    const files = [...readmeExamples, "readme-context.d.ts"];
    expect(readmeExamples.length).toBeGreaterThan(10);
    expect(await compile("dom+node", "node16", files)).toEqual([]);
    expect(await compile("dom+node", "bundler+node", files)).toEqual([]);
  }, 60_000);
});
