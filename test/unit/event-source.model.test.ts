/**
 * The processing model with a scripted transport and fake timers: the rules that depend on
 * time (reconnection time, retry, close during the wait) and on exact ordering.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeEventSource } from "../helpers/fake-transport.js";

const encoder = new TextEncoder();

describe("EventSource processing model (scripted transport)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("[C16] nothing fires synchronously; readyState starts CONNECTING and one request is made", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    const seen: string[] = [];
    source.onopen = () => seen.push("open");
    source.onerror = () => seen.push("error");
    expect(source.readyState).toBe(0);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.request.method).toBe("GET");
    expect(attempts[0]?.request.headers.accept).toBe("text/event-stream");
    expect(attempts[0]?.request.headers["last-event-id"]).toBeUndefined();
    expect(seen).toEqual([]);
    source.close();
  });

  it("eventsource-reconnect: default reconnection time is 3000 ms (DESIGN decision)", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    attempts[0]?.open();
    attempts[0]?.sink.end();
    expect(source.readyState).toBe(0);
    vi.advanceTimersByTime(2999);
    expect(attempts).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(attempts).toHaveLength(2);
    source.close();
  });

  it("format-field-retry: retry applies when read, even without a blank line (§5)", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    attempts[0]?.open();
    attempts[0]?.sink.chunk("retry: 500\n");
    attempts[0]?.sink.end();
    vi.advanceTimersByTime(499);
    expect(attempts).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(attempts).toHaveLength(2);
    source.close();
  });

  it("format-field-retry-bogus: invalid retry values leave the reconnection time unchanged", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    attempts[0]?.open();
    attempts[0]?.sink.chunk("retry: 100\n");
    for (const bogus of ["10a", "-1", "1.5", " 10", "10 ", "", "+5", "١٠"]) {
      attempts[0]?.sink.chunk(`retry:${bogus === "" ? "" : " "}${bogus}\n`);
    }
    attempts[0]?.sink.chunk("retry\n");
    attempts[0]?.sink.end();
    vi.advanceTimersByTime(99);
    expect(attempts).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(attempts).toHaveLength(2);
    source.close();
  });

  it("retry: 0 reconnects at once, with no hidden minimum", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    attempts[0]?.open();
    attempts[0]?.sink.chunk("retry: 0\n\n");
    attempts[0]?.sink.end();
    vi.advanceTimersByTime(0);
    expect(attempts).toHaveLength(2);
    source.close();
  });

  it("retry beyond the timer limit is clamped, not turned into a reconnect storm (§5)", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    attempts[0]?.open();
    attempts[0]?.sink.chunk(`retry: ${"9".repeat(400)}\n`);
    attempts[0]?.sink.end();
    vi.advanceTimersByTime(60_000);
    expect(attempts).toHaveLength(1);
    vi.advanceTimersByTime(2 ** 31);
    expect(attempts).toHaveLength(2);
    source.close();
  });

  it("[R2] the wait uses the reconnection time current when the error fires", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    attempts[0]?.open();
    attempts[0]?.sink.chunk("retry: 50\n");
    attempts[0]?.sink.end();
    vi.advanceTimersByTime(50);
    expect(attempts).toHaveLength(2);
    attempts[1]?.open();
    attempts[1]?.sink.chunk("retry: 200\n");
    attempts[1]?.sink.end();
    vi.advanceTimersByTime(199);
    expect(attempts).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(attempts).toHaveLength(3);
    source.close();
  });

  it("[R5.1] close() during the wait cancels the reconnection and leaves no timer", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    attempts[0]?.open();
    attempts[0]?.sink.end();
    expect(vi.getTimerCount()).toBe(1);
    source.close();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect(attempts).toHaveLength(1);
  });

  it("close() from the error listener: no reconnection is scheduled", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    source.onerror = () => source.close();
    attempts[0]?.open();
    attempts[0]?.sink.end();
    expect(source.readyState).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("[C15.2] a network error reestablishes: error with CONNECTING, then a new attempt", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    const states: number[] = [];
    source.onerror = () => states.push(source.readyState);
    attempts[0]?.sink.error({ message: "network error: ECONNREFUSED" });
    expect(states).toEqual([0]);
    vi.advanceTimersByTime(3000);
    expect(attempts).toHaveLength(2);
    source.close();
  });

  it("a fatal transport failure (futile retry) fails: CLOSED, never reconnects", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    const states: number[] = [];
    source.onerror = () => states.push(source.readyState);
    attempts[0]?.sink.error({ message: "too many redirects", fatal: true });
    expect(states).toEqual([2]);
    vi.advanceTimersByTime(60_000);
    expect(attempts).toHaveLength(1);
  });

  it("[R5.3] Last-Event-ID: sent on reconnection when non-empty, UTF-8 encoded; dropped after `id` reset", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    attempts[0]?.open();
    attempts[0]?.sink.chunk(encoder.encode("id: é✓\ndata: x\n\n"));
    attempts[0]?.sink.end();
    vi.advanceTimersByTime(3000);
    // UTF-8 bytes as a byte string: what header APIs take (§4).
    expect(attempts[1]?.request.headers["last-event-id"]).toBe("\u00c3\u00a9\u00e2\u009c\u0093");
    attempts[1]?.open();
    attempts[1]?.sink.chunk("id\ndata: y\n\n");
    attempts[1]?.sink.end();
    vi.advanceTimersByTime(3000);
    expect(attempts[2]?.request.headers["last-event-id"]).toBeUndefined();
    source.close();
  });

  it("§7.5 the last event ID survives reconnection and labels events without an id", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    const ids: string[] = [];
    source.onmessage = (event) => ids.push(event.lastEventId);
    attempts[0]?.open();
    attempts[0]?.sink.chunk("id: 1\ndata: x\n\n");
    attempts[0]?.sink.end();
    vi.advanceTimersByTime(3000);
    attempts[1]?.open();
    attempts[1]?.sink.chunk("data: y\n\n");
    attempts[1]?.sink.end();
    vi.advanceTimersByTime(3000);
    expect(ids).toEqual(["1", "1"]);
    expect(attempts[2]?.request.headers["last-event-id"]).toBe("1");
    source.close();
  });

  it("[I5] an id in a block cut by the end of the stream never reaches Last-Event-ID", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    attempts[0]?.open();
    attempts[0]?.sink.chunk("id: 1\ndata: a\n\nid: 2\ndata: b\n");
    attempts[0]?.sink.end();
    vi.advanceTimersByTime(3000);
    expect(attempts[1]?.request.headers["last-event-id"]).toBe("1");
    source.close();
  });

  it("[D1] an id-only block sets the last event ID", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    attempts[0]?.open();
    attempts[0]?.sink.chunk("id: 7\n\n");
    attempts[0]?.sink.end();
    vi.advanceTimersByTime(3000);
    expect(attempts[1]?.request.headers["last-event-id"]).toBe("7");
    source.close();
  });

  it("[R5.3] an ID with a control character is sent as it is (a valid header value for fetch)", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    attempts[0]?.open();
    attempts[0]?.sink.chunk("id: a\u0001b\tc\ndata: x\n\n");
    attempts[0]?.sink.end();
    vi.advanceTimersByTime(3000);
    expect(attempts[1]?.request.headers["last-event-id"]).toBe("a\u0001b\tc");
    source.close();
  });

  it("reconnects to the final URL of the last redirect; `url` keeps the given one", () => {
    const { source, attempts } = fakeEventSource("http://example.test/start");
    attempts[0]?.open("http://other.test/final");
    attempts[0]?.sink.end();
    vi.advanceTimersByTime(3000);
    expect(attempts[1]?.request.url).toBe("http://other.test/final");
    expect(source.url).toBe("http://example.test/start");
    source.close();
  });

  it("[D5] origin is the final URL's origin", () => {
    const { source, attempts } = fakeEventSource("http://example.test/start");
    const origins: string[] = [];
    source.onmessage = (event) => origins.push(event.origin);
    attempts[0]?.open("https://other.test:8443/final");
    attempts[0]?.sink.chunk("data: x\n\n");
    expect(origins).toEqual(["https://other.test:8443"]);
    source.close();
  });

  it("a response with no URL (an old browser's XHR, a fetch-like) stands for the requested one", () => {
    const { source, attempts } = fakeEventSource("http://example.test/start");
    const origins: string[] = [];
    source.onmessage = (event) => origins.push(event.origin);
    attempts[0]?.open("");
    attempts[0]?.sink.chunk("data: x\n\n");
    attempts[0]?.sink.end();
    vi.advanceTimersByTime(3000);
    expect(origins).toEqual(["http://example.test"]);
    expect(attempts[1]?.request.url).toBe("http://example.test/start");
    source.close();
  });

  it("[D8] close() in a handler stops events already parsed from the same chunk", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    const data: string[] = [];
    source.onmessage = (event) => {
      data.push(event.data);
      source.close();
    };
    attempts[0]?.open();
    attempts[0]?.sink.chunk("data: 1\n\ndata: 2\n\n");
    expect(data).toEqual(["1"]);
    expect(attempts[0]?.aborted).toBe(true);
  });

  it("eventsource-close: close() is idempotent, fires nothing, aborts the request", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    const seen: string[] = [];
    source.onerror = () => seen.push("error");
    source.close();
    source.close();
    expect(source.readyState).toBe(2);
    expect(attempts[0]?.aborted).toBe(true);
    // A late answer from the aborted attempt changes nothing.
    attempts[0]?.open();
    attempts[0]?.sink.chunk("data: late\n\n");
    attempts[0]?.sink.error({ message: "aborted" });
    expect(seen).toEqual([]);
    expect(source.readyState).toBe(2);
  });

  it("§3.3 a failed connection aborts the request and never reconnects", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    attempts[0]?.sink.response({
      status: 500,
      url: "http://example.test/events",
      headers: new Headers({ "content-type": "text/event-stream" }),
    });
    expect(source.readyState).toBe(2);
    expect(attempts[0]?.aborted).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(attempts).toHaveLength(1);
  });

  it("open fires again after each successful reconnection", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    let opens = 0;
    source.onopen = () => opens++;
    attempts[0]?.open();
    attempts[0]?.sink.end();
    vi.advanceTimersByTime(3000);
    attempts[1]?.open();
    expect(opens).toBe(2);
    expect(source.readyState).toBe(1);
    source.close();
  });

  it("[NON-SPEC] restart() resumes only from an ID that marks the last event seen, or a later one", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    attempts[0]?.open();
    const restart = () => attempts[attempts.length - 1]?.sink.restart();
    // No ID yet: nothing to resume from.
    attempts[0]?.sink.chunk("data: a\n\n");
    expect(restart()).toBe(false);
    // An event without an ID of its own after "1": resuming after "1" would repeat it.
    attempts[0]?.sink.chunk("id: 1\ndata: b\n\ndata: c\n\n");
    expect(restart()).toBe(false);
    // An ID-only block after it moves the resume point past it.
    attempts[0]?.sink.chunk("id: 2\n\n");
    expect(restart()).toBe(true);
    expect(attempts[1]?.request.headers["last-event-id"]).toBe("2");
    attempts[1]?.open();
    attempts[1]?.sink.chunk("id: 3\ndata: d\n\n");
    expect(restart()).toBe(true);
    expect(attempts[2]?.request.headers["last-event-id"]).toBe("3");
    expect(source.readyState).toBe(1);
    source.close();
  });

  it("[I1] each reconnection's body gets its own leading BOM stripped", () => {
    const { source, attempts } = fakeEventSource("http://example.test/events");
    const data: string[] = [];
    source.onmessage = (event) => data.push(event.data);
    attempts[0]?.open();
    attempts[0]?.sink.chunk(new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode("data: a\n\n")]));
    attempts[0]?.sink.chunk("data: partial");
    attempts[0]?.sink.end();
    vi.advanceTimersByTime(3000);
    attempts[1]?.open();
    attempts[1]?.sink.chunk(new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode("data: b\n\n")]));
    expect(data).toEqual(["a", "b"]);
    source.close();
  });
});
