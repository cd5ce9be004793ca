/**
 * [NON-SPEC] Drop-in for code written for the `eventsource` package (v4), and mockable with
 * msw 2's `sse()` handler. The eventsource program below is written the way its README shows,
 * and runs unchanged on both classes.
 */
import { EventSource as EventSourcePackage } from "eventsource";
import { sse } from "msw";
import { setupServer } from "msw/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventSource, FetchEventSource } from "../../src/entries/node.js";
import type { EventSourceErrorEvent } from "../../src/error-event.js";
import { nextEvent } from "../helpers/events.js";
import { sseHeaders, startServer, type TestServer } from "../helpers/server.js";

type AnyEventSource = typeof EventSourcePackage;

/**
 * A program written for `eventsource`: a header added through its `fetch` option, a named
 * event listener, and the error's `code` to tell "not authorized". Returns what it saw.
 */
function eventsourceProgram(EventSourceClass: AnyEventSource, url: string): Promise<unknown[]> {
  const seen: unknown[] = [];
  const inits: RequestInit[] = [];
  return new Promise((resolve) => {
    if (!(Symbol.for("eventsource.supports-fetch-override") in EventSourceClass)) {
      resolve(["no fetch override"]);
      return;
    }
    const es = new EventSourceClass(url, {
      fetch: (input, init) => {
        inits.push(init as RequestInit);
        return fetch(input, {
          ...init,
          headers: { ...init.headers, Authorization: "Bearer myToken" },
        });
      },
    });
    es.addEventListener("notice", (event) => {
      seen.push(["notice", event.data, event.lastEventId]);
    });
    es.addEventListener("message", (event) => {
      seen.push(["message", event.data, event.lastEventId]);
    });
    es.addEventListener("error", (err) => {
      if (err.code === 401 || err.code === 403) {
        seen.push(["not authorized", err.code, typeof err.message, es.readyState]);
        es.close();
        const headers = inits.map((init) => init.headers as Record<string, string>);
        seen.push([
          "requests",
          headers.map((h) => [h.Accept, h["Last-Event-ID"]]),
          inits.map((init) => [init.cache, init.redirect, init.signal instanceof AbortSignal]),
        ]);
        resolve(seen);
      } else {
        seen.push(["reconnecting", es.readyState]);
      }
    });
  });
}

describe("[NON-SPEC] drop-in for the eventsource package", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
    // First connection: two events, then the stream ends; the second resumes; the third is
    // refused. Every request must carry the header the program adds.
    server.route("/feed", (request, response) => {
      const n = server.requestsTo("/feed").length;
      if (request.headers.authorization !== "Bearer myToken" || n > 2) {
        response.writeHead(401, { "content-type": "text/plain" }).end("no");
        return;
      }
      sseHeaders(response);
      response.end(
        n === 1
          ? "retry: 5\nid: 1\nevent: notice\ndata: hello\n\nid: 2\ndata: plain\n\n"
          : "id: 3\ndata: resumed\n\n",
      );
    });
  });
  afterEach(async () => {
    await server.close();
  });

  it("[NON-SPEC] a program written for eventsource gives the same results on ours", async () => {
    const expected = [
      ["notice", "hello", "1"],
      ["message", "plain", "2"],
      ["reconnecting", 0],
      ["message", "resumed", "3"],
      ["reconnecting", 0],
      ["not authorized", 401, "string", 2],
      [
        "requests",
        [
          ["text/event-stream", undefined],
          ["text/event-stream", "2"],
          ["text/event-stream", "3"],
        ],
        [
          ["no-store", "follow", true],
          ["no-store", "follow", true],
          ["no-store", "follow", true],
        ],
      ],
    ];
    expect(await eventsourceProgram(EventSourcePackage, server.url("/feed"))).toEqual(expected);
    server.requests.length = 0;
    const ours = await eventsourceProgram(
      EventSource as unknown as AnyEventSource,
      server.url("/feed"),
    );
    expect(ours).toEqual(expected);
  });

  it("[NON-SPEC] eventsource's README fetch wrappers type-check and run on ours unchanged", async () => {
    // Its "Setting HTTP request headers" example, verbatim but for the URL (tsc checks the types).
    const es = new EventSource(server.url("/feed"), {
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          headers: {
            ...init.headers,
            Authorization: "Bearer myToken",
          },
        }),
    });
    const event = await nextEvent<MessageEvent>(es, "notice");
    es.close();
    expect(event.data).toBe("hello");
  });

  it("[NON-SPEC] the supports-fetch-override symbol is there and not enumerable", () => {
    const symbol = Symbol.for("eventsource.supports-fetch-override");
    for (const Class of [EventSource, FetchEventSource]) {
      expect(symbol in Class).toBe(true);
      let owner: object | null = Class;
      while (owner !== null && !Object.hasOwn(owner, symbol)) owner = Object.getPrototypeOf(owner);
      expect(owner).not.toBeNull();
      const descriptor = Object.getOwnPropertyDescriptor(owner as object, symbol);
      expect(descriptor).toMatchObject({ value: true, enumerable: false });
    }
  });

  it("[NON-SPEC] a fetch-like function returning a plain object with a web ReadableStream body", async () => {
    const source = new EventSource("http://sse.test/", {
      fetch: async () => ({
        status: 200,
        url: "",
        headers: new Headers({ "content-type": "text/event-stream" }),
        body: new Blob(["data: from a stream\n\n"]).stream(),
      }),
    });
    const event = await nextEvent<MessageEvent>(source, "message");
    source.close();
    expect(event.data).toBe("from a stream");
    expect(event.origin).toBe("http://sse.test");
  });

  it.each([
    ["no body", null],
    ["a string body", "data: x\n\n"],
  ])(
    "[NON-SPEC] a fetch-like response with %s: an error event, CLOSED, no crash",
    async (_kind, body) => {
      const source = new EventSource("http://sse.test/", {
        fetch: async () =>
          ({
            status: 200,
            url: "",
            headers: new Headers({ "content-type": "text/event-stream" }),
            body,
          }) as never,
      });
      const error = await nextEvent<EventSourceErrorEvent>(source, "error");
      expect(error.message).toBe(
        "the response has no readable body (expected a web ReadableStream)",
      );
      expect(source.readyState).toBe(EventSource.CLOSED);
    },
  );

  it("[NON-SPEC] a fetch-like function that throws or rejects: a network error event, no crash", async () => {
    const source = new EventSource("http://sse.test/", {
      fetch: () => {
        throw new Error("offline");
      },
      reconnect: { maxAttempts: 1 },
    });
    const error = await nextEvent<EventSourceErrorEvent>(source, "error");
    expect(error.message).toMatch(/^network error: offline/);
    expect(source.readyState).toBe(EventSource.CLOSED);
  });
});

describe("[NON-SPEC] mocked with msw's sse() handler", () => {
  const original = Object.getOwnPropertyDescriptor(globalThis, "EventSource");
  afterEach(() => {
    if (original === undefined) Reflect.deleteProperty(globalThis, "EventSource");
    else Object.defineProperty(globalThis, "EventSource", original);
  });

  it("[NON-SPEC] one line of setup: globalThis.EventSource = FetchEventSource", async () => {
    // The documented line (README, "Options beyond the standard"):
    globalThis.EventSource = FetchEventSource;

    // The rest is msw as its users write it.
    const server = setupServer(
      sse<{ message: string; update: { price: number } }>(
        "http://api.test/stream",
        ({ client }) => {
          client.send({ data: "hello" });
          client.send({ id: "7", event: "update", data: { price: 42 } });
        },
      ),
    );
    server.listen({ onUnhandledRequest: "error" });
    try {
      // The app's code uses the global EventSource, as in a browser.
      const source = new globalThis.EventSource("http://api.test/stream");
      const updated = nextEvent<MessageEvent>(source, "update");
      const hello = await nextEvent<MessageEvent>(source, "message");
      const update = await updated;
      source.close();
      expect(hello.data).toBe("hello");
      expect(JSON.parse(update.data)).toEqual({ price: 42 });
      expect(update.lastEventId).toBe("7");
      expect(source).toBeInstanceOf(FetchEventSource);
    } finally {
      server.close();
    }
  });
});
