/**
 * Compressed streams: browsers decode gzip, deflate and br as bytes arrive. The server here
 * sync-flushes each event and sends the next only once the client has dispatched the previous
 * one, so a client that buffered until the end of the body would wait forever.
 */

import type { ServerResponse } from "node:http";
import {
  constants,
  createBrotliCompress,
  createDeflate,
  createDeflateRaw,
  createGzip,
  gzipSync,
} from "node:zlib";
import { describe, expect, it } from "vitest";
import { EventSource } from "../../src/entries/node.js";
import type { EventSourceErrorEvent } from "../../src/error-event.js";
import { nextEvent } from "../helpers/events.js";
import { serverForEachTest } from "../helpers/server.js";
import { transports } from "./transports.js";

type Encoder = ReturnType<typeof createGzip> | ReturnType<typeof createBrotliCompress>;

const encoders: Record<string, () => { encoder: Encoder; flush: number }> = {
  gzip: () => ({ encoder: createGzip(), flush: constants.Z_SYNC_FLUSH }),
  deflate: () => ({ encoder: createDeflate(), flush: constants.Z_SYNC_FLUSH }),
  br: () => ({ encoder: createBrotliCompress(), flush: constants.BROTLI_OPERATION_FLUSH }),
};

const EVENTS = 5;

let source: EventSource | undefined;
const server = serverForEachTest(() => source);

describe.each(transports)("Content-Encoding over %s", (transportName, init) => {
  describe.each(Object.keys(encoders))("%s", (coding) => {
    it("[NON-SPEC] each event is delivered as soon as its bytes arrive, not at the end of the body", async () => {
      const received: string[] = [];
      // The server waits on this before sending the next event.
      let seen: ((count: number) => void) | undefined;
      server.route("/compressed", async (_request, response) => {
        const { encoder, flush } = (
          encoders[coding] as () => { encoder: Encoder; flush: number }
        )();
        response.writeHead(200, {
          "content-type": "text/event-stream",
          "content-encoding": coding,
        });
        encoder.pipe(response);
        for (let n = 1; n <= EVENTS; n++) {
          const delivered = new Promise<number>((resolve) => {
            seen = resolve;
          });
          // Multi-byte text, so a decoded chunk can also split a character.
          encoder.write(`id: ${n}\ndata: événement ${n} ✓\n\n`);
          await new Promise<void>((resolve) => encoder.flush(flush, () => resolve()));
          expect(await delivered).toBe(n);
        }
        encoder.end();
      });
      source = new EventSource(server.url("/compressed"), init);
      source.onmessage = (event) => {
        received.push(event.data);
        seen?.(received.length);
      };
      const error = nextEvent(source, "error");
      // The body ends only after the last event was seen: then the source reconnects.
      await error;
      expect(received).toEqual(Array.from({ length: EVENTS }, (_, i) => `événement ${i + 1} ✓`));
      const accept = server.requestsTo("/compressed")[0]?.headers["accept-encoding"] ?? "";
      // Node 20's fetch offers only gzip and deflate, yet decodes br when a server sends it.
      if (transportName === "undici" || coding !== "br") expect(accept).toContain(coding);
    });
  });

  it("[NON-SPEC] a body with gzip then br applied (Content-Encoding: gzip, br) is decoded", async () => {
    server.route("/two-codings", (_request, response) => {
      response.writeHead(200, {
        "content-type": "text/event-stream",
        "content-encoding": "gzip, br",
      });
      const gzip = createGzip();
      const br = createBrotliCompress();
      gzip.pipe(br).pipe(response);
      gzip.end("data: twice encoded\n\n");
    });
    source = new EventSource(server.url("/two-codings"), init);
    const message = await nextEvent<MessageEvent>(source, "message");
    expect(message.data).toBe("twice encoded");
  });

  it("[NON-SPEC] a body that is not what its Content-Encoding says: one network error, the connection dropped, reestablish", async () => {
    let dropped!: Promise<void>;
    server.route("/corrupt", (_request, response) => {
      dropped = new Promise((resolve) => response.on("close", () => resolve()));
      response.writeHead(200, { "content-type": "text/event-stream", "content-encoding": "gzip" });
      // Not gzip, and the response stays open: only the client can end it.
      response.write("data: not gzip at all\n\n");
    });
    source = new EventSource(server.url("/corrupt"), init);
    const messages: string[] = [];
    const errors: Event[] = [];
    source.onmessage = (event) => messages.push(event.data);
    source.onerror = (event) => errors.push(event);
    await nextEvent(source, "open");
    await nextEvent(source, "error");
    await dropped;
    expect(source.readyState).toBe(EventSource.CONNECTING);
    expect(errors).toHaveLength(1);
    expect(messages).toEqual([]);
  });
});

describe("Content-Encoding chains on the undici transport", () => {
  /** A response whose body has `gzip` applied `layers` times, and says so. */
  const nested = (layers: number) => (_request: unknown, response: ServerResponse) => {
    let body = Buffer.from("data: deep\n\n");
    for (let i = 0; i < layers; i++) body = gzipSync(body);
    response.writeHead(200, {
      "content-type": "text/event-stream",
      "content-encoding": Array(layers).fill("gzip").join(", "),
    });
    response.end(body);
  };

  it("[NON-SPEC] decodes a chain of 5 codings", async () => {
    server.route("/nested", nested(5));
    source = new EventSource(server.url("/nested"));
    expect((await nextEvent<MessageEvent>(source, "message")).data).toBe("deep");
  });

  // A few KB of nested gzip under a 15 KB header of 3000 codings took 34 s of CPU and +127 MB
  // before: the limit fetch (undici, CVE-2026-22036) and curl (CVE-2022-32206) set.
  it("[NON-SPEC] refuses a chain of more than 5 codings, as fetch does: a network error, nothing decoded", async () => {
    server.route("/nested", nested(6));
    source = new EventSource(server.url("/nested"), { maxEventSize: 1000 });
    const messages: string[] = [];
    source.onmessage = (event) => messages.push(event.data);
    const error = await nextEvent<EventSourceErrorEvent>(source, "error");
    expect(error.message).toBe("too many content codings (6, at most 5)");
    expect(source.readyState).toBe(EventSource.CONNECTING);
    expect(messages).toEqual([]);
  });
});

describe("Accept-Encoding on the undici transport", () => {
  it("[NON-SPEC] offers gzip, deflate and br, like browsers", async () => {
    source = new EventSource(server.url("/counter?count=1"));
    await nextEvent(source, "message");
    expect(server.requestsTo("/counter")[0]?.headers["accept-encoding"]).toBe("gzip, deflate, br");
  });

  it("[NON-SPEC] keeps the Accept-Encoding a user set through headers", async () => {
    source = new EventSource(server.url("/counter?count=1"), {
      headers: { "Accept-Encoding": "identity" },
    });
    await nextEvent(source, "message");
    expect(server.requestsTo("/counter")[0]?.headers["accept-encoding"]).toBe("identity");
  });

  it("[NON-SPEC] decodes raw deflate, which some servers send for Content-Encoding: deflate", async () => {
    server.route("/raw-deflate", (_request, response) => {
      response.writeHead(200, {
        "content-type": "text/event-stream",
        "content-encoding": "deflate",
      });
      const deflate = createDeflateRaw();
      deflate.pipe(response);
      deflate.end("data: raw\n\n");
    });
    source = new EventSource(server.url("/raw-deflate"));
    expect((await nextEvent<MessageEvent>(source, "message")).data).toBe("raw");
  });
});
