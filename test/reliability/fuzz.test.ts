/**
 * Parser fuzzing: arbitrary bytes and arbitrary UTF-16 text (lone surrogates included), biased
 * toward what the parser cares about, in arbitrary chunks, fed to `createParser` and, through a
 * scripted transport with reconnections, to the `EventSource`. Nothing may throw, nothing may
 * hang (the test's timeout bounds it), and the output must be the spec-literal reference's.
 *
 * `npm test` runs a fixed seed and a bounded number of runs; `npm run fuzz` runs many more
 * with a fresh seed (FUZZ_RUNS, FUZZ_SEED=random|<n>). A failure prints the seed and path
 * that replay it.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeEventSource } from "../helpers/fake-transport.js";
import { cutAtFractions, parseAll } from "../helpers/parse-all.js";
import { type ReferenceEvent, referenceParse } from "../helpers/reference-parser.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED =
  process.env.FUZZ_SEED === "random"
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(process.env.FUZZ_SEED ?? 90_009);
const TIMEOUT = Math.max(20_000, RUNS * 30);
const runs = { seed: SEED, numRuns: RUNS };

const encoder = new TextEncoder();

/** Pieces that matter to the parser, as bytes; random bytes and digits between them. */
const token = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .constantFrom(
        "data",
        "data:",
        "data: ",
        "id:",
        "id: ",
        "event:",
        "retry:",
        ":",
        " ",
        "\n",
        "\n",
        "\r",
        "\r\n",
        "\0",
        "\uFEFF",
        "é",
        "😀",
        "x",
      )
      .map((text) => encoder.encode(text)),
  },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 6 }) },
  {
    weight: 1,
    arbitrary: fc.bigInt({ min: 0n, max: 10n ** 20n }).map((n) => encoder.encode(`${n}`)),
  },
  // A long run, for buffers that grow across many chunks.
  {
    weight: 1,
    arbitrary: fc.integer({ min: 100, max: 5000 }).map((n) => new Uint8Array(n).fill(0x61)),
  },
);

const bytes = fc.array(token, { maxLength: 120 }).map((pieces) => {
  const body = new Uint8Array(pieces.reduce((n, piece) => n + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    body.set(piece, at);
    at += piece.length;
  }
  return body;
});

/** Any UTF-16 text, lone surrogates included, with the parser's tokens mixed in. */
const text = fc
  .array(
    fc.oneof(
      fc.string({ unit: "binary", maxLength: 6 }),
      fc.constantFrom(
        "data: ",
        "id: ",
        "event: ",
        "retry: 1",
        "\n",
        "\r",
        "\r\n",
        "\n\n",
        "\0",
        "\uD800",
        "\uDC00",
      ),
    ),
    { maxLength: 120 },
  )
  .map((pieces) => pieces.join(""));

/** Chunk boundaries as fractions of the length. */
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 });

describe(`parser fuzz (seed ${SEED}, ${RUNS} runs)`, () => {
  it.each([
    ["arbitrary bytes", bytes],
    ["arbitrary UTF-16 text (lone surrogates too)", text],
  ] as const)(
    "%s in arbitrary chunks: never throws, same output as the reference",
    (_label, bodies) => {
      fc.assert(
        fc.property(bodies as fc.Arbitrary<Uint8Array | string>, cuts, (body, fractions) => {
          expect(parseAll(cutAtFractions(body, fractions))).toEqual(referenceParse(body));
        }),
        runs,
      );
    },
    TIMEOUT,
  );
});

describe(`EventSource fuzz (seed ${SEED}, ${RUNS} runs)`, () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it(
    "[I5]/§7.5 arbitrary streams over reconnections: exactly the reference's events, per stream",
    () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(bytes, cuts), { minLength: 1, maxLength: 3 }), (streams) => {
          const expected: ReferenceEvent[] = [];
          let lastEventId = "";
          for (const [body] of streams) {
            const result = referenceParse(body, { lastEventId });
            expected.push(...result.events);
            lastEventId = result.lastEventId;
          }
          const { source, attempts } = fakeEventSource("http://127.0.0.1/fuzz");
          const seen: ReferenceEvent[] = [];
          for (const type of new Set(expected.map((event) => event.type))) {
            source.addEventListener(type, (event) => {
              const { data, lastEventId: id } = event as MessageEvent<string>;
              seen.push({ type, data, lastEventId: id });
            });
          }
          streams.forEach(([body, fractions], index) => {
            const attempt = attempts[index];
            if (attempt === undefined) throw new Error(`no attempt ${index}`);
            attempt.open();
            for (const chunk of cutAtFractions(body, fractions)) attempt.sink.chunk(chunk);
            // [C14] the body ends: reestablish after the reconnection time, whatever it is now.
            attempt.sink.end();
            vi.runOnlyPendingTimers();
          });
          source.close();
          expect(seen).toEqual(expected);
          expect(source.readyState).toBe(2);
        }),
        runs,
      );
    },
    TIMEOUT,
  );
});
