/**
 * Runs a built file from dist/ as a child process and watches its output. Every child is
 * tracked, and `killAll()` (call it in afterEach) ends whatever is still running.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach } from "vitest";
import { startServer, type TestServer } from "../helpers/server.js";

export interface Child {
  process: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves once `test(child)` is true after some output; rejects if the child exits first. */
  waitFor(test: (child: Child) => boolean): Promise<void>;
  /** Exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
}

const running = new Set<Child>();

export function builtFile(name: string): string {
  const path = fileURLToPath(new URL(`../../dist/${name}`, import.meta.url));
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first`);
  return path;
}

export function spawnBuilt(
  name: string,
  args: string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): Child {
  // NO_COLOR unset and pipes, not a terminal: the plain output path.
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  if (options.env?.NO_COLOR === undefined) delete env.NO_COLOR;
  const child = spawn(process.execPath, [builtFile(name), ...args], {
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const watchers = new Set<() => void>();
  const result: Child = {
    process: child,
    stdout: "",
    stderr: "",
    waitFor: (test) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (test(result)) {
            watchers.delete(check);
            resolve();
          }
        };
        watchers.add(check);
        check();
        result.exited.then((code) => {
          if (!watchers.has(check)) return;
          watchers.delete(check);
          reject(
            new Error(
              `exited (${code}) before the expected output:\n${result.stdout}${result.stderr}`,
            ),
          );
        });
      }),
    exited: new Promise((resolve) => {
      // "close", not "exit": all output has been read by then.
      child.on("close", (code, signal) => {
        running.delete(result);
        resolve(code ?? signal ?? "unknown");
      });
    }),
  };
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    result.stdout += text;
    for (const watcher of [...watchers]) watcher();
  });
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    result.stderr += text;
    for (const watcher of [...watchers]) watcher();
  });
  child.stdin.end(options.stdin ?? "");
  running.add(result);
  return result;
}

/** The built CLI with these arguments. */
export function cli(args: string[], options?: Parameters<typeof spawnBuilt>[2]): Child {
  return spawnBuilt("cli.js", args, options);
}

/** Output split into its non-empty lines. */
export function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

export async function killAll(): Promise<void> {
  const children = [...running];
  for (const child of children) child.process.kill("SIGKILL");
  await Promise.all(children.map((child) => child.exited));
}

/** A fresh test server per test; after each test, the children are killed, then it closes. */
export function serverPerTest(): () => TestServer {
  let server: TestServer | undefined;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await killAll();
    await server?.close();
  });
  return () => server as TestServer;
}
