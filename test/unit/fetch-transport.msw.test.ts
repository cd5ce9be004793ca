/**
 * The fetch transport in isolation, with msw intercepting the global fetch: the request it
 * builds ([C8]–[C11]: mode, credentials, cache, redirect, headers) and what it does with the
 * response, without a network.
 */
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EventSource } from "../../src/entries/browser.js";
import type { EventSourceErrorEvent } from "../../src/error-event.js";
import { nextEvent } from "../helpers/events.js";

const seen: Request[] = [];
const server = setupServer(
  http.get("http://sse.test/events", ({ request }) => {
    seen.push(request.clone());
    const attempt = seen.length;
    return new HttpResponse(
      attempt === 1 ? "retry: 1\nid: 1\ndata: first\n\n" : "data: second\n\n",
      {
        headers: { "content-type": "text/event-stream" },
      },
    );
  }),
  http.get("http://sse.test/no-body", () => new HttpResponse(null, { status: 204 })),
);

describe("fetch transport (msw)", () => {
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    seen.length = 0;
    server.resetHandlers();
  });
  afterAll(() => server.close());

  it("[C8] mode cors, credentials same-origin, [C11] cache no-store, redirect follow, Accept", async () => {
    const source = new EventSource("http://sse.test/events");
    await nextEvent(source, "message");
    source.close();
    const [request] = seen;
    expect(request?.mode).toBe("cors");
    expect(request?.credentials).toBe("same-origin");
    expect(request?.cache).toBe("no-store");
    expect(request?.redirect).toBe("follow");
    expect(request?.headers.get("accept")).toBe("text/event-stream");
    expect(request?.headers.get("last-event-id")).toBeNull();
  });

  it("request-credentials: withCredentials makes credentials `include`", async () => {
    const source = new EventSource("http://sse.test/events", { withCredentials: true });
    await nextEvent(source, "message");
    source.close();
    expect(seen[0]?.credentials).toBe("include");
  });

  it("[R5.3] the reconnection carries Last-Event-ID", async () => {
    const source = new EventSource("http://sse.test/events");
    const data: string[] = [];
    await new Promise<void>((resolve) => {
      source.onmessage = (event) => {
        data.push(event.data);
        if (data.length === 2) resolve();
      };
    });
    source.close();
    expect(data).toEqual(["first", "second"]);
    expect(seen[1]?.headers.get("last-event-id")).toBe("1");
  });

  it("a 204 fails the connection: a plain error Event from the standard class", async () => {
    const source = new EventSource("http://sse.test/no-body");
    const error = await nextEvent(source, "error");
    expect(source.readyState).toBe(EventSource.CLOSED);
    expect(error.constructor).toBe(Event);
    expect(error).not.toHaveProperty("status");
  });

  it("[NON-SPEC] a 204 fails the connection: the extended class's error event says why", async () => {
    const { EventSource: ExtendedEventSource } = await import("../../src/entries/extended.js");
    const source = new ExtendedEventSource("http://sse.test/no-body");
    const error = await nextEvent<EventSourceErrorEvent>(source, "error");
    expect(source.readyState).toBe(EventSource.CLOSED);
    expect(error.status).toBe(204);
    expect(error.message).toBe("HTTP 204");
  });
});

describe("fetch transport, a fetch that throws", () => {
  it("[C15.2] a global fetch that throws instead of rejecting is a network error: error, reconnection", async () => {
    const original = globalThis.fetch;
    let calls = 0;
    globalThis.fetch = () => {
      calls++;
      throw new TypeError("patched fetch throws");
    };
    try {
      const source = new EventSource("http://sse.test/events");
      const error = await nextEvent(source, "error");
      expect(error.type).toBe("error");
      expect(source.readyState).toBe(EventSource.CONNECTING);
      expect(calls).toBe(1);
      source.close();
    } finally {
      globalThis.fetch = original;
    }
  });
});

describe("fetch transport and close()", () => {
  it("eventsource-request-cancellation: close() right after the constructor means the fetch is never called", async () => {
    const { EventSource: ExtendedEventSource } = await import("../../src/entries/extended.js");
    const calls: string[] = [];
    const source = new ExtendedEventSource("http://sse.test/events", {
      fetch: async (url) => {
        calls.push(url);
        return { status: 200, headers: new Headers(), body: null };
      },
    });
    source.close();
    // Past the microtask the request would have started in, and a macrotask more.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toEqual([]);
    expect(source.readyState).toBe(ExtendedEventSource.CLOSED);
  });
});
