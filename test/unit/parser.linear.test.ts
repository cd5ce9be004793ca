/**
 * The parser is never quadratic and never keeps more than a few bytes per character: huge lines
 * in tiny chunks and a million tiny events must simply finish. The timeouts are generous on
 * purpose; only the results are asserted (the machine is shared, durations would be noise).
 */

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { parsers } from "../helpers/parsers.js";

const encode = (text: string) => new TextEncoder().encode(text);

/** Live heap after a full garbage collection. */
function liveHeap(): number {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
  return process.memoryUsage().heapUsed;
}

describe.each(parsers)("linear time and bounded memory: $name", ({ createParser }) => {
  it("a 16 MB data line fed in 1-byte Uint8Array chunks", { timeout: 300_000 }, () => {
    const size = 16 * 1024 * 1024;
    const data: string[] = [];
    const parser = createParser({ onEvent: (event) => data.push(event.data) });
    parser.feed(encode("data: "));
    // One array, rewritten each time: the parser must copy what it keeps.
    const byte = new Uint8Array(1);
    for (let i = 0; i < size; i++) {
      byte[0] = 97 + (i % 26);
      parser.feed(byte);
    }
    parser.feed(encode("\n\n"));
    expect(data).toHaveLength(1);
    const line = data[0] as string;
    expect(line.length).toBe(size);
    for (const i of [0, 1, 25, 26, size - 1]) expect(line.charCodeAt(i)).toBe(97 + (i % 26));
  });

  it("10^6 tiny events, as 16 KiB byte chunks and as one string", { timeout: 300_000 }, () => {
    const count = 1_000_000;
    const text = "data: x\n\nid: 1\ndata: y\n\n".repeat(count / 2);
    const body = encode(text);
    for (const chunks of [
      Array.from({ length: Math.ceil(body.length / 16384) }, (_, i) =>
        body.subarray(i * 16384, (i + 1) * 16384),
      ),
      [text],
    ]) {
      let events = 0;
      let last = "";
      const parser = createParser({
        onEvent: (event) => {
          events++;
          last = event.data + event.lastEventId;
        },
      });
      for (const chunk of chunks) parser.feed(chunk);
      expect(events).toBe(count);
      expect(last).toBe("y1");
    }
  });

  it("a several-MB line fed as 1-character strings stays a few bytes per character", {
    timeout: 300_000,
  }, () => {
    const size = 8 * 1024 * 1024;
    let received = "";
    const parser = createParser({ onEvent: (event) => (received = event.data) });
    parser.feed("data: ");
    const before = liveHeap();
    for (let i = 0; i < size; i++) parser.feed(i % 2 ? "x" : "y");
    // Kept as a rope of one-character pieces, the line would take ~32 bytes per character.
    expect(liveHeap() - before).toBeLessThan(4 * size);
    parser.feed("\n\n");
    expect(received.length).toBe(size);
    expect(received.slice(0, 4)).toBe("yxyx");
  });
});
