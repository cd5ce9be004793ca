/**
 * The runtime matrix: the shared conformance smoke (conformance.mjs) in Node 20 (this process's
 * own), 22, 24 and 26, Bun and Deno, each importing the built package by its name, as that
 * runtime's users do, so each picks its own export condition. The runtimes come from
 * scripts/setup-runtimes.mjs (.ci/run installs them; under CI=true this test installs what is
 * missing and fails if a runtime still cannot run). Locally a missing runtime is skipped with a
 * message.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type Runtime,
  runtimes,
  runtimesDir,
  runtimeVersion,
  setupRuntimes,
} from "../../scripts/setup-runtimes.mjs";
import { startServer, type TestServer } from "../helpers/server.js";
import { checks } from "./conformance.mjs";

const root = resolve(import.meta.dirname, "../..");
const ci = process.env.CI === "true";
// In the checkout, not in the runtimes folder: checkouts that share that folder (git
// worktrees) must not test one another's build through one symlink.
const consumer = join(root, ".cache", "consumer");

if (ci) setupRuntimes();

/** A scratch project that depends on the package (a symlink to this repository). */
function prepareConsumer(): string {
  mkdirSync(join(consumer, "node_modules"), { recursive: true });
  const link = join(consumer, "node_modules", "universal-eventsource");
  rmSync(link, { force: true, recursive: true });
  symlinkSync(root, link, "dir");
  writeFileSync(
    join(consumer, "package.json"),
    `${JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { "universal-eventsource": "*" } }, null, 2)}\n`,
  );
  const entry = join(consumer, "run.mjs");
  writeFileSync(
    entry,
    [
      'import { EventSource } from "universal-eventsource";',
      `import { runConformance } from ${JSON.stringify(pathToFileURL(join(root, "test/runtimes/conformance.mjs")).href)};`,
      'const origin = typeof Deno === "undefined" ? process.argv[2] : Deno.args[0];',
      // Which build the runtime's export conditions chose.
      'console.log("entry " + import.meta.resolve("universal-eventsource"));',
      "await runConformance(EventSource, origin, (line) => console.log(line));",
      "",
    ].join("\n"),
  );
  return entry;
}

interface MatrixEntry {
  name: string;
  /** The binary, or undefined when it is not installed. */
  path: string | undefined;
  args: (entry: string, origin: string) => string[];
  /** The build its export conditions must choose: undici in Node, extended fetch in Bun and Deno. */
  build: string;
  /** Whether the runtime has a global `EventSource` of its own, which the polyfill must keep. */
  native: boolean;
}

const buildFor: Record<Runtime["kind"], string> = {
  node: "dist/node.js",
  bun: "dist/extended.js",
  deno: "dist/extended.js",
};

const argsFor: Record<Runtime["kind"], MatrixEntry["args"]> = {
  node: (entry, origin) => [entry, origin],
  bun: (entry, origin) => ["run", entry, origin],
  // Deno reads the scratch project's node_modules (no registry), and may only reach the test server.
  deno: (entry, origin) => [
    "run",
    "--node-modules-dir=manual",
    `--allow-net=${new URL(origin).host}`,
    "--allow-read",
    "--allow-env",
    entry,
    origin,
  ],
};

const matrix: MatrixEntry[] = [
  {
    name: `node20 (${process.version}, this process's)`,
    path: process.execPath,
    args: argsFor.node,
    build: buildFor.node,
    native: false,
  },
  ...runtimes.map((runtime) => {
    const version = runtimeVersion(runtime);
    return {
      name: `${runtime.name} (${version ?? "not installed"})`,
      path: version === undefined ? undefined : runtime.path,
      args: argsFor[runtime.kind],
      build: buildFor[runtime.kind],
      native: runtime.kind === "deno",
    };
  }),
];

let entry: string;
beforeAll(() => {
  entry = prepareConsumer();
  if (!existsSync(join(root, "dist")))
    throw new Error("dist/ is missing: run `npm run build` first");
});

/** Runs a script of the consumer project to its end; `track` gets the child, to kill it after a failed test. */
async function runScript(
  path: string,
  args: string[],
  track: (child: ChildProcess) => void,
): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  const started = spawn(path, args, {
    cwd: consumer,
    env: { ...process.env, DENO_DIR: join(runtimesDir, "deno-dir"), DENO_NO_UPDATE_CHECK: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  track(started);
  let stdout = "";
  let stderr = "";
  started.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  started.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((done) => started.on("close", done));
  return { code, lines: stdout.split("\n").filter((line) => line !== ""), stderr };
}

describe.each(matrix)("conformance smoke on $name", ({ name, path, args, build, native }) => {
  let server: TestServer;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    server = await startServer();
    server.route("/loop", (_request, response) => {
      response.writeHead(302, { location: "/loop" }).end();
    });
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    if (child?.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  if (path === undefined) {
    console.warn(`[runtimes] ${name}: run \`node scripts/setup-runtimes.mjs\` to test it; skipped`);
  }
  it.skipIf(path === undefined)(
    "runs every check, then exits by itself after close()",
    async () => {
      const { code, lines, stderr } = await runScript(
        path as string,
        args(entry, server.origin),
        (started) => {
          child = started;
        },
      );
      expect(lines, stderr).toEqual([
        `entry ${pathToFileURL(join(root, build)).href}`,
        ...checks.map((check) => `ok ${check}`),
        "done",
      ]);
      expect(code, stderr).toBe(0);
      // 204 closed for good: no reconnection request.
      expect(server.requestsTo("/status/204")).toHaveLength(1);
    },
    30_000,
  );

  it.skipIf(path === undefined)(
    "the polyfill installs the class where the runtime has no EventSource, and keeps its own",
    async () => {
      const script = join(consumer, "polyfill.mjs");
      writeFileSync(
        script,
        [
          "const own = globalThis.EventSource;",
          'const { EventSource } = await import("universal-eventsource/polyfill");',
          "if (own !== undefined) console.log(globalThis.EventSource === own ? 'kept' : 'replaced');",
          "else console.log(globalThis.EventSource === EventSource ? 'installed' : 'other');",
          "",
        ].join("\n"),
      );
      const { code, lines, stderr } = await runScript(
        path as string,
        args(script, server.origin),
        (started) => {
          child = started;
        },
      );
      expect(lines, stderr).toEqual([native ? "kept" : "installed"]);
      expect(code, stderr).toBe(0);
    },
    30_000,
  );
});

const deno = matrix.find((runtime) => runtime.name.startsWith("deno"));

describe("Deno without --allow-net", () => {
  let server: TestServer;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    if (child?.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  // [C15.2] retrying cannot cure a permission the process was not given: the source fails at
  // once with Deno's reason, and the process ends, instead of retrying every 3 s for ever.
  it.skipIf(deno?.path === undefined)(
    "[NON-SPEC] the denied fetch fails the source with Deno's reason, and the process exits",
    async () => {
      const script = join(consumer, "no-net.mjs");
      writeFileSync(
        script,
        [
          'import { EventSource } from "universal-eventsource";',
          "const source = new EventSource(Deno.args[0]);",
          "source.onerror = (event) => {",
          '  console.log("error " + source.readyState + " " + event.message);',
          "  source.close();",
          "};",
          "",
        ].join("\n"),
      );
      const { code, lines, stderr } = await runScript(
        deno?.path as string,
        ["run", "--node-modules-dir=manual", "--allow-read", "--allow-env", script, server.origin],
        (started) => {
          child = started;
        },
      );
      expect(lines, stderr).toEqual([
        expect.stringMatching(/^error 2 network error: .*--allow-net/),
      ]);
      expect(code, stderr).toBe(0);
      expect(server.requests).toEqual([]);
    },
    30_000,
  );
});
