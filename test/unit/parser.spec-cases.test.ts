/**
 * The digest's §10 tricky inputs (rows 1–42), each fed whole, one unit at a time, and split at
 * every position and every pair of positions, as bytes and as strings; then the parser's own
 * API: reset(), callbacks, onError, onComment and maxEventSize.
 */
import { describe, expect, it } from "vitest";
import type { EventSourceMessage, ParseError, ParserOptions } from "../../src/parser.js";
import { chunkings, type ParseOutput, parseAll } from "../helpers/parse-all.js";
import { parsers } from "../helpers/parsers.js";
import { referenceParse } from "../helpers/reference-parser.js";

const encode = (text: string) => new TextEncoder().encode(text);
const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === "string" ? [...encode(part)] : part)));
const decode = (body: Uint8Array) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(body);

type Expected = [type: string, data: string, lastEventId?: string];

interface SpecCase {
  row: string;
  body: string | Uint8Array;
  events: Expected[];
  retries?: number[];
  lastEventId?: string;
}

const cases: SpecCase[] = [
  { row: "1 data alone", body: "data\n\n", events: [["message", ""]] },
  {
    row: "2 data: and data",
    body: "data:\n\ndata\n\n",
    events: [
      ["message", ""],
      ["message", ""],
    ],
  },
  { row: "3 data twice", body: "data\ndata\n\n", events: [["message", "\n"]] },
  {
    row: "4 one optional space",
    body: "data:test\n\ndata: test\n\n",
    events: [
      ["message", "test"],
      ["message", "test"],
    ],
  },
  { row: "5 only one space removed", body: "data:  x\n\n", events: [["message", " x"]] },
  { row: "6 tab kept", body: "data:\tx\n\n", events: [["message", "\tx"]] },
  { row: "7 multi-line data", body: "data: a\ndata: b\n\n", events: [["message", "a\nb"]] },
  { row: "8 final block without blank line", body: "data: a\n", events: [] },
  { row: "9 incomplete line", body: "data: a", events: [] },
  { row: "10 comment", body: ": hello\n\n", events: [] },
  {
    row: "11 comment inside a block",
    body: "data:a\n:comment\ndata:b\n\n",
    events: [["message", "a\nb"]],
  },
  { row: "12 event type", body: "event: add\ndata: 1\n\n", events: [["add", "1"]] },
  { row: "13 D2 resets the type", body: "event: add\n\ndata: 1\n\n", events: [["message", "1"]] },
  {
    row: "14 type reset after dispatch",
    body: "event: a\ndata: 1\n\ndata: 2\n\n",
    events: [
      ["a", "1"],
      ["message", "2"],
    ],
  },
  { row: "15 bare event", body: "event\ndata: 1\n\n", events: [["message", "1"]] },
  { row: "15 empty event", body: "event:\ndata: 1\n\n", events: [["message", "1"]] },
  { row: "16 last event wins", body: "event: a\nevent: b\ndata: x\n\n", events: [["b", "x"]] },
  { row: "17 event: message", body: "event: message\ndata: x\n\n", events: [["message", "x"]] },
  { row: "18 Data", body: "Data: x\n\n", events: [] },
  { row: "18 DATA", body: "DATA: x\n\n", events: [] },
  { row: "18 'data '", body: "data : x\n\n", events: [] },
  { row: "19 unknown field", body: "foo: bar\ndata: x\n\n", events: [["message", "x"]] },
  { row: "20 NUL in data", body: "data: x\0y\n\n", events: [["message", "x\0y"]] },
  { row: "20 NUL in event type", body: "event: a\0b\ndata: x\n\n", events: [["a\0b", "x"]] },
  {
    row: "21 the ID persists (format-field-id-3)",
    body: "id: 1\ndata: a\n\ndata: b\n\n",
    events: [
      ["message", "a", "1"],
      ["message", "b", "1"],
    ],
    lastEventId: "1",
  },
  {
    row: "22 a bare id resets",
    body: "id: 1\ndata: a\n\nid\ndata: b\n\ndata: c\n\n",
    events: [
      ["message", "a", "1"],
      ["message", "b", ""],
      ["message", "c", ""],
    ],
  },
  { row: "23 D1 before D2", body: "id: 1\n\n", events: [], lastEventId: "1" },
  { row: "24 id with NUL ignored", body: "id: a\0b\ndata: x\n\n", events: [["message", "x", ""]] },
  {
    row: "25 a bad id keeps the good one",
    body: "id: 1\nid: a\0b\ndata: x\n\n",
    events: [["message", "x", "1"]],
    lastEventId: "1",
  },
  { row: "26 id of an undispatched block", body: "id: 7\ndata: x\n", events: [], lastEventId: "" },
  { row: "27 retry applies at once", body: "retry: 1000\n", events: [], retries: [1000] },
  ...["10a", "-1", "1.5", " 10", "10 ", "", "+5", "١"].map(
    (value): SpecCase => ({
      row: `28 retry:${JSON.stringify(value)}`,
      body: `retry: ${value}\n`,
      events: [],
    }),
  ),
  { row: "28 retry: (nothing)", body: "retry:\n", events: [] },
  { row: "28 bare retry", body: "retry\n", events: [] },
  { row: "29 retry 0", body: "retry: 0\n", events: [], retries: [0] },
  { row: "30 huge retry", body: "retry: 99999999999\n", events: [], retries: [99999999999] },
  { row: "31 CRLF", body: "data: a\r\ndata: b\r\n\r\n", events: [["message", "a\nb"]] },
  { row: "32 CR", body: "data: a\rdata: b\r\r", events: [["message", "a\nb"]] },
  { row: "33 LF then CRLF", body: "data: a\n\r\n", events: [["message", "a"]] },
  {
    row: "34 CRLF across chunks",
    body: "data: a\r\ndata: b\r\n\r\n",
    events: [["message", "a\nb"]],
  },
  { row: "35 CR CR at EOF", body: "data: a\r\r", events: [["message", "a"]] },
  {
    row: "36 BOM stripped (format-bom)",
    body: bytes([0xef, 0xbb, 0xbf], "data: a\n\n"),
    events: [["message", "a"]],
  },
  { row: "37 second BOM kept (format-bom-2)", body: "\uFEFF\uFEFFdata: a\n\n", events: [] },
  { row: "38 BOM mid-stream", body: "data: a\n\n\uFEFFdata: b\n\n", events: [["message", "a"]] },
  {
    row: "39 invalid UTF-8",
    body: bytes("data: ", [0xff], "\n\n"),
    events: [["message", "\uFFFD"]],
  },
  { row: "40 é split (format-utf-8)", body: encode("data: é\n\n"), events: [["message", "é"]] },
  { row: "41 extra blank lines", body: "data: a\n\n\n\n", events: [["message", "a"]] },
  {
    row: "42 the spec's example",
    body: ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n",
    events: [
      ["message", "first event", "1"],
      ["message", "second event", ""],
      ["message", " third event", ""],
    ],
  },
  // Beyond the table: characters of 2, 3 and 4 UTF-8 bytes (a surrogate pair as text), cut anywhere.
  {
    row: "extra multi-byte characters",
    body: "data: é€😀\nid: 😀\n\n",
    events: [["message", "é€😀", "😀"]],
    lastEventId: "😀",
  },
  {
    row: "extra truncated sequence",
    body: bytes("data: ", [0xe2, 0x82], "x\n\n"),
    events: [["message", "\uFFFDx"]],
  },
  {
    row: "extra CR LF LF",
    body: "data: a\r\n\ndata: b\r\r\n",
    events: [
      ["message", "a"],
      ["message", "b"],
    ],
  },
];

function expectedOutput(c: SpecCase): Pick<ParseOutput, "events" | "retries" | "lastEventId"> {
  return {
    events: c.events.map(([type, data, lastEventId = ""]) => ({ type, data, lastEventId })),
    retries: c.retries ?? [],
    lastEventId: c.lastEventId ?? "",
  };
}

describe.each(parsers)("$name", ({ createParser, extras }) => {
  // The lean build reports no comments and no errors: those are left out of both sides.
  const parse = (chunks: Iterable<Uint8Array | string>, options?: ParserOptions) =>
    withoutExtras(parseAll(chunks, options, createParser));
  function withoutExtras<T extends { comments: unknown[]; errors: unknown[] }>(output: T): T {
    return extras ? output : { ...output, comments: [], errors: [] };
  }

  describe("§10 tricky inputs", () => {
    for (const c of cases) {
      const asBytes = typeof c.body === "string" ? encode(c.body) : c.body;
      const asText = typeof c.body === "string" ? c.body : decode(c.body);
      const expected = expectedOutput(c);

      it(`row ${c.row}: the reference parser agrees with the table`, () => {
        const { events, retries, lastEventId } = referenceParse(asBytes);
        expect({ events, retries, lastEventId }).toEqual(expected);
        expect(referenceParse(asText)).toEqual(referenceParse(asBytes));
      });

      for (const [kind, body] of [
        ["bytes", asBytes],
        ["text", asText],
      ] as const) {
        it(`row ${c.row}: as ${kind}, whole, one at a time and split anywhere`, () => {
          const reference = referenceParse(body);
          for (const [label, chunks] of chunkings<Uint8Array | string>(body)) {
            expect(parse(chunks), label).toEqual(withoutExtras({ ...reference, ...expected }));
          }
        });
      }
    }

    it("row 34: chunks `data: a\\r` + `\\ndata: b\\r\\n\\r\\n` (an LF after a chunk's CR ends no line)", () => {
      for (const chunks of [
        ["data: a\r", "\ndata: b\r\n\r\n"],
        [encode("data: a\r"), encode("\ndata: b\r\n\r\n")],
        ["data: a\r", "\n", "data: b\r", "\n\r", "\n"],
      ]) {
        expect(parse(chunks).events).toEqual([{ type: "message", data: "a\nb", lastEventId: "" }]);
      }
    });

    it("row 35: chunks `data: a\\r` + `\\r` then EOF (the final CR counts)", () => {
      for (const chunks of [
        ["data: a\r", "\r"],
        [encode("data: a\r"), encode("\r")],
      ]) {
        expect(parse(chunks).events).toEqual([{ type: "message", data: "a", lastEventId: "" }]);
      }
    });

    it("a CR ending one chunk and an LF opening the next, after an empty chunk in between", () => {
      expect(parse(["data: a\r", "", "\n\n"]).events).toHaveLength(1);
      expect(parse([encode("data: a\r"), new Uint8Array(0), encode("\n\n")]).events).toHaveLength(
        1,
      );
    });

    it("format-bom: a BOM split over three byte chunks is stripped", () => {
      const chunks = [[0xef], [0xbb], [0xbf], [...encode("data: a\n\n")]].map(
        (b) => new Uint8Array(b),
      );
      expect(parse(chunks).events).toEqual([{ type: "message", data: "a", lastEventId: "" }]);
    });
  });

  describe("reset(): the next stream (a reconnection)", () => {
    function recorder() {
      const events: EventSourceMessage[] = [];
      const parser = createParser({ onEvent: (event) => events.push(event) });
      return { events, parser };
    }

    it("[I5] discards the partial line and the partial event", () => {
      for (const encodeChunk of [(s: string) => s, encode]) {
        const { events, parser } = recorder();
        parser.feed(encodeChunk("event: a\ndata: 1\ndata: partial"));
        parser.reset();
        parser.feed(encodeChunk("\n\ndata: 2\n\n"));
        expect(events).toEqual([{ type: "message", data: "2", lastEventId: "" }]);
      }
    });

    it("[I5] discards undecoded bytes of a partial character", () => {
      const { events, parser } = recorder();
      parser.feed(bytes("data: ", [0xe2, 0x82]));
      parser.reset();
      parser.feed(bytes([0xac], "data: b\n\n"));
      // The continuation byte now opens a line of its own stream: U+FFFD ends up in the name.
      expect(events).toEqual([]);
      parser.feed("data: c\n\n");
      expect(events).toEqual([{ type: "message", data: "c", lastEventId: "" }]);
    });

    it("[I1] strips the leading BOM of every stream, and only one", () => {
      const { events, parser } = recorder();
      parser.feed(bytes([0xef, 0xbb, 0xbf], "data: 1\n\n"));
      parser.reset();
      parser.feed("\uFEFFdata: 2\n\n");
      parser.reset();
      parser.feed("\uFEFF\uFEFFdata: 3\n\n");
      expect(events.map((e) => e.data)).toEqual(["1", "2"]);
    });

    it("§7.5 the ID buffer restarts from the last event ID string (row 43)", () => {
      const { events, parser } = recorder();
      parser.feed("id: 1\ndata: x\n\nid: 2\ndata: lost\n");
      expect(parser.lastEventId).toBe("1");
      parser.reset();
      expect(parser.lastEventId).toBe("1");
      parser.feed("data: y\n\n");
      expect(events.map((e) => [e.data, e.lastEventId])).toEqual([
        ["x", "1"],
        ["y", "1"],
      ]);
    });

    it("row 26: `id: 7\\ndata: x\\n` then EOF leaves the last event ID string unchanged", () => {
      const parser = createParser({ onEvent: () => {} });
      parser.feed("id: 3\n\nid: 7\ndata: x\n");
      parser.reset();
      expect(parser.lastEventId).toBe("3");
    });

    it("a CR that ended the old stream does not swallow the new stream's first LF", () => {
      const { events, parser } = recorder();
      parser.feed("data: a\r");
      parser.reset();
      // If the LF were swallowed as half of a CRLF, `data: b` would join the dispatch below.
      parser.feed("\ndata: b\n\n");
      expect(events.map((e) => e.data)).toEqual(["b"]);
    });
  });

  // The extras, which the lean build leaves out (src/lean-build.d.ts).
  if (!extras) return;

  // The lean parser is the standard class's own: nothing resets it from a callback, or seeds
  // its ID buffer.
  describe("reset() and the ID buffer's seed", () => {
    it("[NON-SPEC] reset({ lastEventId }) and the lastEventId option seed the ID buffer", () => {
      const events: EventSourceMessage[] = [];
      const parser = createParser({ onEvent: (event) => events.push(event) }, { lastEventId: "a" });
      parser.feed("data: 1\n\n");
      parser.reset({ lastEventId: "b" });
      expect(parser.lastEventId).toBe("b");
      parser.feed("data: 2\n\n");
      expect(events.map((e) => e.lastEventId)).toEqual(["a", "b"]);
    });

    for (const [kind, toChunk] of [
      ["bytes", encode],
      ["text", (s: string) => s],
    ] as const) {
      it(`a callback calling reset() stops the rest of its chunk (${kind})`, () => {
        const seen: string[] = [];
        const parser = createParser({
          onEvent: (event) => {
            seen.push(`event ${event.data}`);
            if (event.data === "1") parser.reset();
          },
          onRetry: (ms) => {
            seen.push(`retry ${ms}`);
            parser.reset();
          },
          onComment: (comment) => {
            seen.push(`comment ${comment}`);
            if (comment === "reset") parser.reset();
          },
        });
        parser.feed(toChunk("data: 1\n\ndata: 2\n\ndata: partial"));
        // After the reset the next chunk opens a new stream: its BOM is stripped.
        parser.feed(toChunk("\uFEFF: reset\ndata: 3\n\n"));
        parser.feed(toChunk("data: 4\nretry: 5\ndata: 6\n\n"));
        parser.feed(toChunk("data: 7\n\n"));
        expect(seen).toEqual(["event 1", "comment reset", "retry 5", "event 7"]);
      });
    }
  });

  describe("onError and onComment", () => {
    it("reports ignored lines (invalid-retry, unknown-field) through onError", () => {
      const errors: ParseError[] = [];
      const parser = createParser({ onEvent: () => {}, onError: (error) => errors.push(error) });
      parser.feed("retry: 1.5\nfoo: bar:baz\nData\n: a comment\nretry: 5\n\n");
      expect(errors).toEqual([
        { type: "invalid-retry", message: expect.any(String), value: "1.5" },
        {
          type: "unknown-field",
          message: expect.any(String),
          field: "foo",
          value: "bar:baz",
        },
        {
          type: "unknown-field",
          message: expect.any(String),
          field: "Data",
          value: "",
        },
      ]);
    });

    it("[P-id] reports an id containing NUL, which is ignored, as invalid-id", () => {
      const { errors, lastEventId } = parse(["id: 1\nid: a\0b\n\n"]);
      expect(errors).toEqual([{ type: "invalid-id", value: "a\0b" }]);
      expect(lastEventId).toBe("1");
    });

    it("parses the same without onError, onRetry or onComment", () => {
      const events: EventSourceMessage[] = [];
      const parser = createParser({ onEvent: (event) => events.push(event) });
      parser.feed("retry: x\nretry: 5\nfoo\n: c\ndata: 1\n\n");
      expect(events).toEqual([{ type: "message", data: "1", lastEventId: "" }]);
    });

    it("[L2] onComment gets the text after the colon and one optional space", () => {
      expect(parse([":\n: a\n:  b\n:c:d\n\n"]).comments).toEqual(["", "a", " b", "c:d"]);
    });
  });

  describe("[NON-SPEC] maxEventSize", () => {
    function limited(limit: number) {
      const events: string[] = [];
      const errors: ParseError[] = [];
      const parser = createParser(
        { onEvent: (event) => events.push(event.data), onError: (error) => errors.push(error) },
        { maxEventSize: limit },
      );
      return { events, errors, parser };
    }

    it("allows a line and data of exactly the limit", () => {
      const { events, errors, parser } = limited(10);
      parser.feed("data:67890\n\ndata:12345\ndata:1234\n\n");
      expect(events).toEqual(["67890", "12345\n1234"]);
      expect(errors).toEqual([]);
    });

    for (const [what, body] of [
      ["a long line", `id: ${"x".repeat(20)}\n\n`],
      ["a long data line", `data: ${"x".repeat(20)}\n\n`],
      ["long data over several lines", "data: 12345\ndata: 12345\ndata: 1\n\n"],
      ["a long comment", `: ${"x".repeat(20)}\n\n`],
    ] as const) {
      for (const [kind, chunks] of [
        ["whole", [body]],
        ["text in 1-char chunks", [...body]],
        ["bytes in 1-byte chunks", [...encode(body)].map((b) => new Uint8Array([b]))],
      ] as const) {
        it(`reports max-event-size for ${what} (${kind}) and stops until reset()`, () => {
          const { events, errors, parser } = limited(12);
          for (const chunk of chunks) parser.feed(chunk);
          parser.feed("data: ignored\n\n");
          expect(events).toEqual([]);
          expect(errors).toEqual([
            {
              type: "max-event-size",
              message: expect.any(String),
              size: expect.any(Number),
              limit: 12,
            },
          ]);
          expect((errors[0] as { size: number }).size).toBeGreaterThan(12);
          parser.reset();
          parser.feed("data: back\n\n");
          expect(events).toEqual(["back"]);
        });
      }
    }

    it("keeps memory bounded while an endless line arrives in chunks", () => {
      for (const toChunk of [(s: string) => s, encode]) {
        const { errors, parser } = limited(1000);
        const chunk = toChunk("x".repeat(1024));
        const before = process.memoryUsage().heapUsed;
        // 64 MiB that would otherwise all be kept as one partial line.
        for (let i = 0; i < 65536; i++) parser.feed(chunk);
        expect(errors).toHaveLength(1);
        expect((errors[0] as { size: number }).size).toBeLessThanOrEqual(3 * 1000 + 1024);
        expect(process.memoryUsage().heapUsed - before).toBeLessThan(32 * 1024 * 1024);
      }
    });
  });
});
