/**
 * The script-tag build as built: ES5 syntax (acorn, ecmaVersion 5), and run in a `vm` context
 * stripped down to what an ES5 browser has (no Symbol, Promise, Map, Set, Reflect, URL,
 * EventTarget, TextDecoder, fetch or ES2015 library functions), over a scripted XHR.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createContext, runInContext } from "node:vm";
import { parse } from "acorn";
import { beforeEach, describe, expect, it } from "vitest";
import { FakeXHR } from "../helpers/fake-xhr.js";

const dist = join(import.meta.dirname, "../../dist");
const files = ["universal-eventsource.iife.js", "universal-eventsource.iife.min.js"];
const code = Object.fromEntries(
  files.map((file) => [file, readFileSync(join(dist, file), "utf8")]),
);

/** What ES2015+ added that an ES5 browser lacks; removed from the context before loading. */
const ES2015 = [
  "Symbol",
  "Promise",
  "Map",
  "Set",
  "WeakMap",
  "WeakSet",
  "Reflect",
  "Proxy",
  "Object.assign",
  "Object.entries",
  "Object.values",
  "Object.setPrototypeOf",
  "Array.from",
  "Array.of",
  "Array.prototype.includes",
  "Array.prototype.find",
  "Array.prototype.findIndex",
  "Array.prototype.fill",
  "String.prototype.includes",
  "String.prototype.startsWith",
  "String.prototype.endsWith",
  "String.prototype.repeat",
  "String.prototype.padStart",
  "Number.parseInt",
  "Number.parseFloat",
  "Number.isInteger",
  "Number.isNaN",
  "Number.isFinite",
  "Math.trunc",
  "Math.sign",
];

type Context = Record<string, unknown> & {
  UniversalEventSource: new (url: string, init?: object) => Source;
  EventSource: unknown;
};

interface Source {
  readyState: number;
  url: string;
  onmessage: ((event: { data: string; lastEventId: string; origin: string }) => void) | null;
  addEventListener(type: string, listener: (event: { type: string }) => void): void;
  close(): void;
}

/**
 * A global object with a scripted XHR, ES5-only unless `modern`; `globals` adds or replaces
 * properties.
 */
function es5Window(globals: Record<string, unknown> = {}, modern = false): Context {
  const context = createContext({ setTimeout, clearTimeout, XMLHttpRequest: FakeXHR });
  const strip = modern ? "" : ES2015.map((name) => `delete ${name};`).join("\n");
  runInContext(`self = window = this;\n${strip}`, context);
  return Object.assign(context, globals) as Context;
}

function load(file: string, globals?: Record<string, unknown>, modern = false): Context {
  const window = es5Window(globals, modern);
  runInContext(code[file] as string, window, { filename: file });
  return window;
}

/** Records event types and data seen by a source, in order. */
function recordEvents(source: Source): string[] {
  const log: string[] = [];
  for (const type of ["open", "message", "error"]) {
    source.addEventListener(type, (event) => {
      const data = (event as { data?: string }).data;
      log.push(data === undefined ? `${event.type}@${source.readyState}` : `${event.type}:${data}`);
    });
  }
  return log;
}

function lastXHR(): FakeXHR {
  return FakeXHR.created[FakeXHR.created.length - 1] as FakeXHR;
}

beforeEach(() => {
  FakeXHR.created = [];
});

describe.each(files)("%s", (file) => {
  it("is ES5 syntax (acorn, ecmaVersion 5)", () => {
    expect(() => parse(code[file] as string, { ecmaVersion: 5 })).not.toThrow();
  });

  it("the ES5 context really lacks what it should", () => {
    const window = es5Window();
    expect(
      runInContext("typeof Symbol + typeof Promise + typeof Map + typeof Reflect", window),
    ).toBe("undefinedundefinedundefinedundefined");
    expect(runInContext("typeof URL + typeof EventTarget + typeof Number.parseInt", window)).toBe(
      "undefinedundefinedundefined",
    );
  });

  it("defines UniversalEventSource, and EventSource where it is missing, leaking no other global", () => {
    const before = new Set(Object.keys(es5Window()));
    const window = load(file);
    expect(typeof window.UniversalEventSource).toBe("function");
    expect(window.EventSource).toBe(window.UniversalEventSource);
    // Like a WebIDL interface object: not enumerable.
    const added = Object.keys(window).filter((name) => !before.has(name));
    expect(added).toEqual(["UniversalEventSource"]);
  });

  it("leaves an existing EventSource alone", () => {
    function NativeEventSource() {}
    const window = load(file, { EventSource: NativeEventSource });
    expect(window.EventSource).toBe(NativeEventSource);
    expect(typeof window.UniversalEventSource).toBe("function");
  });

  it("streams over XHR without ES2015: open, messages split anywhere, retry, reconnect", async () => {
    const window = load(file);
    const source = new window.UniversalEventSource("http://example.test/events?x=1");
    const log = recordEvents(source);
    const xhr = lastXHR();
    expect(source.url).toBe("http://example.test/events?x=1");
    expect(xhr.url).toBe("http://example.test/events?x=1");
    expect(xhr.headers.accept).toBe("text/event-stream");
    expect(xhr.mimeType).toBe("text/event-stream; charset=utf-8");
    expect(source.readyState).toBe(0);

    xhr.respond();
    xhr.receive("retry: 1\nid: 1\ndata: h");
    xhr.receive("é\n\n:comment\r\nevent: other\rdata: 2\r\n\r\n");
    let origin = "";
    source.onmessage = (event) => {
      origin = event.origin;
    };
    xhr.receive("data: 3\n\n");
    expect(log).toEqual(["open@1", "message:hé", "message:3"]);
    expect(origin).toBe("http://example.test");

    xhr.finish();
    expect(log.slice(3)).toEqual(["error@0"]);
    // retry: 1 → the next attempt within a few ms, carrying the last event ID.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (FakeXHR.created.length < 2) return;
        clearInterval(poll);
        resolve();
      }, 1);
    });
    expect(lastXHR().headers["last-event-id"]).toBe("1");
    source.close();
    expect(source.readyState).toBe(2);
  });

  it("[C4] an unparsable URL throws SyntaxError without a URL constructor", () => {
    const window = load(file);
    expect(() => new window.UniversalEventSource("no scheme, no document")).toThrow(
      expect.objectContaining({ name: "SyntaxError" }),
    );
  });

  it("[C3] a relative URL resolves against the document (through an <a> element)", () => {
    const base = "http://example.test/app/page.html";
    const document = {
      baseURI: base,
      createElement: () => {
        let href = "";
        return {
          get href() {
            return href;
          },
          set href(value: string) {
            href = new URL(value, base).href;
          },
        };
      },
    };
    const window = load(file, { document });
    const source = new window.UniversalEventSource("../events");
    expect(source.url).toBe("http://example.test/events");
    expect(lastXHR().url).toBe("http://example.test/events");
    source.close();
  });

  it("[C15.3] a non-200 status fails the connection", () => {
    const window = load(file);
    const source = new window.UniversalEventSource("http://example.test/events");
    const log = recordEvents(source);
    lastXHR().respond(204, {});
    expect(log).toEqual(["error@2"]);
    expect(lastXHR().aborted).toBe(true);
  });

  it("[NON-SPEC] recycles a response past 1 MiB at an event boundary, losing and repeating nothing", () => {
    const window = load(file);
    const source = new window.UniversalEventSource("http://example.test/events");
    const log = recordEvents(source);
    const first = lastXHR();
    first.respond();
    const big = "x".repeat(1 << 20);
    first.receive(`id: 1\ndata: ${big.slice(0, 10)}\n\n`);
    expect(FakeXHR.created).toHaveLength(1);
    first.receive(`id: 2\ndata: ${big}`);
    expect(FakeXHR.created).toHaveLength(1); // past the threshold, but mid-event
    first.receive("\n\n");
    expect(FakeXHR.created).toHaveLength(2);
    expect(first.aborted).toBe(true);
    const second = lastXHR();
    expect(second.headers["last-event-id"]).toBe("2");
    second.respond();
    second.receive("id: 3\ndata: after\n\n");
    expect(log.map((entry) => entry.slice(0, 20))).toEqual([
      "open@1",
      "message:xxxxxxxxxx",
      `message:${big.slice(0, 12)}`,
      "message:after",
    ]);
    expect(source.readyState).toBe(1);
    source.close();
  });

  it("[NON-SPEC] never recycles a stream without event IDs: it could not resume", () => {
    const window = load(file);
    const source = new window.UniversalEventSource("http://example.test/events");
    const log = recordEvents(source);
    const xhr = lastXHR();
    xhr.respond();
    xhr.receive(`data: ${"x".repeat(1 << 20)}\n\n`);
    xhr.receive("data: next\n\n");
    expect(FakeXHR.created).toHaveLength(1);
    expect(xhr.aborted).toBe(false);
    expect(log.map((entry) => entry.slice(0, 12))).toEqual([
      "open@1",
      "message:xxxx",
      "message:next",
    ]);
    source.close();
  });

  it("[NON-SPEC] never recycles right after an event without an ID of its own: resuming would repeat it", () => {
    const window = load(file);
    const source = new window.UniversalEventSource("http://example.test/events");
    const log = recordEvents(source);
    const xhr = lastXHR();
    xhr.respond();
    // An event with an ID, then (a ping, say) events without one: the last event ID is still
    // "1", and a server resuming after "1" would send the big event again.
    xhr.receive("id: 1\ndata: a\n\n");
    xhr.receive(`data: ${"x".repeat(1 << 20)}\n\n`);
    expect(FakeXHR.created).toHaveLength(1);
    expect(xhr.aborted).toBe(false);
    // The next event with an ID of its own is a safe point to resume from.
    xhr.receive("id: 2\ndata: b\n\n");
    expect(FakeXHR.created).toHaveLength(2);
    expect(lastXHR().headers["last-event-id"]).toBe("2");
    expect(log.map((entry) => entry.slice(0, 12))).toEqual([
      "open@1",
      "message:a",
      "message:xxxx",
      "message:b",
    ]);
    source.close();
  });

  it("streams with fetch where the browser can, and with XHR when forced", async () => {
    const fetched: string[] = [];
    const fetch = (url: string) => {
      fetched.push(url);
      return new Promise(() => {}); // never answers: only the choice matters here
    };
    const streaming = { fetch, ReadableStream, TextDecoder, AbortController, Response };
    const window = load(file, streaming, true);
    const sources = [
      new window.UniversalEventSource("http://example.test/a"),
      new window.UniversalEventSource("http://example.test/b", { transport: "xhr" }),
    ];
    window.UniversalEventSourceTransport = "xhr";
    sources.push(new window.UniversalEventSource("http://example.test/c"));
    // The fetch transport starts in a promise reaction: one timer turn later it has run.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fetched).toEqual(["http://example.test/a"]);
    expect(FakeXHR.created.map((xhr) => xhr.url)).toEqual([
      "http://example.test/b",
      "http://example.test/c",
    ]);
    for (const source of sources) source.close();
  });

  it("uses the native EventTarget, Event and MessageEvent where they are constructible", () => {
    const window = load(file, { EventTarget, Event, MessageEvent, Reflect });
    const source = new window.UniversalEventSource("http://example.test/events");
    expect(source).toBeInstanceOf(EventTarget);
    const events: unknown[] = [];
    source.addEventListener("open", (event) => events.push(event));
    source.addEventListener("message", (event) => events.push(event));
    lastXHR().respond();
    lastXHR().receive("data: native\n\n");
    expect(events[0]).toBeInstanceOf(Event);
    expect(events[1]).toBeInstanceOf(MessageEvent);
    expect((events[1] as MessageEvent).data).toBe("native");
    source.close();
  });

  it("a user's subclass, over the native EventTarget, makes instances of itself", () => {
    const window = load(file, { EventTarget, Event, MessageEvent, Reflect });
    class Sub extends window.UniversalEventSource {
      readonly extra = "sub";
    }
    const source = new Sub("http://example.test/events");
    expect(source).toBeInstanceOf(Sub);
    expect(source).toBeInstanceOf(window.UniversalEventSource);
    expect(source).toBeInstanceOf(EventTarget);
    expect(source.extra).toBe("sub");
    const events: unknown[] = [];
    source.addEventListener("open", (event) => events.push(event));
    lastXHR().respond();
    expect(events).toHaveLength(1);
    expect(source.readyState).toBe(1);
    source.close();
  });
});

/** A listener as the stand-in EventTarget takes it: a function or a `handleEvent` object. */
type Listener = ((event: StandInEvent) => void) | { handleEvent(event: StandInEvent): void };

interface StandInEvent {
  type: string;
  target: unknown;
  currentTarget: unknown;
  defaultPrevented: boolean;
  preventDefault(): void;
  stopPropagation(): void;
  stopImmediatePropagation(): void;
}

interface StandInTarget {
  addEventListener(type: string, listener: Listener | null, options?: unknown): void;
  removeEventListener(type: string, listener: Listener | null, options?: unknown): void;
  dispatchEvent(event: StandInEvent): boolean;
  close(): void;
}

/**
 * The ES5 stand-ins at work in the ES5 context: a source (an instance of the stand-in
 * EventTarget) and the stand-in Event class, taken from the source's open event.
 */
function standIns(file: string, globals?: Record<string, unknown>) {
  const window = load(file, globals);
  const source = new window.UniversalEventSource("http://example.test/events");
  let open: StandInEvent | undefined;
  source.addEventListener("open", (event) => {
    open = event as unknown as StandInEvent;
  });
  lastXHR().respond();
  const StandInEvent = (open as StandInEvent).constructor as new (
    type: string,
    init?: { cancelable?: boolean },
  ) => StandInEvent;
  return { target: source as unknown as StandInTarget, StandInEvent };
}

describe.each(files)("%s: the ES5 stand-ins", (file) => {
  it("EventTarget: listeners in the order added, once per listener and capture, handleEvent objects", () => {
    const { target, StandInEvent } = standIns(file);
    const log: string[] = [];
    const a = () => log.push("a");
    const b = () => log.push("b");
    const handler = {
      handleEvent(this: unknown) {
        log.push(this === handler ? "handler" : "handler with another this");
      },
    };
    target.addEventListener("x", a);
    target.addEventListener("x", b);
    target.addEventListener("x", a); // the same listener and capture: ignored
    target.addEventListener("x", a, true); // capture: another registration
    target.addEventListener("x", a, { capture: true }); // the same as the one before
    target.addEventListener("x", handler, null);
    target.addEventListener("x", null);
    target.addEventListener("y", b);
    const dispatch = () => {
      log.length = 0;
      target.dispatchEvent(new StandInEvent("x"));
      return log.slice();
    };
    expect(dispatch()).toEqual(["a", "b", "a", "handler"]);
    target.removeEventListener("x", a, { capture: true });
    expect(dispatch()).toEqual(["a", "b", "handler"]);
    target.removeEventListener("x", a, { capture: true }); // not registered any more: nothing
    target.removeEventListener("x", a);
    target.removeEventListener("y", handler);
    expect(dispatch()).toEqual(["b", "handler"]);
    target.close();
  });

  it("EventTarget: once; removed during dispatch, not called; added during dispatch, not yet", () => {
    const { target, StandInEvent } = standIns(file);
    const log: string[] = [];
    const late = () => log.push("late");
    const removed = () => log.push("removed");
    target.addEventListener("x", () => log.push("once"), { once: true });
    target.addEventListener("x", () => {
      log.push("remover");
      target.removeEventListener("x", removed);
      target.addEventListener("x", late);
    });
    target.addEventListener("x", removed);
    target.dispatchEvent(new StandInEvent("x"));
    expect(log).toEqual(["once", "remover"]);
    log.length = 0;
    target.dispatchEvent(new StandInEvent("x"));
    expect(log).toEqual(["remover", "late"]);
    target.close();
  });

  it("EventTarget: a listener's exception is reported asynchronously, and the next listeners run", () => {
    const timers: (() => void)[] = [];
    const { target, StandInEvent } = standIns(file, {
      setTimeout: (callback: () => void) => timers.push(callback),
    });
    const log: string[] = [];
    const failure = new Error("listener failed");
    target.addEventListener("x", () => {
      throw failure;
    });
    target.addEventListener("x", () => log.push("next"));
    // The source's transport has timers of its own (it reports from a task).
    const before = timers.length;
    expect(target.dispatchEvent(new StandInEvent("x"))).toBe(true);
    expect(log).toEqual(["next"]);
    expect(timers).toHaveLength(before + 1);
    expect(() => timers[before]?.()).toThrow(failure);
    target.close();
  });

  it("Event: stopImmediatePropagation, preventDefault when cancelable, target and currentTarget", () => {
    const { target, StandInEvent } = standIns(file);
    const seen: unknown[] = [];
    target.addEventListener("x", (event) => {
      seen.push(event.target, event.currentTarget);
      event.preventDefault();
      event.stopPropagation(); // one target: nothing to stop but other targets' listeners
    });
    target.addEventListener("x", (event) => event.stopImmediatePropagation());
    target.addEventListener("x", () => seen.push("after stopImmediatePropagation"));

    const plain = new StandInEvent("x");
    expect(plain.target).toBe(null);
    expect(target.dispatchEvent(plain)).toBe(true);
    expect(plain.defaultPrevented).toBe(false);
    expect(seen).toEqual([target, target]);
    expect(plain.target).toBe(target);
    expect(plain.currentTarget).toBe(null);

    const cancelable = new StandInEvent("x", { cancelable: true });
    expect(target.dispatchEvent(cancelable)).toBe(false);
    expect(cancelable.defaultPrevented).toBe(true);

    // DOM unsets the stop flags when a dispatch ends: the same event dispatched again reaches
    // the listeners again.
    seen.length = 0;
    target.dispatchEvent(plain);
    expect(seen).toEqual([target, target]);
    target.close();
  });

  it.each([
    ["HTTP://User:Secret@Example.TEST:80/events", "http://example.test"],
    ["https://example.test:443/events", "https://example.test"],
    ["https://example.test:80/events", "https://example.test:80"],
    ["http://example.test:8080/events", "http://example.test:8080"],
    ["http://[::1]:80/events", "http://[::1]"],
  ])("URL: the origin of %s is %s (default ports dropped)", (url, origin) => {
    const window = load(file);
    const source = new window.UniversalEventSource(url);
    const events: { data: string; origin: string; lastEventId: string }[] = [];
    source.onmessage = (event) => events.push(event);
    lastXHR().respond();
    lastXHR().receive("id: 7\ndata: d\n\n");
    expect(events).toEqual([expect.objectContaining({ data: "d", origin, lastEventId: "7" })]);
    source.close();
  });
});
