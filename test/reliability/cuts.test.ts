/**
 * [I5] + [R5.3]: a connection cut anywhere loses no event and repeats none. A hand-written
 * HTTP server cuts every response at a chosen byte (inside the head, mid-line, mid-UTF-8
 * character, between a CR and its LF, inside a chunk-size line), half the time with a FIN and
 * half with a RST, on close-delimited and chunked bodies alike, and resumes after the
 * Last-Event-ID it receives. The event cut before its blank line is discarded by the client and
 * sent again whole on the next connection.
 */
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { EventSource } from "../../src/entries/node.js";
import { type RawServer, seededRandom, startRawServer } from "./raw-server.js";
import { transports } from "./transports.js";

const CUTS = 500;
const CR = 13;
const LF = 10;

const LINE_ENDS = ["\n", "\r\n", "\r"];

/** Event n, the same on every connection: id, multi-byte data, sometimes two lines and a comment. */
function eventText(n: number): string {
  const eol = LINE_ENDS[n % 3] as string;
  const extra = n % 4 === 0 ? `: keep-alive${eol}data: second line ${n}${eol}` : "";
  return `id: ${n}${eol}data: ${expectedFirstLine(n)}${eol}${extra}${eol}`;
}

function expectedFirstLine(n: number): string {
  return `${n} é€😀 ${"x".repeat(n % 7)}`;
}

function expectedData(n: number): string {
  return n % 4 === 0 ? `${expectedFirstLine(n)}\nsecond line ${n}` : expectedFirstLine(n);
}

type CutKind = "head" | "utf8" | "crlf" | "anywhere";
const KINDS: CutKind[] = ["anywhere", "head", "utf8", "crlf", "anywhere"];

/** Where a response of `bytes` (whose head is `headLength` long) is cut, by kind. */
function cutOffset(
  bytes: Buffer,
  headLength: number,
  kind: CutKind,
  random: (n: number) => number,
) {
  const candidates: number[] = [];
  for (let i = 1; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (kind === "head" && i < headLength) candidates.push(i);
    if (kind === "utf8" && i > headLength && (byte & 0xc0) === 0x80) candidates.push(i);
    if (kind === "crlf" && i > headLength && bytes[i - 1] === CR && byte === LF) candidates.push(i);
  }
  if (candidates.length === 0) return 1 + random(bytes.length - 1);
  return candidates[random(candidates.length)] as number;
}

describe.each(transports)("connection cut at random offsets over %s", (_name, init) => {
  let server: RawServer | undefined;
  let source: EventSource | undefined;
  afterEach(async () => {
    source?.close();
    await server?.close();
  });

  it(`${CUTS} cuts: every complete event exactly once, in order, none of the cut ones`, async () => {
    const random = seededRandom(0x5eed);
    const received: { id: string; data: string }[] = [];
    const lastReceived = () => received[received.length - 1]?.id;
    const mismatches: string[] = [];
    const kindsSeen: Record<CutKind | "fin" | "rst" | "chunked", number> = {
      head: 0,
      utf8: 0,
      crlf: 0,
      anywhere: 0,
      fin: 0,
      rst: 0,
      chunked: 0,
    };
    let served = 0;
    let finalId: number | undefined;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });

    server = await startRawServer((request, socket: Socket) => {
      const connection = served++;
      // [R5.3] the header names the last event the client dispatched, or is absent before any.
      const header = request.headers["last-event-id"];
      if (header !== lastReceived()) {
        mismatches.push(
          `connection ${connection}: Last-Event-ID ${header}, client had ${lastReceived()}`,
        );
      }
      const last = Number(header ?? 0);
      const count = 1 + random(6);
      const chunked = connection % 2 === 1;
      let body = connection === 0 ? "retry: 0\n\n" : "";
      for (let n = last + 1; n <= last + count; n++) body += eventText(n);
      const head =
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n" +
        (chunked ? "transfer-encoding: chunked\r\n" : "connection: close\r\n") +
        "\r\n";
      const bodyBytes = Buffer.from(body, "utf8");
      let wire = bodyBytes;
      if (chunked) {
        // Random chunk sizes, so a cut also lands inside chunk framing.
        const parts: Buffer[] = [];
        for (let i = 0; i < bodyBytes.length; ) {
          const size = Math.min(1 + random(40), bodyBytes.length - i);
          parts.push(Buffer.from(`${size.toString(16)}\r\n`), bodyBytes.subarray(i, i + size));
          parts.push(Buffer.from("\r\n"));
          i += size;
        }
        wire = Buffer.concat(parts);
      }
      const bytes = Buffer.concat([Buffer.from(head, "latin1"), wire]);

      if (connection >= CUTS) {
        // The last connection is whole and stays open: the client must reach its last event.
        finalId = last + count;
        socket.write(bytes);
        return;
      }
      const kind = KINDS[connection % KINDS.length] as CutKind;
      // The first connection keeps its `retry: 0`, so the next 500 come fast.
      const minimum = connection === 0 ? head.length + "retry: 0\n\n".length : 1;
      let cut = cutOffset(bytes, head.length, kind, random);
      if (cut < minimum) cut = minimum + random(bytes.length - minimum);
      kindsSeen[kind]++;
      if (chunked) kindsSeen.chunked++;
      if (random(2) === 0) {
        kindsSeen.fin++;
        socket.end(bytes.subarray(0, cut));
      } else {
        kindsSeen.rst++;
        socket.write(bytes.subarray(0, cut), () => socket.resetAndDestroy());
      }
    });

    source = new EventSource(server.url("/events"), init);
    source.onmessage = (event) => {
      received.push({ id: event.lastEventId, data: event.data });
      if (finalId !== undefined && event.lastEventId === String(finalId)) done();
    };
    await finished;

    expect(mismatches).toEqual([]);
    expect(served).toBe(CUTS + 1);
    expect(received.map((event) => event.id)).toEqual(
      Array.from({ length: finalId as number }, (_, i) => String(i + 1)),
    );
    // A cut event, had it been dispatched, would show here with its data truncated.
    expect(received.filter((event) => event.data !== expectedData(Number(event.id)))).toEqual([]);
    // Every kind of cut happened.
    for (const count of Object.values(kindsSeen)) expect(count).toBeGreaterThan(0);
    console.info(
      `cuts: ${CUTS} survived (${JSON.stringify(kindsSeen)}), ${received.length} events received`,
    );
  }, 120_000);
});
