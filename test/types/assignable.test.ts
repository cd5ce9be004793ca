/**
 * Compile-time checks (tsc --noEmit runs over test/): the class is a drop-in for the platform's
 * own `EventSource` type (lib.dom), and its listener overloads are typed by the event map.
 * The runtime assertions only keep vitest from reporting an empty file.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { EventSource as BrowserEventSource } from "../../src/entries/browser.js";
import { EventSource as NodeEventSource } from "../../src/entries/node.js";

describe("types", () => {
  it("the class is assignable to lib.dom's typeof EventSource", () => {
    const fromBrowser: typeof globalThis.EventSource = BrowserEventSource;
    const fromNode: typeof globalThis.EventSource = NodeEventSource;
    const instance: globalThis.EventSource = new NodeEventSource("http://127.0.0.1:1/");
    instance.close();
    expect([fromBrowser, fromNode]).toHaveLength(2);
  });

  it("listeners are typed by the event map", () => {
    const source = new NodeEventSource("http://127.0.0.1:1/");
    source.close();
    // Mutually assignable with lib.dom's MessageEvent<string>, not identical: the published
    // declarations spell it without lib.dom's generic, for projects with @types/node only.
    source.addEventListener("message", (event) => {
      expectTypeOf(event).toExtend<MessageEvent<string>>();
      expectTypeOf<MessageEvent<string>>().toExtend<typeof event>();
      expectTypeOf(event.data).toBeString();
    });
    source.addEventListener("open", (event) => {
      expectTypeOf(event).toEqualTypeOf<Event>();
    });
    source.addEventListener("custom", (event) => {
      expectTypeOf(event).toExtend<MessageEvent<string>>();
      expectTypeOf(event.data).toBeString();
    });
    source.onmessage = (event) => {
      expectTypeOf(event.lastEventId).toBeString();
    };
    expectTypeOf(source.readyState).toBeNumber();
    expectTypeOf(NodeEventSource.CLOSED).toEqualTypeOf<2>();
    expect(source.readyState).toBe(2);
  });
});
