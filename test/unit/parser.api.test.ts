/**
 * The parser's API as a user of `universal-eventsource/parser` holds it, in every build: what
 * the README promises of `createParser`'s result beyond parsing itself.
 */
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import type { EventSourceMessage } from "../../src/parser.js";
import { parsers } from "../helpers/parsers.js";

const encode = (text: string) => new TextEncoder().encode(text);

describe.each(parsers)("$name", ({ createParser }) => {
  it("feed, reset and lastEventId work detached from the parser (`stream.on('data', parser.feed)`)", () => {
    const events: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) });
    const { feed, reset } = parser;
    const stream = new EventEmitter();
    // An emitter calls its listeners with itself as `this`.
    stream.on("data", parser.feed);
    stream.emit("data", encode("id: 1\ndata: a\n\n"));
    feed("data: b\n");
    reset();
    feed(encode("data: c\n\n"));
    expect(events.map((event) => [event.data, event.lastEventId])).toEqual([
      ["a", "1"],
      ["c", "1"],
    ]);
    const { lastEventId } = parser;
    expect(lastEventId).toBe("1");
  });
});
