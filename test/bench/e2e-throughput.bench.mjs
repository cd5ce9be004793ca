/**
 * Node end to end over loopback: a local server streams (a) 200,000 small events and (b) 2,000
 * events of 16 KiB as fast as the socket takes them; each client reads the whole stream in its
 * own process. Clients run side by side, interleaved, over several rounds, on every Node found.
 * `node test/bench/e2e-throughput.bench.mjs` after `npm run build`.
 */
import { fileURLToPath } from "node:url";
import { CLIENT_NAMES } from "./e2e/clients.mjs";
import {
  header,
  median,
  nodeRuntimes,
  rounds,
  runChild,
  snapshotDist,
  spread,
  table,
} from "./e2e/report.mjs";
import { LARGE, SMALL, startServer } from "./e2e/server.mjs";

const child = fileURLToPath(new URL("./e2e/throughput-child.mjs", import.meta.url));
const removeDist = snapshotDist();
const server = await startServer();
const runtimes = nodeRuntimes();
const only = process.env.BENCH_CLIENTS?.split(",");
const clients = only ? CLIENT_NAMES.filter((name) => only.includes(name)) : CLIENT_NAMES;

try {
  for (const stream of [SMALL, LARGE]) {
    const path = stream === SMALL ? "/small" : "/large";
    const eventBytes = Buffer.byteLength(stream.event);
    const results = new Map();
    for (let round = 0; round < rounds; round++) {
      for (const runtime of runtimes) {
        // Rotate the order each round so no client always runs first (or last) on a warm machine.
        for (let i = 0; i < clients.length; i++) {
          const client = clients[(i + round) % clients.length];
          const key = `${runtime.label}\0${client}`;
          const result = await runChild(runtime.exec, [
            child,
            client,
            `${server.origin}${path}`,
            String(stream.count),
            String(eventBytes),
          ]);
          if (!results.has(key)) results.set(key, []);
          results.get(key).push(result);
        }
      }
    }
    console.log(
      header(`End to end, ${stream.name} (${(server.streamBytes(stream) / 1e6).toFixed(1)} MB)`),
    );
    for (const runtime of runtimes) {
      const of = (client) => results.get(`${runtime.label}\0${client}`) ?? [];
      const rate = (runs) => median(runs.map((run) => stream.count / (run.wall / 1000)));
      const cpu = (runs) => median(runs.map((run) => run.cpu));
      const ratio = (value) => (Number.isNaN(value) ? "–" : `${value.toFixed(2)}x`);
      const anchor = of("eventsource@4");
      const raw = of("raw http.get");
      const rows = clients.map((client) => {
        const runs = of(client);
        return [
          client,
          spread(runs.map((run) => run.wall)),
          `${(rate(runs) / 1000).toFixed(0)}k`,
          ratio(rate(runs) / rate(anchor)),
          ratio(rate(raw) / rate(runs)),
          spread(runs.map((run) => run.cpu)),
          ratio(cpu(anchor) / cpu(runs)),
          ratio(cpu(runs) / cpu(raw)),
          spread(
            runs.map((run) => run.rss / 1024),
            0,
          ),
        ];
      });
      console.log(`\n${runtime.label} (${process.arch})\n`);
      console.log(
        table(
          [
            "client",
            "wall ms, median (min–max)",
            "events/s",
            "events/s vs eventsource@4",
            "raw read's events/s over this",
            "client CPU ms",
            "CPU: eventsource@4's over this",
            "CPU: this over raw read's",
            "peak RSS MB",
          ],
          rows,
        ),
      );
    }
  }
} finally {
  await server.close();
  removeDist();
}
