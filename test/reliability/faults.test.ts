/**
 * [C15.2] network errors reestablish the connection; [C14] a body that ends reestablishes;
 * [I5] the event cut at the end of a body is discarded. Each fault against a real local server,
 * on both Node transports.
 */
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createServer as createNetServer } from "node:net";
import { Agent, fetch as undiciFetch } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventSource, type NodeEventSourceInit } from "../../src/entries/node.js";
import type { EventSourceErrorEvent } from "../../src/error-event.js";
import type { FetchLike } from "../../src/transports/fetch.js";
import { nextEvent } from "../helpers/events.js";
import { serverForEachTest, sseHeaders } from "../helpers/server.js";
import { type RawServer, startRawServer } from "./raw-server.js";
import { hasOpenssl, selfSignedCertificate } from "./tls.js";
import { transports } from "./transports.js";

const CI = process.env.CI === "true";

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.each(transports)("faults over %s", (_name, init) => {
  let source: EventSource | undefined;
  const server = serverForEachTest(() => source);

  it("[C15.2] connection refused: error, readyState CONNECTING, a reconnection scheduled", async () => {
    source = new EventSource(`http://127.0.0.1:${await closedPort()}/`, init);
    const error = await nextEvent<EventSourceErrorEvent>(source, "error");
    expect(source.readyState).toBe(EventSource.CONNECTING);
    expect(error.willReconnect).toBe(true);
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("[C15.2] DNS failure (a name under .invalid never resolves): error, reconnecting", async () => {
    source = new EventSource("http://no-such-host.invalid/events", init);
    const error = await nextEvent<EventSourceErrorEvent>(source, "error");
    expect(source.readyState).toBe(EventSource.CONNECTING);
    // ENOTFOUND where a resolver answers, EAI_AGAIN where none is reachable.
    expect(error.message).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });

  it("[C15.2] a server that accepts and never answers: no event, and close() releases the socket", async () => {
    let raw: RawServer | undefined;
    try {
      let arrived!: () => void;
      const requested = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      let socketClosed!: Promise<void>;
      raw = await startRawServer((_request, socket) => {
        socketClosed = new Promise((resolve) => socket.on("close", () => resolve()));
        arrived();
      });
      source = new EventSource(raw.url("/"), init);
      const seen: string[] = [];
      for (const type of ["open", "message", "error"]) {
        source.addEventListener(type, () => seen.push(type));
      }
      await requested;
      // "Never" can only be sampled: a few hundred ms with the request sitting unanswered.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen).toEqual([]);
      expect(source.readyState).toBe(EventSource.CONNECTING);
      source.close();
      await socketClosed;
      expect(seen).toEqual([]);
    } finally {
      await raw?.close();
    }
  });

  it("headers then a stall: OPEN, and it stays open without heartbeatTimeout", async () => {
    source = new EventSource(server.url("/stalled"), init);
    const errors: Event[] = [];
    source.onerror = (event) => errors.push(event);
    await nextEvent(source, "open");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(source.readyState).toBe(EventSource.OPEN);
    expect(errors).toEqual([]);
  });

  it("a 1-byte-per-10-ms trickle: every event arrives whole", async () => {
    const body = Buffer.from("id: 1\ndata: é€😀\r\n\r\nevent: tick\rdata: 2\r\r", "utf8");
    server.route("/trickle", (_request, response) => {
      sseHeaders(response);
      let i = 0;
      const timer = setInterval(() => {
        if (response.destroyed || i >= body.length) {
          clearInterval(timer);
          return;
        }
        response.write(body.subarray(i, ++i));
      }, 10);
      response.on("close", () => clearInterval(timer));
    });
    source = new EventSource(server.url("/trickle"), init);
    const first = nextEvent<MessageEvent>(source, "message");
    const second = nextEvent<MessageEvent>(source, "tick");
    expect((await first).data).toBe("é€😀");
    expect((await first).lastEventId).toBe("1");
    expect((await second).data).toBe("2");
    expect(source.readyState).toBe(EventSource.OPEN);
  });

  it("[I5] a stream that ends mid-event: the complete event only, then reestablish with the cut one dropped", async () => {
    server.route("/mid-event", (request, response) => {
      sseHeaders(response);
      if (request.headers["last-event-id"] === undefined) {
        response.end("retry: 1\nid: 1\ndata: complete\n\nid: 2\ndata: cut he");
      } else {
        response.end("data: re\n\n");
      }
    });
    source = new EventSource(server.url("/mid-event"), init);
    const messages: MessageEvent[] = [];
    source.onmessage = (event) => messages.push(event);
    await nextEvent(source, "error");
    expect(source.readyState).toBe(EventSource.CONNECTING);
    await nextEvent(source, "message");
    expect(messages.map((event) => [event.data, event.lastEventId])).toEqual([
      ["complete", "1"],
      // The cut block's `id: 2` never reached the last event ID string.
      ["re", "1"],
    ]);
    expect(server.requestsTo("/mid-event")[1]?.headers["last-event-id"]).toBe("1");
  });
});

// Local runs without openssl skip; CI must have it (the certificate is made with it).
describe.skipIf(!CI && !hasOpenssl()).each(transports)(
  "TLS with a self-signed certificate over %s",
  (name, init) => {
    let source: EventSource | undefined;
    let https: ReturnType<typeof createHttpsServer>;
    let origin: string;
    let cert: string;
    beforeEach(async () => {
      const pair = selfSignedCertificate();
      cert = pair.cert;
      https = createHttpsServer(pair, (_request, response) => {
        sseHeaders(response);
        response.end("data: over tls\n\n");
      });
      await new Promise<void>((resolve) => https.listen(0, "127.0.0.1", resolve));
      origin = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
    });
    afterEach(async () => {
      source?.close();
      https.closeAllConnections();
      await new Promise<void>((resolve) => https.close(() => resolve()));
    });

    it("[C15.2] rejected by default: a network error naming the certificate problem", async () => {
      source = new EventSource(`${origin}/`, init);
      const error = await nextEvent<EventSourceErrorEvent>(source, "error");
      expect(source.readyState).toBe(EventSource.CONNECTING);
      expect(error.message).toMatch(/SELF_SIGNED|self.signed|certificate/i);
    });

    it("[NON-SPEC] accepted through a dispatcher that trusts the certificate", async () => {
      const agent = new Agent({ connect: { ca: cert } });
      try {
        const trusting: NodeEventSourceInit =
          name === "undici"
            ? { dispatcher: agent }
            : {
                // The fetch transport takes the dispatcher through the user's fetch.
                fetch: ((url, options) =>
                  undiciFetch(url, { ...options, dispatcher: agent })) as FetchLike,
              };
        source = new EventSource(`${origin}/`, trusting);
        expect((await nextEvent<MessageEvent>(source, "message")).data).toBe("over tls");
        source.close();
      } finally {
        await agent.close();
      }
    });
  },
);
