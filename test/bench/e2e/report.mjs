/** Statistics, child processes and Markdown tables shared by the end-to-end benchmarks. */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
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

/**
 * This process's Node and any other installed under .cache/runtimes/node<N>. Node 22 is left
 * out: its global dispatcher is its bundled undici 6, which rejects the undici 7 handler API our
 * undici transport uses (UND_ERR_INVALID_ARG "invalid onError method").
 */
export function nodeRuntimes() {
  const runtimes = [{ label: `Node ${process.versions.node}`, exec: process.execPath }];
  for (const major of [24, 26]) {
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

export function header(title) {
  return `\n## ${title}\n\n${new Date().toISOString().slice(0, 10)}, ${rounds} rounds, 2 shared cores (noisy)\n`;
}
