#!/usr/bin/env node
/**
 * Installs the runtimes the runtime matrix runs on (Node 22/24/26, Bun, Deno) from their npm
 * packages, each into its own folder under .cache/runtimes/, never into the project: a `node`
 * package in the project's node_modules/.bin would replace the machine's Node in every npm script.
 * Idempotent: a runtime whose binary already answers `--version` is not installed again.
 *
 *   node scripts/setup-runtimes.mjs          install what is missing, print a summary
 *   import { runtimes, setupRuntimes } from "./scripts/setup-runtimes.mjs"
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const runtimesDir = join(root, ".cache", "runtimes");

/**
 * The matrix. `spec` is what npm installs (a pinned major); `bin` is where the package leaves the
 * runtime's own binary, relative to the runtime's folder. Node 20 is the machine's own.
 */
export const runtimes = [
  { name: "node22", kind: "node", spec: "node@22", bin: "node_modules/node/bin/node" },
  { name: "node24", kind: "node", spec: "node@24", bin: "node_modules/node/bin/node" },
  { name: "node26", kind: "node", spec: "node@26", bin: "node_modules/node/bin/node" },
  { name: "bun", kind: "bun", spec: "bun@1", bin: "node_modules/bun/bin/bun.exe" },
  { name: "deno", kind: "deno", spec: "deno@2", bin: "node_modules/deno/deno" },
].map((runtime) => ({ ...runtime, path: join(runtimesDir, runtime.name, runtime.bin) }));

/** The runtime's version, or undefined when its binary is missing or does not run. */
export function runtimeVersion(runtime) {
  if (!existsSync(runtime.path)) return undefined;
  try {
    return execFileSync(runtime.path, ["--version"], { encoding: "utf8", timeout: 30_000 })
      .split("\n")[0]
      .trim();
  } catch {
    return undefined;
  }
}

/** Installs every missing runtime; returns one line per runtime with its version and install time. */
export function setupRuntimes(log = console.log) {
  const lines = [];
  for (const runtime of runtimes) {
    let version = runtimeVersion(runtime);
    let took = "cached";
    if (version === undefined) {
      const folder = join(runtimesDir, runtime.name);
      mkdirSync(folder, { recursive: true });
      const started = Date.now();
      execFileSync(
        "npm",
        ["install", "--prefix", folder, "--no-audit", "--no-fund", "--no-save", runtime.spec],
        { stdio: ["ignore", "ignore", "inherit"], timeout: 600_000 },
      );
      took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
      version = runtimeVersion(runtime);
      if (version === undefined)
        throw new Error(`${runtime.spec} installed but ${runtime.path} does not run`);
    }
    const line = `${runtime.name}: ${version} (${took})`;
    lines.push(line);
    log(line);
  }
  return lines;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  setupRuntimes();
  console.log(`runtimes ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
