import { describe, expect, it } from "vitest";
import { createMessageEvent } from "../../src/message-event.js";

describe("[D8] the MessageEvents Node dispatches (created without MessageEvent's constructor)", () => {
  it("is a MessageEvent with type, data, origin and lastEventId, not bubbling, not cancelable", () => {
    const event = createMessageEvent("update", "a\nb", "http://127.0.0.1:8080", "42");
    expect(event).toBeInstanceOf(MessageEvent);
    expect(event).toBeInstanceOf(Event);
    expect(event.type).toBe("update");
    expect(event.data).toBe("a\nb");
    expect(event.origin).toBe("http://127.0.0.1:8080");
    expect(event.lastEventId).toBe("42");
    expect(event.source).toBeNull();
    expect(event.ports).toEqual([]);
    expect(Object.isFrozen(event.ports)).toBe(true);
    expect(event.bubbles).toBe(false);
    expect(event.cancelable).toBe(false);
    expect(event.isTrusted).toBe(false);
    expect(event.defaultPrevented).toBe(false);
  });

  it("shows the same attributes a native MessageEvent shows, on its prototype chain", () => {
    const event = createMessageEvent("message", "x", "null", "");
    const native = new MessageEvent("message", { data: "x", origin: "null" });
    for (const name of ["data", "origin", "lastEventId", "source", "ports", "type", "target"]) {
      expect(name in event).toBe(true);
      expect(Object.hasOwn(event, name)).toBe(Object.hasOwn(native, name));
    }
    expect(Object.keys(event)).toEqual(Object.keys(native));
    expect(Object.prototype.toString.call(event)).toBe(Object.prototype.toString.call(native));
  });

  it("dispatches through the platform EventTarget: target, currentTarget, phase, stopImmediatePropagation", () => {
    const target = new EventTarget();
    const event = createMessageEvent("message", "payload", "null", "");
    const seen: unknown[] = [];
    target.addEventListener("message", (e) => {
      seen.push([e.target, e.currentTarget, e.eventPhase, (e as MessageEvent).data]);
      e.stopImmediatePropagation();
    });
    target.addEventListener("message", () => seen.push("second listener ran"));
    expect(target.dispatchEvent(event)).toBe(true);
    expect(seen).toEqual([[target, target, Event.AT_TARGET, "payload"]]);
    expect(event.target).toBe(target);
    expect(event.eventPhase).toBe(Event.NONE);
  });

  it("each event is its own object, with its own data", () => {
    const first = createMessageEvent("message", "1", "null", "a");
    const second = createMessageEvent("message", "2", "null", "b");
    expect([first.data, first.lastEventId, second.data, second.lastEventId]).toEqual([
      "1",
      "a",
      "2",
      "b",
    ]);
  });
});
