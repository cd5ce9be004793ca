/**
 * Reconnection latency with `retry: 0`: the server ends every response after one event, and
 * times from the moment the response has finished to the arrival of the next request of the
 * same source. Time to first event: from `new EventSource` to the first event, for fresh sources
 * one after another in one process (the connection to the server is kept alive between them,
 * as it would be in an application). `node test/bench/e2e-reconnect.bench.mjs` after the build.
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
import { SSE_HEADERS, startServer } from "./e2e/server.mjs";

const RECONNECTS = 200;
const FIRSTS = 30;
const child = fileURLToPath(new URL("./e2e/reconnect-child.mjs", import.meta.url));
/** run → [ms from one response's end to the next request] */
const gaps = new Map();
const lastEnd = new Map();
const removeDist = snapshotDist();
const server = await startServer({
  "/first": (_request, response) => {
    response.writeHead(200, SSE_HEADERS);
    response.write("data: first\n\n");
  },
  "/reconnect": (_request, response, url) => {
    const now = performance.now();
    const run = url.searchParams.get("run");
    if (lastEnd.has(run)) gaps.get(run).push(now - lastEnd.get(run));
    else gaps.set(run, []);
    response.writeHead(200, SSE_HEADERS);
    response.on("finish", () => lastEnd.set(run, performance.now()));
    response.end("retry: 0\ndata: x\n\n");
  },
});
const runtimes = nodeRuntimes();
const only = process.env.BENCH_CLIENTS?.split(",");
const clients = only ? CLIENT_NAMES.filter((name) => only.includes(name)) : CLIENT_NAMES;

try {
  const results = new Map();
  let runs = 0;
  for (let round = 0; round < rounds; round++) {
    for (const runtime of runtimes) {
      for (let i = 0; i < clients.length; i++) {
        const client = clients[(i + round) % clients.length];
        const key = `${runtime.label}\0${client}`;
        const run = String(runs++);
        // The raw reader has no reconnection to time: first events only.
        const reconnects = client === "raw http.get" ? 0 : RECONNECTS;
        const { firstEvent } = await runChild(runtime.exec, [
          child,
          client,
          server.origin,
          run,
          String(FIRSTS),
          String(reconnects),
        ]);
        if (!results.has(key)) results.set(key, { reconnect: [], first: [], coldFirst: [] });
        const entry = results.get(key);
        // Rounds' medians: the spread shows how much the machine moved between rounds.
        if (reconnects > 0) entry.reconnect.push(median(gaps.get(run)));
        entry.coldFirst.push(firstEvent[0]);
        entry.first.push(median(firstEvent.slice(1)));
      }
    }
  }
  console.log(
    header(
      `Reconnection with retry: 0 (median of ${RECONNECTS} per round) and time to first event (${FIRSTS} sources per round)`,
    ),
  );
  for (const runtime of runtimes) {
    const rows = clients.map((client) => {
      const entry = results.get(`${runtime.label}\0${client}`);
      return [
        client,
        entry.reconnect.length > 0 ? spread(entry.reconnect, 2) : "–",
        spread(entry.first, 2),
        spread(entry.coldFirst, 1),
      ];
    });
    console.log(`\n${runtime.label} (${process.arch})\n`);
    console.log(
      table(
        [
          "client",
          "reconnect ms, median (min–max of rounds)",
          "first event ms (warm)",
          "first event ms (first source of the process)",
        ],
        rows,
      ),
    );
  }
} finally {
  await server.close();
  removeDist();
}
