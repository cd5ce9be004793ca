/** The IDL surface (§0, §1): constructor argument handling, attributes, constants, handlers. */
import { describe, expect, it } from "vitest";
import { EventSource as BrowserEventSource } from "../../src/entries/browser.js";
import { EventSource as NodeEventSource } from "../../src/entries/node.js";
import { EventSource } from "../../src/event-source.js";
import { fakeEventSource } from "../helpers/fake-transport.js";

describe("constructor", () => {
  it("eventsource-constructor-url-bogus: an unparsable URL throws SyntaxError (a DOMException), no request", () => {
    let thrown: unknown;
    let attempts: unknown[] | undefined;
    try {
      attempts = fakeEventSource("http://this is invalid/").attempts;
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DOMException);
    expect((thrown as DOMException).name).toBe("SyntaxError");
    // The constructor threw before any request could be recorded.
    expect(attempts).toBeUndefined();
  });

  it("[C4] a relative URL with no base URL (Node) throws SyntaxError", () => {
    expect(() => new NodeEventSource("/x")).toThrow(
      expect.objectContaining({ name: "SyntaxError" }),
    );
    expect(() => new NodeEventSource("")).toThrow(expect.objectContaining({ name: "SyntaxError" }));
  });

  it("eventsource-constructor-empty-url: '' resolves to the base URL where there is one", () => {
    const { source } = fakeEventSource("", undefined, "http://example.test/page?q=1");
    expect(source.url).toBe("http://example.test/page?q=1");
    source.close();
  });

  it("relative URLs resolve against the base URL", () => {
    const { source, attempts } = fakeEventSource(
      "../events?x=1",
      undefined,
      "http://example.test/a/b/page",
    );
    expect(source.url).toBe("http://example.test/a/events?x=1");
    expect(attempts[0]?.request.url).toBe("http://example.test/a/events?x=1");
    source.close();
  });

  it("eventsource-constructor-stringify: URL objects and objects with toString() are accepted", () => {
    const fromURL = fakeEventSource(new URL("http://example.test/a") as unknown as string).source;
    const fromObject = fakeEventSource({
      toString: () => "http://example.test/b",
    } as unknown as string).source;
    expect(fromURL.url).toBe("http://example.test/a");
    expect(fromObject.url).toBe("http://example.test/b");
    fromURL.close();
    fromObject.close();
  });

  it("url is the serialized absolute URL", () => {
    const { source } = fakeEventSource("HTTP://Example.TEST:80/a/../b");
    expect(source.url).toBe("http://example.test/b");
    source.close();
  });

  it("calling with no arguments is a TypeError", () => {
    expect(() => new (NodeEventSource as unknown as new () => unknown)()).toThrow(TypeError);
    expect(() => new (BrowserEventSource as unknown as new () => unknown)()).toThrow(TypeError);
  });

  it("[C1] WebIDL converts both arguments before [C3]/[C4]: a throwing withCredentials getter wins over a bad URL", () => {
    const failure = new RangeError("getter");
    const init = {
      get withCredentials(): boolean {
        throw failure;
      },
    };
    expect(() => fakeEventSource("http://[::1/", init)).toThrow(failure);
  });

  it("[C7] withCredentials is converted to a boolean and defaults to false", () => {
    const plain = fakeEventSource("http://example.test/").source;
    const truthy = fakeEventSource("http://example.test/", {
      withCredentials: 1 as unknown as boolean,
    });
    expect(plain.withCredentials).toBe(false);
    expect(truthy.source.withCredentials).toBe(true);
    expect(truthy.attempts[0]?.request.withCredentials).toBe(true);
    plain.close();
    truthy.source.close();
  });
});

describe("eventsource-prototype: attributes and constants", () => {
  it("CONNECTING/OPEN/CLOSED are 0/1/2 on the class and the prototype, non-writable", () => {
    for (const target of [
      EventSource,
      EventSource.prototype,
      NodeEventSource,
      BrowserEventSource.prototype,
    ]) {
      expect([target.CONNECTING, target.OPEN, target.CLOSED]).toEqual([0, 1, 2]);
    }
    for (const target of [EventSource, EventSource.prototype]) {
      const descriptor = Object.getOwnPropertyDescriptor(target, "OPEN");
      expect(descriptor).toMatchObject({
        value: 1,
        writable: false,
        enumerable: true,
        configurable: false,
      });
    }
    expect(() => {
      (EventSource as unknown as { OPEN: number }).OPEN = 5;
    }).toThrow(TypeError);
  });

  it("url, withCredentials and readyState are read-only accessors on the prototype", () => {
    for (const name of ["url", "withCredentials", "readyState"]) {
      const descriptor = Object.getOwnPropertyDescriptor(EventSource.prototype, name);
      expect(typeof descriptor?.get).toBe("function");
      expect(descriptor?.set).toBeUndefined();
    }
  });

  it("eventsource-prototype: the class string is EventSource (Symbol.toStringTag, as WebIDL defines it)", () => {
    for (const Source of [BrowserEventSource, NodeEventSource]) {
      // On the prototype of the class the entry builds on (the Node entry's is one step up).
      let prototype = Source.prototype;
      while (!Object.hasOwn(prototype, Symbol.toStringTag))
        prototype = Object.getPrototypeOf(prototype);
      expect(prototype).toBeInstanceOf(EventSource);
      expect(Object.getOwnPropertyDescriptor(prototype, Symbol.toStringTag)).toEqual({
        value: "EventSource",
        writable: false,
        enumerable: false,
        configurable: true,
      });
      const source = new Source("http://127.0.0.1:9/");
      source.close();
      expect(Object.prototype.toString.call(source)).toBe("[object EventSource]");
    }
  });

  it("eventsource-eventtarget: an EventSource is an EventTarget", () => {
    const { source } = fakeEventSource("http://example.test/");
    expect(source).toBeInstanceOf(EventTarget);
    expect(source).toBeInstanceOf(EventSource);
    source.close();
  });
});

describe("event handler attributes (HTML semantics)", () => {
  it("eventsource-onmessage: onmessage sees only `message`, addEventListener sees any type", () => {
    const { source, attempts } = fakeEventSource("http://example.test/");
    const seen: string[] = [];
    source.onmessage = (event) => seen.push(`onmessage:${event.data}`);
    source.addEventListener("add", (event) => seen.push(`add:${event.data}`));
    attempts[0]?.open();
    attempts[0]?.sink.chunk("event: add\ndata: 1\n\ndata: 2\n\nevent: message\ndata: 3\n\n");
    expect(seen).toEqual(["add:1", "onmessage:2", "onmessage:3"]);
    source.close();
  });

  it("a handler keeps its position among listeners when reassigned; null removes it", () => {
    const { source, attempts } = fakeEventSource("http://example.test/");
    const order: string[] = [];
    source.addEventListener("message", () => order.push("first"));
    source.onmessage = () => order.push("handler-a");
    source.addEventListener("message", () => order.push("last"));
    source.onmessage = () => order.push("handler-b");
    attempts[0]?.open();
    attempts[0]?.sink.chunk("data: 1\n\n");
    source.onmessage = null;
    attempts[0]?.sink.chunk("data: 2\n\n");
    expect(order).toEqual(["first", "handler-b", "last", "first", "last"]);
    expect(source.onmessage).toBeNull();
    source.close();
  });

  it("the getter returns what was set; a non-object sets null", () => {
    const { source } = fakeEventSource("http://example.test/");
    const handler = () => {};
    source.onopen = handler;
    expect(source.onopen).toBe(handler);
    source.onopen = "nonsense" as unknown as null;
    expect(source.onopen).toBeNull();
    source.close();
  });

  it("a handler that is an object but not callable is kept, and skipped without an error", async () => {
    const { source, attempts } = fakeEventSource("http://example.test/");
    const errors: unknown[] = [];
    const onError = (error: unknown) => errors.push(error);
    process.on("uncaughtException", onError);
    try {
      const handler = { handleEvent: () => errors.push("called") };
      source.onmessage = handler as unknown as null;
      expect(source.onmessage).toBe(handler);
      const seen: string[] = [];
      source.addEventListener("message", (event) => seen.push(event.data));
      attempts[0]?.open();
      attempts[0]?.sink.chunk("data: 1\n\n");
      expect(seen).toEqual(["1"]);
      // Node reports a listener's exception on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(errors).toEqual([]);
    } finally {
      process.off("uncaughtException", onError);
      source.close();
    }
  });

  it("a handler is added and removed by EventTarget's own methods, not ones the instance replaced", () => {
    const { source, attempts } = fakeEventSource("http://example.test/");
    const replaced: string[] = [];
    source.addEventListener = () => replaced.push("add");
    source.removeEventListener = () => replaced.push("remove");
    const seen: string[] = [];
    source.onmessage = (event) => seen.push(event.data);
    attempts[0]?.open();
    attempts[0]?.sink.chunk("data: 1\n\n");
    source.onmessage = null;
    attempts[0]?.sink.chunk("data: 2\n\n");
    expect(seen).toEqual(["1"]);
    expect(replaced).toEqual([]);
    source.close();
  });

  it("handlers are called with the source as `this`", () => {
    const { source, attempts } = fakeEventSource("http://example.test/");
    let self: unknown;
    source.onopen = function () {
      self = this;
    };
    attempts[0]?.open();
    expect(self).toBe(source);
    source.close();
  });

  it("a handler returning false cancels a cancelable event, as HTML processes its return value", () => {
    const { source } = fakeEventSource("http://example.test/");
    source.close();
    source.onmessage = () => false;
    source.onerror = () => false;
    expect(source.dispatchEvent(new Event("message", { cancelable: true }))).toBe(false);
    expect(source.dispatchEvent(new Event("error", { cancelable: true }))).toBe(false);
    // Any other value, or an event that is not cancelable, leaves the default alone.
    source.onmessage = () => 0;
    expect(source.dispatchEvent(new Event("message", { cancelable: true }))).toBe(true);
    source.onerror = () => false;
    const plain = new Event("error");
    expect(source.dispatchEvent(plain)).toBe(true);
    expect(plain.defaultPrevented).toBe(false);
  });

  it("server events named `open` or `error` reach addEventListener as MessageEvents", () => {
    const { source, attempts } = fakeEventSource("http://example.test/");
    const seen: string[] = [];
    source.addEventListener("open", (event) =>
      seen.push(event instanceof MessageEvent ? `message-open:${event.data}` : "open"),
    );
    source.addEventListener("error", (event) =>
      seen.push(event instanceof MessageEvent ? `message-error:${event.data}` : "error"),
    );
    attempts[0]?.open();
    attempts[0]?.sink.chunk("event: open\ndata: o\n\nevent: error\ndata: e\n\n");
    expect(seen).toEqual(["open", "message-open:o", "message-error:e"]);
    source.close();
  });

  it("event-data: events are MessageEvents with data, origin, lastEventId; open/error are plain Events", () => {
    const { source, attempts } = fakeEventSource("http://example.test/");
    const events: Event[] = [];
    source.onopen = (event) => events.push(event);
    source.onmessage = (event) => events.push(event);
    source.onerror = (event) => events.push(event);
    attempts[0]?.open();
    attempts[0]?.sink.chunk("id: 9\ndata: hello\n\n");
    attempts[0]?.sink.end();
    const [open, message, error] = events;
    expect(open?.constructor).toBe(Event);
    expect(message).toBeInstanceOf(MessageEvent);
    expect(message).toMatchObject({
      type: "message",
      data: "hello",
      lastEventId: "9",
      origin: "http://example.test",
      bubbles: false,
      cancelable: false,
    });
    expect((message as MessageEvent).source).toBeNull();
    expect((message as MessageEvent).ports).toEqual([]);
    expect(error?.type).toBe("error");
    expect(error).toBeInstanceOf(Event);
    expect(error).not.toBeInstanceOf(MessageEvent);
    source.close();
  });
});
