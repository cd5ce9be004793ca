/**
 * Soak child: N connect/receive/drop cycles against a server in this same process, then the
 * heap after GC and the live resources, compared with where they started. Run with
 * --expose-gc. Prints one JSON line.
 *
 * Cycles alternate who drops the connection (the client with close() after its message, or
 * the server ending the stream, then close() on the error), and one in four is gzip-encoded,
 * so the decoder's native handles are exercised too.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { EventSource } from "../../../src/entries/node.js";

const [transport = "undici", cyclesArgument = "10000"] = process.argv.slice(2);
const CYCLES = Number(cyclesArgument);
const IN_FLIGHT = 8;
const WARM_UP = 200;
const init = transport === "fetch" ? { fetch: globalThis.fetch } : {};
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc");

const server = createServer((request, response) => {
  const n = Number(new URL(request.url ?? "/", "http://x").searchParams.get("n"));
  const event = `id: ${n}\ndata: cycle ${n}\n\n`;
  const gzip = n % 4 === 3;
  response.writeHead(200, {
    "content-type": "text/event-stream",
    ...(gzip ? { "content-encoding": "gzip" } : {}),
  });
  response.write(gzip ? gzipSync(event) : event);
  if (n % 2 === 0) response.end();
});
// Idle keep-alive sockets close soon, so "back to where it started" is reached quickly.
server.keepAliveTimeout = 500;
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", 4096, resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

function cycle(n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const source = new EventSource(`${origin}/?n=${n}`, init);
    let received = false;
    source.onmessage = (event) => {
      if (event.data !== `cycle ${n}`) reject(new Error(`cycle ${n} got ${event.data}`));
      received = true;
      if (n % 2 === 1) {
        source.close();
        resolve();
      }
    };
    source.onerror = (event) => {
      source.close();
      if (received && n % 2 === 0) resolve();
      else reject(new Error(`cycle ${n}: ${(event as Event & { message?: string }).message}`));
    };
  });
}

async function run(from: number, to: number): Promise<void> {
  let next = from;
  const worker = async () => {
    while (next < to) await cycle(next++);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) {
    // In-flight requests (CloseReq, FSReqCallback...) are operations, not held resources.
    if (!name.endsWith("Req") && !name.startsWith("FSReq")) counts[name] = (counts[name] ?? 0) + 1;
  }
  let listeners = 0;
  for (const name of process.eventNames()) listeners += process.listenerCount(name);
  counts["process listeners"] = listeners;
  counts["server listeners"] = server.eventNames().reduce((n, e) => n + server.listenerCount(e), 0);
  return counts;
}

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/** Resources counted while the loop is idle; waits (bounded) for idle sockets to close. */
async function resourcesWhenSettled(
  target: Record<string, number>,
): Promise<Record<string, number>> {
  let now = resources();
  for (let i = 0; i < 100 && JSON.stringify(now) !== JSON.stringify(target); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    now = resources();
  }
  return now;
}

const resourcesBefore = resources();
await run(0, WARM_UP);
const settled = await resourcesWhenSettled(resourcesBefore);
const heapBefore = await settledHeap();
const started = Date.now();
await run(WARM_UP, WARM_UP + CYCLES);
const seconds = (Date.now() - started) / 1000;
const resourcesAfter = await resourcesWhenSettled(resourcesBefore);
const heapAfter = await settledHeap();
console.log(
  JSON.stringify({
    transport,
    cycles: CYCLES,
    seconds,
    heapBefore,
    heapAfter,
    heapGrowth: heapAfter - heapBefore,
    resourcesBefore,
    resourcesAfterWarmUp: settled,
    resourcesAfter,
  }),
);
server.close();
