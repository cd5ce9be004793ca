/**
 * End-to-end differential test: generated event streams, served over loopback in random
 * chunk splits, must produce exactly the events (type, data, lastEventId, origin) that the
 * spec-literal reference computes from the same bytes. Seeded, so a failure is reproducible.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventSource, type NodeEventSourceInit } from "../../src/entries/node.js";
import { referenceParse } from "../helpers/reference-parser.js";
import { sseHeaders, startServer, type TestServer } from "../helpers/server.js";

const STREAMS = 60;
const SENTINEL = "x-sentinel";

/** mulberry32: a small seeded PRNG. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generateStream(next: () => number): Uint8Array {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const values = [
    "",
    "x",
    " x",
    "  two spaces",
    "a:b",
    "é✓😀",
    "\0nul",
    "\tTab",
    "\uFEFFbom",
    "1",
    "42",
    "-1",
    "1.5",
  ];
  const names = ["data", "data", "data", "event", "id", "retry", "Data", "foo", "data ", ""];
  const ends = ["\n", "\r", "\r\n"];
  const parts: (string | Uint8Array)[] = [];
  if (next() < 0.3) parts.push("\uFEFF");
  if (next() < 0.1) parts.push("\uFEFF");
  const lines = 5 + Math.floor(next() * 40);
  for (let i = 0; i < lines; i++) {
    const roll = next();
    if (roll < 0.2) {
      parts.push(pick(ends)); // a blank line: dispatch
      continue;
    }
    if (roll < 0.27) {
      parts.push(`:${pick(values)}${pick(ends)}`);
      continue;
    }
    const name = pick(names);
    const separator = pick([":", ": ", ":  ", ""]);
    let value = separator === "" ? "" : pick(values);
    if (name === "event" && value === SENTINEL) value = "x";
    parts.push(`${name}${separator}${value}`);
    // Invalid UTF-8 now and then: a lone continuation byte, a truncated sequence, 0xFF.
    if (next() < 0.1) parts.push(new Uint8Array([pick([0x80, 0xe2, 0xff, 0xc3])]));
    parts.push(pick(ends));
  }
  // The sentinel: a blank line ends whatever block is open, then an event the client waits for.
  parts.push(`\n\nevent: ${SENTINEL}\ndata: end\n\n`);
  const encoder = new TextEncoder();
  const chunks = parts.map((part) => (typeof part === "string" ? encoder.encode(part) : part));
  const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

function splitRandomly(bytes: Uint8Array, next: () => number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; ) {
    const size = 1 + Math.floor(next() * (next() < 0.5 ? 4 : 64));
    pieces.push(bytes.subarray(i, i + size));
    i += size;
  }
  return pieces;
}

describe.each([
  ["undici", {}],
  ["fetch", { fetch: globalThis.fetch }],
] as [string, NodeEventSourceInit][])(
  "differential against the reference over %s",
  (_name, init) => {
    let server: TestServer;
    const streams = new Map<string, Uint8Array[]>();
    beforeAll(async () => {
      server = await startServer();
      server.route("/generated", (_request, response, url) => {
        const pieces = streams.get(url.searchParams.get("n") ?? "") ?? [];
        sseHeaders(response);
        // One write per piece, each after the previous one was handed to the socket.
        let i = 0;
        const write = () => {
          if (i < pieces.length) response.write(pieces[i++], () => setImmediate(write));
        };
        write();
      });
    });
    afterAll(async () => {
      await server.close();
    });

    it(`${STREAMS} generated streams in random chunks dispatch exactly what the reference computes`, async () => {
      let total = 0;
      for (let n = 0; n < STREAMS; n++) {
        const next = random(0x5eed + n);
        const bytes = generateStream(next);
        streams.set(String(n), splitRandomly(bytes, next));
        const expected = referenceParse(bytes).events.map((event) => ({
          ...event,
          origin: server.origin,
        }));

        const source = new EventSource(server.url(`/generated?n=${n}`), init);
        const seen: typeof expected = [];
        const done = new Promise<void>((resolve) => {
          const onEvent = (event: Event) => {
            const { type, data, lastEventId, origin } = event as MessageEvent<string>;
            seen.push({ type, data, lastEventId, origin });
            if (type === SENTINEL) resolve();
          };
          for (const type of new Set(expected.map((event) => event.type)))
            source.addEventListener(type, onEvent);
        });
        await done;
        source.close();
        expect({ stream: n, events: seen }).toEqual({ stream: n, events: expected });
        total += expected.length;
      }
      // The generator must really exercise dispatch, not only the sentinel.
      expect(total - STREAMS).toBeGreaterThan(STREAMS * 2);
    });
  },
);
