/** [C15.3] which Content-Type values name text/event-stream (the network tests send a few). */
import { describe, expect, it } from "vitest";
import { isEventStreamType } from "../../src/content-type.js";

describe("isEventStreamType", () => {
  it.each([
    "text/event-stream",
    "TEXT/Event-Stream",
    "text/event-stream;charset=UTF-8",
    " text/event-stream ; foo=bar",
    "\ttext/event-stream\t",
    "text/html, text/event-stream",
    "text/html,text/event-stream; charset=utf-8",
  ])("accepts %j", (value) => {
    expect(isEventStreamType(value)).toBe(true);
  });

  it.each([
    null,
    "",
    "null",
    "text/plain",
    "text/event-streamx",
    "text/event-stream-x",
    "xtext/event-stream",
    "text/html; x=text/event-stream",
    "text/event-stream, text/html",
    "a, text/event-stream;x=1, text/html",
    'text/html;q="x,text/event-stream"x',
    "text/event-stream/x",
  ])("rejects %j", (value) => {
    expect(isEventStreamType(value)).toBe(false);
  });
});
