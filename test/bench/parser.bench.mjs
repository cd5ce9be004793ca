/**
 * Parser throughput: the built parser for Node (dist/parser-node.js) against eventsource-parser@3 fed by a
 * streaming TextDecoder (as its users do) and against that TextDecoder alone (the ceiling), on
 * generated fixtures cut into 16 KiB and 7-byte chunks.
 *
 * Every (contender, fixture, chunk size) runs in a fresh Node process, so no contender shapes
 * another's JIT state, and the processes are interleaved over PASSES passes, so load on the
 * machine falls on all contenders alike. The table gives medians (min–max) over all rounds of
 * all passes; the per-pass ratios show how stable the method is. Rounds are timed in CPU time
 * (process.cpuUsage: this process, all its threads): on a shared machine, wall time mostly
 * measures the other processes.
 *
 * Env: BENCH_PASSES (default 2), BENCH_ROUNDS (rounds per process, default 15), BENCH_ONLY (a
 * fixture name filter), BENCH_PARSER (another build of the parser to compare, as a file URL).
 */
import { execFileSync } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";

const FIXTURES = {
  "small data events": (i) => `data: {"id":${i},"value":"${(i * 7919) % 100000}"}\n\n`,
  "id + event + data": (i) =>
    `id: ${i}\nevent: ${["add", "update", "remove"][i % 3]}\ndata: {"id":${i},"ok":true}\n\n`,
  "64 KiB data events": (i) => `data: ${String(i % 10).repeat(65536)}\n\n`,
  "20-line data events": (i) =>
    `${Array.from({ length: 20 }, (_, j) => `data: line ${j} of event ${i}, some text\n`).join("")}\n`,
  CRLF: (i) => `id: ${i}\r\ndata: {"id":${i},"value":${i * 3}}\r\n\r\n`,
  "comments + heartbeats": (i) =>
    i % 2 ? ": heartbeat\n\n" : `: sent at ${i}\ndata: {"id":${i}}\n\n`,
  "multi-byte UTF-8": (i) => `data: {"id":${i},"text":"héllo wörld – 你好世界 😀 ${i}"}\n\n`,
};
const CHUNKS = [16384, 7];
/** Bytes per fixture: enough for rounds of tens of milliseconds. */
const SIZE = { 16384: 4 << 20, 7: 1 << 20 };
const CONTENDERS = ["ours", "eventsource-parser", "TextDecoder"];

function fixture(name, size) {
  const parts = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const part = FIXTURES[name](i);
    parts.push(part);
    length += Buffer.byteLength(part);
  }
  return new TextEncoder().encode(parts.join(""));
}

async function child(contender, name, chunkSize, rounds) {
  const body = fixture(name, SIZE[chunkSize]);
  const chunks = [];
  for (let i = 0; i < body.length; i += chunkSize) chunks.push(body.subarray(i, i + chunkSize));
  let events = 0;
  let characters = 0;
  let run;
  if (contender === "ours") {
    const { createParser } = await import(process.env.BENCH_PARSER ?? "../../dist/parser-node.js");
    run = () => {
      const parser = createParser({
        onEvent: (event) => {
          events++;
          characters += event.data.length;
        },
      });
      for (const chunk of chunks) parser.feed(chunk);
    };
  } else if (contender === "eventsource-parser") {
    const { createParser } = await import("eventsource-parser");
    run = () => {
      const decoder = new TextDecoder();
      const parser = createParser({
        onEvent: (event) => {
          events++;
          characters += event.data.length;
        },
      });
      for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
    };
  } else {
    run = () => {
      const decoder = new TextDecoder();
      for (const chunk of chunks) characters += decoder.decode(chunk, { stream: true }).length;
    };
  }
  for (let i = 0; i < 5; i++) run();
  const perRound = { events: events / 5, characters: characters / 5 };
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.cpuUsage();
    run();
    const { user, system } = process.cpuUsage(start);
    times.push((user + system) / 1000);
  }
  process.stdout.write(JSON.stringify({ bytes: body.length, times, ...perRound }));
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const geomean = (values) =>
  Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
const fixed = (value, digits = 0) => value.toFixed(digits);

function parent() {
  const passes = Number(process.env.BENCH_PASSES ?? 2);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
  const names = Object.keys(FIXTURES).filter((name) => name.includes(process.env.BENCH_ONLY ?? ""));
  const self = fileURLToPath(import.meta.url);
  /** key `chunk|fixture` → contender → { speeds: MB/s per round, perPass: median per pass } */
  const results = new Map();
  for (let pass = 0; pass < passes; pass++) {
    for (const chunkSize of CHUNKS) {
      for (const name of names) {
        const key = `${chunkSize}|${name}`;
        if (!results.has(key)) results.set(key, {});
        const row = results.get(key);
        // Rotate the order each pass, so no contender always runs right after another.
        const order = CONTENDERS.map((_, i) => CONTENDERS[(i + pass) % CONTENDERS.length]);
        for (const contender of order) {
          const output = execFileSync(
            process.execPath,
            [self, "--child", contender, name, String(chunkSize), String(rounds)],
            { encoding: "utf8", maxBuffer: 1 << 20 },
          );
          const { bytes, times, events } = JSON.parse(output);
          const speeds = times.map((ms) => bytes / 1e6 / (ms / 1e3));
          row[contender] ??= { speeds: [], perPass: [], events };
          row[contender].speeds.push(...speeds);
          row[contender].perPass.push(median(speeds));
          if (contender !== "TextDecoder" && row[contender].events !== events) {
            throw new Error(`${contender} on ${name}: different event counts`);
          }
        }
        if (row.ours.events !== row["eventsource-parser"].events) {
          throw new Error(`${name}: ours and eventsource-parser disagree on the event count`);
        }
      }
    }
  }

  const cell = ({ speeds }) =>
    `${fixed(median(speeds))} (${fixed(Math.min(...speeds))}–${fixed(Math.max(...speeds))})`;
  const cpu = cpus();
  console.log(
    `Parser throughput, MB/s of CPU time: median (min–max) of ${passes} × ${rounds} rounds, each contender in its own process. ` +
      `${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, ${cpu.length} cores (${cpu[0]?.model ?? "?"}).\n`,
  );
  console.log("| fixture | chunks | ours | eventsource-parser | TextDecoder alone | ratio |");
  console.log("|---|---|---:|---:|---:|---:|");
  const ratios = { 16384: [], 7: [] };
  const passRatios = { 16384: [], 7: [] };
  for (const [key, row] of results) {
    const [chunkSize, name] = key.split("|");
    const ratio = median(row.ours.speeds) / median(row["eventsource-parser"].speeds);
    ratios[chunkSize].push(ratio);
    passRatios[chunkSize].push(
      row.ours.perPass.map((speed, pass) => speed / row["eventsource-parser"].perPass[pass]),
    );
    const chunks = chunkSize === "16384" ? "16 KiB" : `${chunkSize} B`;
    console.log(
      `| ${name} | ${chunks} | ${cell(row.ours)} | ${cell(row["eventsource-parser"])} | ${cell(row.TextDecoder)} | ${fixed(ratio, 2)} |`,
    );
  }
  for (const chunkSize of CHUNKS) {
    const chunks = chunkSize === 16384 ? "16 KiB" : `${chunkSize} B`;
    if (ratios[chunkSize].length === 0) continue;
    console.log(
      `| **geometric mean** | ${chunks} | | | | **${fixed(geomean(ratios[chunkSize]), 2)}** |`,
    );
  }
  if (passes > 1) {
    console.log(
      "\nStability: ratio per pass (geometric mean over fixtures), and the largest change of one fixture's ratio between passes:",
    );
    for (const chunkSize of CHUNKS) {
      const perPass = Array.from({ length: passes }, (_, pass) =>
        fixed(geomean(passRatios[chunkSize].map((r) => r[pass])), 2),
      );
      const spreads = passRatios[chunkSize].map((r) => Math.max(...r) / Math.min(...r) - 1);
      const widest = spreads.indexOf(Math.max(...spreads));
      console.log(
        `- ${chunkSize} B chunks: ${perPass.join(", ")}; largest change ${fixed(100 * spreads[widest])}% (${names[widest]})`,
      );
    }
  }
}

if (process.argv[2] === "--child") {
  const [, , , contender, name, chunkSize, rounds] = process.argv;
  await child(contender, name, Number(chunkSize), Number(rounds));
} else {
  parent();
}
