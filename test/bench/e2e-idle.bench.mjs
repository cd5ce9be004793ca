/**
 * Idle connections: 1,000 sources in one process against a local server that sends one event
 * and then stays quiet; heap and RSS held per connection after GC, for ours and the anchors.
 * `node test/bench/e2e-idle.bench.mjs` after `npm run build`.
 */
import { fileURLToPath } from "node:url";
import { CLIENT_NAMES } from "./e2e/clients.mjs";
import {
  header,
  nodeRuntimes,
  rounds,
  runChild,
  snapshotDist,
  spread,
  table,
} from "./e2e/report.mjs";
import { SSE_HEADERS, startServer } from "./e2e/server.mjs";

const SOURCES = Number(process.env.BENCH_IDLE_SOURCES ?? 1000);
const EVENT = "data: hello\n\n";
const child = fileURLToPath(new URL("./e2e/idle-child.mjs", import.meta.url));
const removeDist = snapshotDist();
const server = await startServer({
  "/idle": (_request, response) => {
    response.writeHead(200, SSE_HEADERS);
    response.write(EVENT);
  },
});
const runtimes = nodeRuntimes();
const only = process.env.BENCH_CLIENTS?.split(",");
const clients = only ? CLIENT_NAMES.filter((name) => only.includes(name)) : CLIENT_NAMES;
// Fewer rounds than the throughput runs: each one holds a thousand sockets on both sides.
const idleRounds = Math.max(1, Math.min(rounds, 3));

try {
  const results = new Map();
  for (let round = 0; round < idleRounds; round++) {
    for (const runtime of runtimes) {
      for (let i = 0; i < clients.length; i++) {
        const client = clients[(i + round) % clients.length];
        const key = `${runtime.label}\0${client}`;
        const result = await runChild(runtime.exec, [
          "--expose-gc",
          child,
          client,
          `${server.origin}/idle`,
          String(SOURCES),
          String(EVENT.length),
        ]);
        if (!results.has(key)) results.set(key, []);
        results.get(key).push(result);
      }
    }
  }
  console.log(
    header(`Idle connections: KB per connection, ${SOURCES} sources in one process`, idleRounds),
  );
  for (const runtime of runtimes) {
    const rows = clients.map((client) => {
      const runs = results.get(`${runtime.label}\0${client}`) ?? [];
      return [
        client,
        spread(runs.map((run) => run.heap)),
        spread(runs.map((run) => run.rss)),
        spread(runs.map((run) => run.external)),
        spread(
          runs.map((run) => run.opened),
          0,
        ),
      ];
    });
    console.log(`\n${runtime.label} (${process.arch})\n`);
    console.log(
      table(
        [
          "client",
          "heap KB",
          "RSS KB",
          "external KB",
          `ms to open ${SOURCES} and get an event each`,
        ],
        rows,
      ),
    );
  }
} finally {
  await server.close();
  removeDist();
}
