/**
 * The processing model against a real node:http server on 127.0.0.1, over both Node
 * transports: undici (the default) and fetch (`fetch: globalThis.fetch`). Test names mirror
 * the digest's steps and the WPT files it lists (§11).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventSource, type NodeEventSourceInit } from "../../src/entries/node.js";
import type { EventSourceErrorEvent } from "../../src/error-event.js";
import { nextEvent, record } from "../helpers/events.js";
import { sseHeaders, startServer, type TestServer } from "../helpers/server.js";

const transports: [string, NodeEventSourceInit][] = [
  ["undici", {}],
  ["fetch", { fetch: globalThis.fetch }],
];

describe.each(transports)("EventSource over %s", (_name, transportInit) => {
  let server: TestServer;
  const sources: EventSource[] = [];
  const open = (path: string, init: NodeEventSourceInit = {}) => {
    const source = new EventSource(server.url(path), { ...transportInit, ...init });
    sources.push(source);
    return source;
  };

  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    for (const source of sources.splice(0)) source.close();
    await server.close();
  });

  it("request-accept, request-cache-control: GET with Accept: text/event-stream, no Last-Event-ID at first", async () => {
    const source = open("/counter?count=1");
    await nextEvent(source, "message");
    const [request] = server.requestsTo("/counter");
    expect(request?.method).toBe("GET");
    expect(request?.headers.accept).toBe("text/event-stream");
    expect(request?.headers["cache-control"]).toBe("no-cache");
    expect(request?.headers["last-event-id"]).toBeUndefined();
  });

  it("[C15.4] announce: OPEN and `open`, then messages with data, origin and lastEventId", async () => {
    const source = open(
      `/stream?body=${encodeURIComponent("id: 1\ndata: a\n\nevent: add\ndata: b\n\n")}&hold`,
    );
    const { finished } = record(source, ["open", "message", "add"], (log) => log.length === 3);
    expect(await finished).toEqual([
      { type: "open", readyState: 1 },
      { type: "message", data: "a", lastEventId: "1", origin: server.origin, readyState: 1 },
      { type: "add", data: "b", lastEventId: "1", origin: server.origin, readyState: 1 },
    ]);
  });

  it.each([204, 205, 201, 206, 210, 299, 304, 400, 401, 404, 410, 500, 502, 503])(
    "request-status-error: HTTP %i fails the connection (error, CLOSED) and never reconnects",
    async (status) => {
      const source = open(`/status/${status}?retry=0`);
      const error = await nextEvent<EventSourceErrorEvent>(source, "error");
      expect(source.readyState).toBe(EventSource.CLOSED);
      expect(error.status).toBe(status);
      expect(error.message).toBe(`HTTP ${status}`);
      expect(error.willReconnect).toBe(false);
      // A second request would come within the test; there is none to wait for, so make a
      // round trip through the server and check the count after it.
      await fetch(server.url("/status/200"));
      expect(server.requestsTo(`/status/${status}`)).toHaveLength(1);
    },
  );

  it.each([
    "text/event-stream",
    "text/event-stream;charset=UTF-8",
    "TEXT/Event-Stream; charset=latin1",
    " text/event-stream ; foo=bar",
  ])("format-mime-valid: %j is accepted", async (type) => {
    const source = open(`/content-type?type=${encodeURIComponent(type)}`);
    const message = await nextEvent<MessageEvent>(source, "message");
    expect(message.data).toBe("typed");
  });

  it.each([
    "text/plain",
    "text/event-streamx",
    "text/event-stream-x",
    "text/html; x=text/event-stream",
    "",
    null,
  ])("format-mime-bogus: content type %j fails the connection", async (type) => {
    const source = open(
      type === null ? "/content-type" : `/content-type?type=${encodeURIComponent(type)}`,
    );
    const error = await nextEvent<EventSourceErrorEvent>(source, "error");
    expect(source.readyState).toBe(EventSource.CLOSED);
    expect(error.message).toMatch(/is not text\/event-stream/);
  });

  it("[C15.4] a charset other than UTF-8 is ignored: the body is decoded as UTF-8", async () => {
    server.route("/latin1", (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream; charset=iso-8859-1" });
      response.end(Buffer.from("data: é✓😀\n\n", "utf8"));
    });
    const message = await nextEvent<MessageEvent>(open("/latin1"), "message");
    expect(message.data).toBe("é✓😀");
  });

  it("format-utf-8 / format-bom: multi-byte characters split across writes, one BOM stripped", async () => {
    server.route("/split", (_request, response) => {
      sseHeaders(response);
      const bytes = Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from("data: é✓😀\r\n\r\ndata: \uFEFFx\n\n"),
      ]);
      // One byte per write, so every character and the BOM are split.
      let i = 0;
      const next = () => {
        if (i < bytes.length) response.write(bytes.subarray(i, ++i), next);
        else response.end();
      };
      next();
    });
    const source = open("/split");
    const { finished } = record(source, ["message"], (log) => log.length === 2);
    expect((await finished).map((event) => event.data)).toEqual(["é✓😀", "\uFEFFx"]);
  });

  it("eventsource-reconnect: a clean end reestablishes: error with CONNECTING, Last-Event-ID, open again", async () => {
    const source = open("/counter?count=2&retry=5");
    const { finished } = record(source, ["open", "message", "error"], (log) => log.length === 7);
    expect(
      (await finished).map((event) => `${event.type}:${event.data ?? ""}:${event.readyState}`),
    ).toEqual([
      "open::1",
      "message:1:1",
      "message:2:1",
      "error::0",
      "open::1",
      "message:3:1",
      "message:4:1",
    ]);
    expect(
      server.requestsTo("/counter").map((request) => request.headers["last-event-id"]),
    ).toEqual([undefined, "2"]);
  });

  it("a connection dropped mid-body reestablishes, and the cut event is not dispatched [I5]", async () => {
    let connections = 0;
    server.route("/drop", (request, response) => {
      connections++;
      sseHeaders(response);
      if (connections === 1) {
        response.write("retry: 5\nid: 1\ndata: whole\n\nid: 2\ndata: cut");
        setImmediate(() => request.socket.destroy());
      } else {
        response.end(`data: resumed after ${request.headers["last-event-id"]}\n\n`);
      }
    });
    const source = open("/drop");
    const { finished } = record(source, ["message", "error"], (log) => log.length === 3);
    expect(
      (await finished).map((event) => `${event.type}:${event.data ?? ""}:${event.readyState}`),
    ).toEqual(["message:whole:1", "error::0", "message:resumed after 1:1"]);
  });

  it("[R5.3] Last-Event-ID is sent UTF-8 encoded", async () => {
    server.route("/unicode-id", (request, response) => {
      sseHeaders(response);
      if (request.headers["last-event-id"] === undefined)
        response.end("retry: 5\nid: é✓\ndata: x\n\n");
      else
        response.end(
          `data: ${Buffer.from(String(request.headers["last-event-id"]), "latin1").toString("utf8")}\n\n`,
        );
    });
    const source = open("/unicode-id");
    const { finished } = record(source, ["message"], (log) => log.length === 2);
    expect((await finished).map((event) => event.data)).toEqual(["x", "é✓"]);
  });

  it("[C15.2] connection refused reestablishes (error with CONNECTING), then connects when the server is back", async () => {
    const down = await startServer();
    const url = down.url("/counter?count=1");
    await down.close();
    const source = new EventSource(url, { ...transportInit });
    sources.push(source);
    const error = await nextEvent<EventSourceErrorEvent>(source, "error");
    expect(source.readyState).toBe(EventSource.CONNECTING);
    expect(error.willReconnect).toBe(true);
    expect(error.message).toMatch(/ECONNREFUSED|fetch failed|network/i);
  });

  it.each([301, 302, 303, 307, 308])(
    "request-redirect: %i is followed; origin and reconnection use the final URL",
    async (status) => {
      const other = await startServer();
      try {
        const target = other.url("/counter?count=1&retry=5");
        const source = open(`/redirect?status=${status}&to=${encodeURIComponent(target)}`);
        const { finished } = record(source, ["message"], (log) => log.length === 2);
        const log = await finished;
        expect(log.map((event) => [event.data, event.origin])).toEqual([
          ["1", other.origin],
          ["2", other.origin],
        ]);
        expect(source.url).toBe(
          server.url(`/redirect?status=${status}&to=${encodeURIComponent(target)}`),
        );
        // The reconnection went straight to the final URL (DESIGN "Decisions").
        expect(server.requestsTo("/redirect")).toHaveLength(1);
        expect(
          other.requestsTo("/counter").map((request) => request.headers["last-event-id"]),
        ).toEqual([undefined, "1"]);
      } finally {
        await other.close();
      }
    },
  );

  it("request-redirect: a redirect to a bad status fails", async () => {
    const source = open(`/redirect?status=307&to=${encodeURIComponent("/status/404")}`);
    const error = await nextEvent<EventSourceErrorEvent>(source, "error");
    expect(source.readyState).toBe(EventSource.CLOSED);
    expect(error.status).toBe(404);
  });

  it("eventsource-close: close() while connecting aborts the request; nothing fires", async () => {
    let requestClosed!: Promise<void>;
    server.route("/slow", (request: IncomingMessage, _response: ServerResponse) => {
      requestClosed = new Promise((resolve) => request.socket.on("close", () => resolve()));
    });
    const source = open("/slow");
    const seen: string[] = [];
    for (const type of ["open", "message", "error"])
      source.addEventListener(type, () => seen.push(type));
    await server.waitForRequests("/slow", 1);
    source.close();
    expect(source.readyState).toBe(EventSource.CLOSED);
    await requestClosed;
    expect(seen).toEqual([]);
  });

  it("eventsource-close: close() while open aborts the response stream", async () => {
    let requestClosed!: Promise<void>;
    server.route("/open-forever", (request, response) => {
      requestClosed = new Promise((resolve) => request.socket.on("close", () => resolve()));
      sseHeaders(response);
      response.write("data: first\n\n");
    });
    const source = open("/open-forever");
    await nextEvent(source, "message");
    source.close();
    await requestClosed;
    expect(source.readyState).toBe(EventSource.CLOSED);
  });

  it("[D8] close() inside a handler: later events of the same chunk are not delivered", async () => {
    const source = open(
      `/stream?body=${encodeURIComponent("data: 1\n\ndata: 2\n\ndata: 3\n\n")}&hold`,
    );
    const data: string[] = [];
    source.onmessage = (event) => {
      data.push(event.data);
      source.close();
    };
    await nextEvent(source, "message");
    // Let any later chunk arrive: a round trip through the server.
    await fetch(server.url("/status/200"));
    expect(data).toEqual(["1"]);
  });

  it("eventsource-constructor-url-bogus: an invalid URL throws SyntaxError and sends nothing", () => {
    expect(() => new EventSource("http://this is invalid/", transportInit)).toThrow(
      expect.objectContaining({ name: "SyntaxError" }),
    );
    expect(server.requests).toHaveLength(0);
  });
});
