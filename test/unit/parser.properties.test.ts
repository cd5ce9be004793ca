/**
 * Property tests: createParser against the spec-literal reference parser on generated streams
 * (every field, comments, BOMs, CR/LF/CRLF, NUL, invalid UTF-8, multi-byte characters), cut
 * into random chunks as bytes and as text. Fixed seed, bounded runs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EventSourceMessage, ParserOptions } from "../../src/parser.js";
import { cutAtFractions, parseAll } from "../helpers/parse-all.js";
import { parsers } from "../helpers/parsers.js";
import { referenceLines, referenceParse as referenceOf } from "../helpers/reference-parser.js";

const SEED = 20260316;
const RUNS = 1000;

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (body: Uint8Array) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(body);

/** Characters that matter to the parser, and some that should not. */
const char = fc.constantFrom(
  "a",
  "b",
  "1",
  "9",
  ":",
  " ",
  "\t",
  "\0",
  "é",
  "€",
  "😀",
  "\uFEFF",
  "-",
  ".",
  "x",
);
const value = fc.string({ unit: char, maxLength: 8 });
const name = fc.oneof(
  fc.constantFrom(
    "data",
    "data",
    "data",
    "event",
    "id",
    "retry",
    "Data",
    "data ",
    "\uFEFFdata",
    "foo",
    "d",
  ),
  fc.string({ unit: fc.constantFrom("a", "d", "t", "é", "\0"), minLength: 1, maxLength: 5 }),
);
const digits = fc.string({
  unit: fc.constantFrom("0", "1", "5", "9"),
  minLength: 1,
  maxLength: 12,
});
const line = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.tuple(name, fc.constantFrom("", ":", ": ", ":  "), value).map((p) => p.join("")),
  },
  { weight: 2, arbitrary: digits.map((d) => `retry: ${d}`) },
  { weight: 2, arbitrary: value.map((v) => `:${v}`) },
  { weight: 4, arbitrary: fc.constant("") },
);
const lineEnd = fc.constantFrom("\n", "\n", "\r\n", "\r");

/** A stream: an optional BOM or two, lines with mixed endings, maybe an unfinished last line. */
const streamText = fc
  .tuple(
    fc.constantFrom("", "", "\uFEFF", "\uFEFF\uFEFF"),
    fc.array(fc.tuple(line, lineEnd), { maxLength: 24 }),
    fc.oneof(fc.constant(""), line),
  )
  .map(([bom, lines, tail]) => bom + lines.map(([l, end]) => l + end).join("") + tail);

/** The stream as UTF-8 with invalid bytes (lone lead and continuation bytes, 0xFF) put in. */
const streamBytes = fc
  .tuple(
    streamText,
    fc.array(
      fc.tuple(fc.nat(), fc.constantFrom([0xff], [0x80], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98])),
      {
        maxLength: 3,
      },
    ),
  )
  .map(([text, insertions]) => {
    const body = [...encode(text)];
    for (const [at, bad] of insertions) body.splice(at % (body.length + 1), 0, ...bad);
    return new Uint8Array(body);
  });

/** Cut positions, as fractions of the length, so one arbitrary serves every body. */
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 });

const runs = { seed: SEED, numRuns: RUNS };

describe.each(parsers)("$name", ({ createParser, extras }) => {
  // The lean build reports no comments and no errors: those are left out of both sides.
  const parse = (chunks: Iterable<Uint8Array | string>, options?: ParserOptions) =>
    withoutExtras(parseAll(chunks, options, createParser));
  const referenceParse = (...args: Parameters<typeof referenceOf>) =>
    withoutExtras(referenceOf(...args));
  function withoutExtras<T extends { comments: unknown[]; errors: unknown[] }>(output: T): T {
    return extras ? output : { ...output, comments: [], errors: [] };
  }

  describe("createParser agrees with the spec-literal reference", () => {
    it("on byte streams in random chunks (invalid UTF-8, split characters, CR/LF splits)", () => {
      fc.assert(
        fc.property(
          streamBytes,
          cuts,
          fc.option(value, { nil: undefined }),
          (body, fractions, seed) => {
            // Only the full builds take a seed for the ID buffer.
            const lastEventId = extras ? seed : undefined;
            expect(parse(cutAtFractions(body, fractions), { lastEventId })).toEqual(
              referenceParse(body, { lastEventId }),
            );
          },
        ),
        runs,
      );
    });

    it("on text streams in random chunks (surrogate pairs split too)", () => {
      fc.assert(
        fc.property(streamBytes, cuts, (body, fractions) => {
          const text = decode(body);
          expect(parse(cutAtFractions(text, fractions))).toEqual(referenceParse(text));
        }),
        runs,
      );
    });

    it("on byte streams one byte at a time", () => {
      fc.assert(
        fc.property(streamBytes, (body) => {
          const chunks = Array.from(body, (b) => new Uint8Array([b]));
          expect(parse(chunks)).toEqual(referenceParse(body));
        }),
        { seed: SEED, numRuns: RUNS / 4 },
      );
    });

    it("on long byte streams in chunks big and small (the held-bytes and direct paths mixed)", () => {
      fc.assert(
        fc.property(
          fc.array(streamBytes, { minLength: 1, maxLength: 24 }),
          fc.array(fc.oneof(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 900, max: 2000 })), {
            maxLength: 60,
          }),
          (parts, sizes) => {
            // Over 4 KiB, so that chunks of 900 bytes and more take the direct path.
            const blocks = parts.map((part) => [...part, 10, 10]);
            const bytes: number[] = [];
            for (let i = 0; bytes.length < 4096; i++)
              bytes.push(...(blocks[i % blocks.length] ?? []), 10);
            const body = new Uint8Array(bytes);
            const chunks: Uint8Array[] = [];
            let from = 0;
            for (const size of sizes) {
              chunks.push(body.subarray(from, from + size));
              from = Math.min(body.length, from + size);
            }
            chunks.push(body.subarray(from));
            expect(parse(chunks)).toEqual(referenceParse(body));
          },
        ),
        { seed: SEED, numRuns: RUNS / 4 },
      );
    });

    it("on streams fed partly as bytes and partly as text, cut between characters", () => {
      fc.assert(
        fc.property(
          streamText,
          cuts,
          fc.array(fc.boolean(), { maxLength: 41 }),
          (text, fractions, asBytes) => {
            const characters = [...text];
            const pieces = cutAtFractions(characters, fractions).map((piece, i) =>
              asBytes[i] ? encode(piece.join("")) : piece.join(""),
            );
            expect(parse(pieces)).toEqual(referenceParse(text));
          },
        ),
        runs,
      );
    });

    it("§7.5 across reset(): the second stream starts from the first's last event ID string", () => {
      fc.assert(
        fc.property(streamBytes, cuts, streamBytes, cuts, (first, cuts1, second, cuts2) => {
          const events: EventSourceMessage[] = [];
          const parser = createParser({ onEvent: (event) => events.push(event) });
          for (const chunk of cutAtFractions(first, cuts1)) parser.feed(chunk);
          parser.reset();
          for (const chunk of cutAtFractions(decode(second), cuts2)) parser.feed(chunk);
          const one = referenceParse(first);
          const two = referenceParse(second, { lastEventId: one.lastEventId });
          expect(events).toEqual([...one.events, ...two.events]);
          expect(parser.lastEventId).toBe(two.lastEventId);
        }),
        runs,
      );
    });

    // The lean build has no maxEventSize (src/lean-build.d.ts).
    if (!extras) return;

    it("[NON-SPEC] maxEventSize: under the limit nothing changes; over it, one error and a prefix", () => {
      fc.assert(
        fc.property(
          streamBytes,
          cuts,
          fc.integer({ min: 1, max: 24 }),
          fc.boolean(),
          (body, fractions, limit, asText) => {
            const text = decode(body);
            const { longest, partial } = sizes(text);
            const output = parse(
              asText ? cutAtFractions(text, fractions) : cutAtFractions(body, fractions),
              {
                maxEventSize: limit,
              },
            );
            const reference = referenceParse(body);
            const overflows = output.errors.filter((e) => e.type === "max-event-size");
            if (longest <= limit && partial <= limit) {
              expect(output).toEqual(reference);
            } else if (longest > limit) {
              expect(overflows).toEqual([
                { type: "max-event-size", size: expect.any(Number), limit },
              ]);
              expect(reference.events.slice(0, output.events.length)).toEqual(output.events);
            }
            // A long unfinished last line may or may not be reported, by when its chunks come.
          },
        ),
        runs,
      );
    });
  });

  /** The longest complete line or event data (in UTF-16 units), and the unfinished last line. */
  function sizes(text: string): { longest: number; partial: number } {
    const lines = referenceLines(text);
    let longest = 0;
    let data = -1;
    for (const l of lines) {
      longest = Math.max(longest, l.length);
      if (l === "") data = -1;
      else if (l === "data" || l.startsWith("data:")) {
        const v = l.slice(5).replace(/^ /, "");
        data += v.length + 1;
        longest = Math.max(longest, data);
      }
    }
    const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
    const partial = body.length - Math.max(body.lastIndexOf("\n"), body.lastIndexOf("\r")) - 1;
    return { longest, partial };
  }
});
