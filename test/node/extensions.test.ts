/**
 * [NON-SPEC] The extension options against a real local server, on both Node transports:
 * headers (values, sync and async functions, failures), method and body, lastEventId and the
 * resume query parameter, the reconnect policy, heartbeatTimeout, maxEventSize, signal, option
 * validation and the reasons error events give.
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { createServer } from "node:net";
import { Agent, type Dispatcher } from "undici";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventSource, type NodeEventSourceInit } from "../../src/entries/node.js";
import type { EventSourceErrorEvent } from "../../src/error-event.js";
import { nextEvent } from "../helpers/events.js";
import { sseHeaders, startServer, type TestServer } from "../helpers/server.js";

/** How many requests a transport was asked to send, counted before any byte leaves. */
interface Counter {
  sent: number;
}

const agent = new Agent();
afterAll(() => agent.close());

const transports: Record<string, (counter: Counter) => NodeEventSourceInit> = {
  undici: (counter) => ({
    dispatcher: {
      dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
        counter.sent++;
        return agent.dispatch(options, handler);
      },
    } as unknown as Dispatcher,
  }),
  fetch: (counter) => ({
    fetch: (url, init) => {
      counter.sent++;
      return globalThis.fetch(url, init as RequestInit);
    },
  }),
};

interface ErrorLog {
  message: string;
  status: number | undefined;
  code: number | undefined;
  willReconnect: boolean;
  delay: number | undefined;
  readyState: number;
}

/** Resolves with the error events seen once `done(log)` is true. */
function errorsUntil(source: EventSource, done: (log: ErrorLog[]) => boolean): Promise<ErrorLog[]> {
  const log: ErrorLog[] = [];
  return new Promise((resolve) => {
    source.addEventListener("error", (event) => {
      const error = event as EventSourceErrorEvent;
      log.push({
        message: error.message,
        status: error.status,
        code: error.code,
        willReconnect: error.willReconnect,
        delay: error.delay,
        readyState: source.readyState,
      });
      if (done(log)) resolve(log);
    });
  });
}

const closed = (log: ErrorLog[]) => log[log.length - 1]?.readyState === EventSource.CLOSED;

/** Lets every queued promise callback and I/O callback run (no timer involved). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A port nothing listens on: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => resolve(body));
  });
}

describe.each(Object.keys(transports))("[NON-SPEC] extensions over %s", (name) => {
  let server: TestServer;
  let source: EventSource | undefined;
  let counter: Counter;
  let base: NodeEventSourceInit;
  beforeEach(async () => {
    server = await startServer();
    counter = { sent: 0 };
    base = (transports[name] as (counter: Counter) => NodeEventSourceInit)(counter);
  });
  afterEach(async () => {
    source?.close();
    source = undefined;
    await server.close();
  });
  const open = (path: string, init: NodeEventSourceInit = {}) => {
    source = new EventSource(server.url(path), { ...base, ...init });
    return source;
  };

  // --- headers ---

  it.each([
    ["an object", { "X-Token": "a", "X-Other": "b" }],
    ["a Headers", new Headers({ "X-Token": "a", "X-Other": "b" })],
    [
      "an array of pairs",
      [
        ["X-Token", "a"],
        ["X-Other", "b"],
      ] as [string, string][],
    ],
  ])("[NON-SPEC] headers as %s are sent with every attempt", async (_kind, headers) => {
    const es = open("/counter?count=1&retry=1", { headers });
    await server.waitForRequests("/counter", 2);
    es.close();
    for (const request of server.requestsTo("/counter").slice(0, 2)) {
      expect(request.headers["x-token"]).toBe("a");
      expect(request.headers["x-other"]).toBe("b");
      expect(request.headers.accept).toBe("text/event-stream");
    }
  });

  it("[NON-SPEC] a name given twice sends both values, combined as fetch's Headers does", async () => {
    const es = open("/counter?count=1", {
      headers: [
        ["X-Tag", "a"],
        ["x-tag", "b"],
      ],
    });
    const [request] = await server.waitForRequests("/counter", 1);
    es.close();
    expect(request?.headers["x-tag"]).toBe(
      new Headers([
        ["X-Tag", "a"],
        ["x-tag", "b"],
      ]).get("x-tag"),
    );
  });

  it("[NON-SPEC] a headers function is called before every attempt (a token refreshed)", async () => {
    let calls = 0;
    const es = open("/counter?count=1&retry=1", {
      headers: () => ({ authorization: `Bearer token-${++calls}` }),
    });
    const [first, second] = await server.waitForRequests("/counter", 2);
    es.close();
    expect(first?.headers.authorization).toBe("Bearer token-1");
    expect(second?.headers.authorization).toBe("Bearer token-2");
    // The spec's Last-Event-ID still rides along on the reconnection.
    expect(second?.headers["last-event-id"]).toBe("1");
  });

  it("[NON-SPEC] an async headers function: each attempt waits for it", async () => {
    let calls = 0;
    const es = open("/counter?count=1&retry=1", {
      headers: async () => {
        await settle();
        return new Headers({ authorization: `Bearer async-${++calls}` });
      },
    });
    const [first, second] = await server.waitForRequests("/counter", 2);
    es.close();
    expect(first?.headers.authorization).toBe("Bearer async-1");
    expect(second?.headers.authorization).toBe("Bearer async-2");
  });

  it.each([
    [
      "throws",
      () => {
        throw new Error("token store offline");
      },
    ],
    ["rejects", () => Promise.reject(new Error("token store offline"))],
  ])(
    "[NON-SPEC] a headers function that %s: error event with the reason, CLOSED, nothing sent",
    async (_kind, headers) => {
      const es = open("/counter", { headers });
      const log = await errorsUntil(es, closed);
      expect(log).toEqual([
        {
          message: "headers function failed: token store offline",
          status: undefined,
          code: undefined,
          willReconnect: false,
          delay: undefined,
          readyState: EventSource.CLOSED,
        },
      ]);
      await settle();
      expect(counter.sent).toBe(0);
    },
  );

  it("[NON-SPEC] a headers function returning a bad header value fails the connection", async () => {
    const es = open("/counter", { headers: () => ({ "x-bad": "a\r\nInjected: 1" }) });
    const [error] = await errorsUntil(es, closed);
    expect(error?.message).toMatch(/^headers function failed: .*x-bad/);
    expect(counter.sent).toBe(0);
  });

  it("[NON-SPEC] a header value Node refuses (a control character) fails the source, not retried forever", async () => {
    // Browsers' fetch sends \x01; Node's undici, and so its fetch, refuses it every time.
    const es = open("/counter", { headers: { "x-bad": "a\u0001b" } });
    const log = await errorsUntil(es, (log) => log.length === 1);
    expect(log[0]).toMatchObject({ willReconnect: false, readyState: EventSource.CLOSED });
    expect(server.requestsTo("/counter")).toHaveLength(0);
  });

  it("[NON-SPEC] close() while an async headers function runs: nothing is sent", async () => {
    let release!: (headers: Record<string, string>) => void;
    const es = open("/counter", {
      headers: () =>
        new Promise((resolve) => {
          release = resolve;
        }),
    });
    let events = 0;
    es.onerror = () => events++;
    es.onopen = () => events++;
    await settle();
    es.close();
    release({ authorization: "late" });
    await settle();
    await settle();
    expect(counter.sent).toBe(0);
    expect(events).toBe(0);
    expect(es.readyState).toBe(EventSource.CLOSED);
  });

  it("[NON-SPEC] close() from inside a sync headers function: nothing is sent, no event [§8]", async () => {
    const controller = new AbortController();
    const es = open("/counter", {
      signal: controller.signal,
      headers: () => {
        // The signal closes the source while the request is being built.
        controller.abort();
        return { authorization: "late" };
      },
    });
    let events = 0;
    es.onerror = () => events++;
    es.onopen = () => events++;
    await settle();
    await settle();
    expect(es.readyState).toBe(EventSource.CLOSED);
    expect(counter.sent).toBe(0);
    expect(events).toBe(0);
  });

  // --- method and body ---

  it("[NON-SPEC] method and body: a JSON POST, sent again on a reconnection", async () => {
    const bodies: string[] = [];
    server.route("/chat", async (request, response) => {
      bodies.push(await readBody(request));
      sseHeaders(response);
      response.end(`retry: 1\ndata: answer ${bodies.length}\n\n`);
    });
    const es = open("/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt: "hi", stream: true }),
    });
    const messages: string[] = [];
    await new Promise<void>((resolve) => {
      es.onmessage = (event) => {
        messages.push(event.data);
        if (messages.length === 2) resolve();
      };
    });
    es.close();
    expect(messages).toEqual(["answer 1", "answer 2"]);
    expect(bodies).toEqual(['{"prompt":"hi","stream":true}', '{"prompt":"hi","stream":true}']);
    for (const request of server.requestsTo("/chat").slice(0, 2)) {
      expect(request.method).toBe("POST");
      expect(request.headers["content-type"]).toBe("application/json");
    }
  });

  it.each([303, 307])(
    "[NON-SPEC] a POST redirected by %i reconnects with the request as given, not a method the redirect did not use",
    async (status) => {
      // POST /jobs answers with where the stream is; /jobs/1/events is what the redirect
      // made of the request (fetch: a 303 turns it into a GET, a 307 keeps the POST).
      const method = status === 303 ? "GET" : "POST";
      server.route("/jobs", (_request, response) => {
        response.writeHead(status, { location: "/jobs/1/events" });
        response.end();
      });
      server.route("/jobs/1/events", (request, response) => {
        if (request.method !== method) {
          response.writeHead(405).end();
          return;
        }
        sseHeaders(response);
        response.end("retry: 1\ndata: progress\n\n");
      });
      const es = open("/jobs", { method: "POST", body: "job" });
      const messages: string[] = [];
      await new Promise<void>((resolve) => {
        es.onmessage = (event) => {
          if (messages.push(event.data) === 2) resolve();
        };
        es.onerror = () => {
          if (es.readyState === EventSource.CLOSED) resolve();
        };
      });
      es.close();
      expect(messages).toEqual(["progress", "progress"]);
      expect(server.requestsTo("/jobs/1/events").map((request) => request.method)).toEqual([
        method,
        method,
      ]);
    },
  );

  it("[NON-SPEC] a string body without a content-type is sent as text/plain, as fetch would", async () => {
    const es = open("/counter?count=0", { method: "post", body: "ping" });
    const [request] = await server.waitForRequests("/counter", 1);
    es.close();
    expect(request?.method).toBe("POST");
    expect(request?.headers["content-type"]).toBe("text/plain;charset=UTF-8");
  });

  // --- resume point ---

  it("[NON-SPEC] lastEventId is sent as Last-Event-ID on the first request", async () => {
    const es = open("/counter?count=1", { lastEventId: "41" });
    const event = await nextEvent<MessageEvent>(es, "message");
    es.close();
    expect(event.data).toBe("42");
    expect(event.lastEventId).toBe("42");
    expect(server.requestsTo("/counter")[0]?.headers["last-event-id"]).toBe("41");
  });

  it("[NON-SPEC] a lastEventId with a lone surrogate is sent with U+FFFD in its place, UTF-8 encoded", async () => {
    const es = open("/counter?count=0", { lastEventId: "a\ud800b\ud83d\ude00" });
    const [request] = await server.waitForRequests("/counter", 1);
    es.close();
    // Node reads header bytes as Latin-1: EF BF BD is U+FFFD, F0 9F 98 80 is U+1F600.
    expect(request?.headers["last-event-id"]).toBe("a\xef\xbf\xbdb\xf0\x9f\x98\x80");
  });

  it("[NON-SPEC] lastEventIdQueryParameter carries the ID in the URL instead of the header", async () => {
    const es = open("/counter?count=1&retry=1&topic=a", {
      lastEventId: "7",
      lastEventIdQueryParameter: "lastEventID",
    });
    const [first, second] = await server.waitForRequests("/counter", 2);
    es.close();
    expect(new URL(first?.path ?? "", server.origin).searchParams.get("lastEventID")).toBe("7");
    expect(first?.headers["last-event-id"]).toBeUndefined();
    // The reconnection resumes from the event received, and keeps the other parameters.
    const url = new URL(second?.path ?? "", server.origin);
    expect(url.searchParams.get("lastEventID")).toBe("1");
    expect(url.searchParams.get("topic")).toBe("a");
    expect(second?.headers["last-event-id"]).toBeUndefined();
  });

  it("[NON-SPEC] lastEventIdQueryParameter adds nothing while the ID is empty", async () => {
    const es = open("/counter?count=0", { lastEventIdQueryParameter: "lastEventID" });
    const [first] = await server.waitForRequests("/counter", 1);
    es.close();
    expect(first?.path).toBe("/counter?count=0");
  });

  it("[NON-SPEC] lastEventIdQueryParameter is taken out again once the server resets the ID [R5.3]", async () => {
    let served = 0;
    server.route("/reset", (_request, response) => {
      sseHeaders(response);
      // The first stream sets ID 3; the next resets it (a bare `id`), as in the digest's row 22.
      response.end(++served === 1 ? "retry: 1\nid: 3\ndata: a\n\n" : "id\ndata: b\n\n");
    });
    const es = open("/reset?topic=a", { lastEventIdQueryParameter: "lastEventID" });
    const requests = await server.waitForRequests("/reset", 3);
    es.close();
    expect(requests.slice(0, 3).map((request) => request.path)).toEqual([
      "/reset?topic=a",
      "/reset?topic=a&lastEventID=3",
      "/reset?topic=a",
    ]);
  });

  // --- reconnect policy ---

  it("[NON-SPEC] reconnect.maxAttempts reached: CLOSED, and the final error says so", async () => {
    source = new EventSource(`http://127.0.0.1:${await closedPort()}/gone`, {
      ...base,
      reconnect: { maxAttempts: 3, maxDelay: 1 },
    });
    const log = await errorsUntil(source, closed);
    expect(log.map((e) => [e.willReconnect, e.readyState])).toEqual([
      [true, EventSource.CONNECTING],
      [true, EventSource.CONNECTING],
      [false, EventSource.CLOSED],
    ]);
    expect(log[0]?.message).toMatch(/^network error: .*ECONNREFUSED/);
    expect(log[0]?.delay).toBe(1);
    expect(log[2]?.message).toMatch(
      /^network error: .*ECONNREFUSED.*; gave up after 3 failed attempts \(reconnect\.maxAttempts\)$/,
    );
    expect(counter.sent).toBe(3);
  });

  it("[NON-SPEC] reconnect.maxAttempts counts consecutive failures: an open connection resets it", async () => {
    // Requests 1-2: 503, 3: a stream that ends, 4-6: 503. With maxAttempts 3 and 503 retried,
    // the count restarts at the open of request 3, whose end is no failed attempt, so the
    // source gives up after three more failed attempts: requests 4, 5 and 6.
    let n = 0;
    server.route("/flaky", (_request, response) => {
      n++;
      if (n === 3) {
        sseHeaders(response);
        response.end("retry: 0\ndata: up\n\n");
      } else {
        response.writeHead(503, { "content-type": "text/plain", "retry-after": "0" }).end();
      }
    });
    const es = open("/flaky", { reconnect: { maxAttempts: 3, retryOn: [503] } });
    const log = await errorsUntil(es, closed);
    expect(server.requestsTo("/flaky")).toHaveLength(6);
    expect(log.map((e) => e.status)).toEqual([503, 503, undefined, 503, 503, 503]);
    expect(log[5]?.message).toBe(
      "HTTP 503; gave up after 3 failed attempts (reconnect.maxAttempts)",
    );
  });

  it("[NON-SPEC] reconnect.retryOn makes a 503 reconnect, waiting Retry-After; then it opens", async () => {
    let n = 0;
    server.route("/busy", (_request, response) => {
      if (++n === 1) {
        response.writeHead(503, { "content-type": "text/html", "retry-after": "0" }).end("busy");
        return;
      }
      sseHeaders(response);
      response.write("data: ready\n\n");
    });
    const es = open("/busy", { reconnect: { retryOn: [429, 502, 503] } });
    const errors = errorsUntil(es, (log) => log.length === 1);
    const message = await nextEvent<MessageEvent>(es, "message");
    expect(message.data).toBe("ready");
    expect(await errors).toEqual([
      {
        message: "HTTP 503",
        status: 503,
        code: 503,
        willReconnect: true,
        delay: 0,
        readyState: EventSource.CONNECTING,
      },
    ]);
  });

  it("[NON-SPEC] reconnect.retryOn as a function decides per failure, statuses and the rest", async () => {
    const seen: { status?: number; message: string }[] = [];
    const es = open("/status/401", {
      reconnect: {
        maxDelay: 1,
        retryOn: (failure) => {
          seen.push(failure);
          return seen.length < 2;
        },
      },
    });
    const log = await errorsUntil(es, closed);
    expect(seen).toEqual([
      { message: "HTTP 401", status: 401 },
      { message: "HTTP 401", status: 401 },
    ]);
    expect(log.map((e) => e.willReconnect)).toEqual([true, false]);
    expect(log[1]).toMatchObject({ message: "HTTP 401", status: 401, code: 401 });
  });

  it("[NON-SPEC] close() from inside a retryOn function that says no: no error event [§8]", async () => {
    let asked!: () => void;
    const decided = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const es = open("/status/503", {
      reconnect: {
        retryOn: () => {
          es.close();
          asked();
          return false;
        },
      },
    });
    let errors = 0;
    es.onerror = () => errors++;
    await decided;
    await settle();
    expect(es.readyState).toBe(EventSource.CLOSED);
    expect(errors).toBe(0);
  });

  it("[NON-SPEC] without retryOn a 503 still fails the connection, as the spec says [C15.3]", async () => {
    const es = open("/status/503", { reconnect: { backoff: "exponential", maxAttempts: 5 } });
    const log = await errorsUntil(es, closed);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ message: "HTTP 503", status: 503, willReconnect: false });
  });

  it("[NON-SPEC] exponential backoff: each delay within [0, min(maxDelay, retry · 2^(n-1))]", async () => {
    const es = open("/counter?count=0&retry=20", {
      reconnect: { backoff: "exponential", maxDelay: 50 },
    });
    const log = await errorsUntil(es, (entries) => entries.length === 4);
    es.close();
    // The stream opens each time, which resets the failure count: so the base applies each time.
    for (const entry of log) {
      expect(entry.delay).toBeGreaterThanOrEqual(0);
      expect(entry.delay).toBeLessThanOrEqual(20);
    }
  });

  it("[NON-SPEC] exponential backoff grows over consecutive failures, up to maxDelay", async () => {
    source = new EventSource(`http://127.0.0.1:${await closedPort()}/gone`, {
      ...base,
      reconnect: { backoff: "exponential", maxDelay: 8, maxAttempts: 6 },
    });
    // Base 3000 (the default reconnection time) is above the cap: every delay is in [0, 8].
    const log = await errorsUntil(source, closed);
    expect(log).toHaveLength(6);
    for (const entry of log.slice(0, 5)) {
      expect(entry.delay).toBeGreaterThanOrEqual(0);
      expect(entry.delay).toBeLessThanOrEqual(8);
    }
  });

  // --- heartbeat ---

  it("[NON-SPEC] heartbeatTimeout: a silent connection is dropped and reestablished", async () => {
    server.route("/silent", (_request, response) => {
      sseHeaders(response);
      response.write("retry: 1\ndata: hello\n\n");
    });
    const es = open("/silent", { heartbeatTimeout: 150 });
    const [error] = await errorsUntil(es, (log) => log.length === 1);
    expect(error).toMatchObject({
      message: "no data for 150 ms (heartbeatTimeout)",
      willReconnect: true,
      readyState: EventSource.CONNECTING,
    });
    await server.waitForRequests("/silent", 2);
    expect(es.readyState).not.toBe(EventSource.CLOSED);
  });

  it("[NON-SPEC] heartbeatTimeout: comments keep a quiet connection alive", async () => {
    let comments = 0;
    let beat: ReturnType<typeof setInterval> | undefined;
    server.route("/beating", (_request, response) => {
      sseHeaders(response);
      beat = setInterval(() => {
        response.write(":\n");
        if (++comments === 20) {
          clearInterval(beat);
          response.write("data: done\n\n");
        }
      }, 25);
      response.on("close", () => clearInterval(beat));
    });
    const es = open("/beating", { heartbeatTimeout: 2000 });
    let errors = 0;
    es.onerror = () => errors++;
    const event = await nextEvent<MessageEvent>(es, "message");
    es.close();
    expect(event.data).toBe("done");
    expect(errors).toBe(0);
    expect(server.requestsTo("/beating")).toHaveLength(1);
  });

  it("[NON-SPEC] heartbeatTimeout also covers a server that never answers", async () => {
    server.route("/mute", () => {});
    const es = open("/mute", { heartbeatTimeout: 100, reconnect: { maxAttempts: 2, maxDelay: 1 } });
    const log = await errorsUntil(es, closed);
    expect(log.map((e) => e.message)).toEqual([
      "no data for 100 ms (heartbeatTimeout)",
      "no data for 100 ms (heartbeatTimeout); gave up after 2 failed attempts (reconnect.maxAttempts)",
    ]);
  });

  // --- limits ---

  it("[NON-SPEC] maxEventSize: an oversized event fails the connection with the reason", async () => {
    const big = "x".repeat(2000);
    const es = open(`/stream?body=${encodeURIComponent(`data: ok\n\ndata: ${big}\n\n`)}`, {
      maxEventSize: 1000,
    });
    const received: string[] = [];
    es.onmessage = (event) => received.push(event.data);
    const [error] = await errorsUntil(es, closed);
    expect(received).toEqual(["ok"]);
    expect(error?.message).toMatch(/maxEventSize|1000/);
    expect(error?.willReconnect).toBe(false);
  });

  // --- signal ---

  it("[NON-SPEC] signal already aborted: CLOSED at once, no request, no event", async () => {
    const es = open("/counter", { signal: AbortSignal.abort() });
    expect(es.readyState).toBe(EventSource.CLOSED);
    let events = 0;
    es.onerror = () => events++;
    es.onopen = () => events++;
    await settle();
    expect(counter.sent).toBe(0);
    expect(events).toBe(0);
  });

  it("[NON-SPEC] signal aborted during connect: CLOSED, no event, the request is cancelled", async () => {
    let requestClosed!: Promise<void>;
    server.route("/slow", (request) => {
      requestClosed = new Promise((resolve) => request.socket.on("close", () => resolve()));
    });
    const controller = new AbortController();
    const es = open("/slow", { signal: controller.signal });
    let events = 0;
    es.onerror = () => events++;
    es.onopen = () => events++;
    await server.waitForRequests("/slow", 1);
    controller.abort();
    expect(es.readyState).toBe(EventSource.CLOSED);
    await requestClosed;
    expect(events).toBe(0);
  });

  it("[NON-SPEC] signal aborted while open closes the source", async () => {
    const controller = new AbortController();
    const es = open("/stalled", { signal: controller.signal });
    await nextEvent(es, "open");
    controller.abort();
    expect(es.readyState).toBe(EventSource.CLOSED);
  });

  // --- why ---

  it.each([
    ["/status/401", { message: "HTTP 401", status: 401, code: 401 }],
    [
      "/content-type?type=text/html",
      { message: "content-type text/html is not text/event-stream", status: 200 },
    ],
  ])("[NON-SPEC] the error event says why: %s", async (path, expected) => {
    const es = open(path);
    const [error] = await errorsUntil(es, closed);
    expect(error).toMatchObject({ ...expected, willReconnect: false });
  });

  it("[NON-SPEC] the error event says why: connection refused, with the delay before the retry", async () => {
    source = new EventSource(`http://127.0.0.1:${await closedPort()}/`, base);
    const [error] = await errorsUntil(source, () => true);
    expect(error?.message).toMatch(/^network error: .*ECONNREFUSED/);
    expect(error).toMatchObject({ willReconnect: true, delay: 3000, status: undefined });
  });
});

describe("[NON-SPEC] invalid options: a TypeError at construction naming the option", () => {
  const url = "http://127.0.0.1:1/";
  const cases: [string, NodeEventSourceInit][] = [
    ["headers", { headers: 42 as never }],
    ["headers", { headers: { "bad name": "x" } }],
    ["headers", { headers: { "x-a": "line\nbreak" } }],
    // Not a ByteString: fetch throws a TypeError at every attempt, undici refuses it.
    ["headers", { headers: { "x-a": "\u20ac" } }],
    ["headers", { headers: [["x-a", "caf\u00e9 \u20ac"]] }],
    ["method", { method: "GET POST" }],
    ["method", { method: "CONNECT" }],
    ["body", { method: "POST", body: { json: true } as never }],
    ["body", { body: "text" }],
    ["body", { method: "GET", body: "text" }],
    ["lastEventId", { lastEventId: 5 as never }],
    ["lastEventIdQueryParameter", { lastEventIdQueryParameter: "" }],
    ["reconnect", { reconnect: "always" as never }],
    ["reconnect.backoff", { reconnect: { backoff: "linear" as never } }],
    ["reconnect.maxDelay", { reconnect: { maxDelay: -1 } }],
    ["reconnect.maxAttempts", { reconnect: { maxAttempts: -1 } }],
    ["reconnect.maxAttempts", { reconnect: { maxAttempts: 1.5 } }],
    ["reconnect.retryOn", { reconnect: { retryOn: [503, "502"] as never } }],
    ["heartbeatTimeout", { heartbeatTimeout: 0 }],
    ["heartbeatTimeout", { heartbeatTimeout: Number.NaN }],
    ["heartbeatTimeout", { heartbeatTimeout: 2 ** 31 }],
    ["maxEventSize", { maxEventSize: 0 }],
    ["signal", { signal: {} as never }],
    // close() removes its listener: a signal it could not remove it from fails now, not there.
    ["signal", { signal: { aborted: false, addEventListener() {} } as never }],
    ["browserLifecycle", { browserLifecycle: "yes" as never }],
    ["fetch", { fetch: "fetch" as never }],
    ["dispatcher", { dispatcher: {} as never }],
    ["dispatcher", { fetch: globalThis.fetch as never, dispatcher: new Agent() }],
  ];
  it.each(cases)("[NON-SPEC] %s: %j", (option, init) => {
    let thrown: unknown;
    try {
      new EventSource(url, init).close();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as TypeError).message).toContain(`the ${option} option must be`);
  });

  it("[NON-SPEC] the README's example message is the one the constructor throws", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const quoted = /\(`(the reconnect\.maxAttempts option must be .*, got (.+)\.)`\)/.exec(
      readme.replace(/\s*\n\s*/g, " "),
    );
    expect(quoted).not.toBeNull();
    const [, message, value] = quoted as unknown as [string, string, string];
    expect(() =>
      new EventSource(url, { reconnect: { maxAttempts: Number(value) } }).close(),
    ).toThrow(`Failed to construct 'EventSource': ${message}`);
  });

  it("[NON-SPEC] valid options construct without a throw", () => {
    const source = new EventSource(url, {
      headers: () => ({}),
      method: "POST",
      body: new Uint8Array([1]),
      lastEventId: "",
      lastEventIdQueryParameter: "lastEventID",
      reconnect: { backoff: "exponential", maxDelay: 0, maxAttempts: Number.POSITIVE_INFINITY },
      heartbeatTimeout: 1000,
      maxEventSize: 1,
      signal: new AbortController().signal,
      browserLifecycle: false,
    });
    source.close();
    expect(source.readyState).toBe(EventSource.CLOSED);
  });
});
