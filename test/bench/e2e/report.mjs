/** Statistics, child processes and Markdown tables shared by the end-to-end benchmarks. */
import { execFile } from "node:child_process";
import { cpSync, existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `12.3 (11.9–13.0)`: median, then min–max. */
export function spread(values, digits = 1) {
  const format = (value) => value.toFixed(digits);
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
}

export function table(header, rows) {
  const lines = [header, header.map(() => "---"), ...rows].map(
    (cells) => `| ${cells.join(" | ")} |`,
  );
  return lines.join("\n");
}

export const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

/** This process's Node and any other installed under .cache/runtimes/node<N>. */
export function nodeRuntimes() {
  const runtimes = [{ label: `Node ${process.versions.node}`, exec: process.execPath }];
  for (const major of [22, 24, 26]) {
    const exec = fileURLToPath(
      new URL(`../../../.cache/runtimes/node${major}/node_modules/.bin/node`, import.meta.url),
    );
    if (existsSync(exec) && !process.version.startsWith(`v${major}.`))
      runtimes.push({ label: `Node ${major}`, exec });
  }
  return runtimes;
}

/** Runs a child script and parses the JSON line it prints. */
export function runChild(exec, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(
      exec,
      args,
      { timeout: 180_000, maxBuffer: 1 << 20, ...options },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${args.join(" ")}: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split("\n").at(-1)));
      },
    );
  });
}

export function header(title, roundsRun = rounds) {
  return `\n## ${title}\n\n${new Date().toISOString().slice(0, 10)}, ${roundsRun} rounds, 2 shared cores (noisy)\n`;
}

/**
 * Copies dist/ to .cache/bench-dist-<pid>/ (inside the project, so `undici` still resolves) and
 * points the children at it through BENCH_DIST: a rebuild during a long run (tsup empties dist/
 * first) cannot pull the package from under it. Returns the function that removes the copy.
 */
export function snapshotDist() {
  const from = fileURLToPath(new URL("../../../dist/", import.meta.url));
  const to = fileURLToPath(new URL(`../../../.cache/bench-dist-${process.pid}/`, import.meta.url));
  if (!existsSync(`${from}node.js`)) throw new Error("no dist/node.js: run `npm run build` first");
  cpSync(from, to, { recursive: true });
  process.env.BENCH_DIST = to;
  return () => rmSync(to, { recursive: true, force: true });
}
