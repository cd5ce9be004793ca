/**
 * 2,000 sources in one process, open at the same time against one server, each receives all its
 * events. The default dispatchers (undici's global Agent, and fetch's) put no limit on
 * connections per origin, so no option is needed; the server's accept backlog is raised so
 * the burst of connections is not refused.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventSource } from "../../src/entries/node.js";
import { transports } from "./transports.js";

const SOURCES = 2000;
const EVENTS = 3;

describe.each(transports)("concurrency over %s", (name, init) => {
  let server: Server;
  let origin: string;
  const sources: EventSource[] = [];
  beforeEach(async () => {
    server = createServer((request, response) => {
      const n = new URL(request.url ?? "/", "http://x").searchParams.get("n");
      response.writeHead(200, { "content-type": "text/event-stream" });
      for (let i = 1; i <= EVENTS; i++) response.write(`data: ${n}.${i}\n\n`);
      // The stream stays open: all the sources are connected at once.
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", 4096, resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    for (const source of sources.splice(0)) source.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it(`[NON-SPEC] ${SOURCES} concurrent sources all receive their ${EVENTS} events`, async () => {
    const received = new Map<number, string[]>();
    const errors: string[] = [];
    let complete = 0;
    let done!: () => void;
    const allDone = new Promise<void>((resolve) => {
      done = resolve;
    });
    for (let n = 0; n < SOURCES; n++) {
      const source = new EventSource(`${origin}/?n=${n}`, init);
      const data: string[] = [];
      received.set(n, data);
      source.onmessage = (event) => {
        data.push(event.data);
        if (data.length === EVENTS && ++complete === SOURCES) done();
      };
      source.onerror = (event) =>
        errors.push(`${n}: ${(event as Event & { message?: string }).message}`);
      sources.push(source);
    }
    await allDone;
    expect(errors).toEqual([]);
    for (const [n, data] of received) {
      expect(data).toEqual(Array.from({ length: EVENTS }, (_, i) => `${n}.${i + 1}`));
    }
    expect(sources.every((source) => source.readyState === EventSource.OPEN)).toBe(true);
    console.info(
      `concurrency ${name}: ${SOURCES} sources open at once, ${SOURCES * EVENTS} events`,
    );
  }, 120_000);
});
