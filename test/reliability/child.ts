/**
 * Runs a child script (a TypeScript file bundled by `bundleEntry`) in a fresh Node process, for
 * what one process cannot see in itself: whether it exits on its own, how its heap grows.
 * Bounded: a child still running after `timeout` ms is killed and reported as such.
 */
import { spawn } from "node:child_process";
import { bundleEntry } from "../helpers/bundle.js";

const bundles = new Map<string, Promise<string>>();

/** Each child entry is bundled once per test file. */
function bundled(entry: string): Promise<string> {
  let module = bundles.get(entry);
  if (module === undefined) {
    const name = `reliability-${entry.replace(/^.*\//, "").replace(/\.ts$/, "")}`;
    module = bundleEntry(entry, name);
    bundles.set(entry, module);
  }
  return module;
}

export interface ChildResult {
  /** The exit code, or null when killed. */
  code: number | null;
  /** True when the child had to be killed after the timeout. */
  killed: boolean;
  stdout: string;
  stderr: string;
}

export async function runChild(
  entry: string,
  args: string[],
  { execArgv = [], timeout = 30_000 }: { execArgv?: string[]; timeout?: number } = {},
): Promise<ChildResult> {
  const module = await bundled(entry);
  const child = spawn(process.execPath, [...execArgv, module, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, timeout);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(timer);
  return { code, killed, stdout, stderr };
}

/** The last line of a child's stdout, parsed: children report their figures as one JSON line. */
export function lastJsonLine<T>(stdout: string): T {
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1] ?? "null") as T;
}
