/**
 * Differential test inside Chromium: for generated streams (mixed fields, BOMs, CR/LF/CRLF line
 * ends, NUL, invalid UTF-8, multi-byte characters, random chunk splits with small delays), the
 * polyfill in each mode must dispatch exactly what Chromium's native EventSource dispatches
 * (type, data, lastEventId, origin, readyState). Native is the oracle, except where it is itself
 * wrong (`nativeBugs`): there the spec-literal reference parser is, and the case is listed.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { referenceParse } from "../helpers/reference-parser.js";
import { chromiumAvailable } from "./chromium.js";
import { type Entry, recordIn, useBrowser } from "./fixture.js";
import { modes, writeChunks } from "./site.js";

/** mulberry32: a small seeded generator, so every run tests the same streams. */
function generator(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const LISTENED_TYPES = ["add", "ünï", "a b"];
const encoder = new TextEncoder();

interface Stream {
  bytes: Uint8Array;
  /** Byte lengths of the writes, and the delay in ms before each. */
  chunks: { size: number; delay: number }[];
}

/** A random stream of lines: fields, comments, junk, blank lines, odd bytes, mixed line ends. */
function generateStream(seed: number): Stream {
  const pick = generator(seed);
  const choose = <T>(items: readonly T[]): T => items[pick(items.length)] as T;
  const texts = [
    "",
    "x",
    " two  spaces",
    "é",
    "日本",
    "😀",
    "a\0b",
    "tab\there",
    ":colon",
    "\uFEFF",
  ];
  const text = () => Array.from({ length: 1 + pick(3) }, () => choose(texts)).join("");
  const parts: Uint8Array[] = [];
  const bom = pick(6);
  if (bom === 0) parts.push(Uint8Array.of(0xef, 0xbb, 0xbf));
  if (bom === 1) parts.push(Uint8Array.of(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf));
  const lineCount = 3 + pick(14);
  for (let i = 0; i < lineCount; i++) {
    const line = choose([
      () => `data: ${text()}`,
      () => `data:${text()}`,
      () => "data",
      () => `id: ${text()}`,
      () => "id",
      () => `event: ${choose(["message", ...LISTENED_TYPES, "ignored"])}`,
      () => "event",
      () => `retry: ${pick(2) === 0 ? "1000" : "1x"}`,
      () => `: ${text()}`,
      () => `foo: ${text()}`,
      () => `Data: ${text()}`,
      () => "",
      () => "",
    ])();
    parts.push(encoder.encode(line));
    // Invalid UTF-8 now and then: a stray continuation byte, or a truncated sequence.
    const bad = pick(10);
    if (bad === 0) parts.push(Uint8Array.of(0xff));
    if (bad === 1) parts.push(Uint8Array.of(0xe6, 0x97));
    parts.push(encoder.encode(choose(["\n", "\r", "\r\n"])));
  }
  if (pick(2) === 0) parts.push(encoder.encode("\n"));
  const bytes = Uint8Array.from(parts.flatMap((part) => [...part]));
  const chunks: Stream["chunks"] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const size = Math.min(bytes.length - offset, 1 + pick(24));
    chunks.push({ size, delay: pick(4) });
    offset += size;
  }
  return { bytes, chunks };
}

/**
 * Where native Chromium departs from the spec. Chromium's parser, after skipping a leading BOM,
 * mishandles a CR or LF that follows it at once: the line after it is dropped. The spec strips
 * the BOM [I1] and then reads that CR/LF as an empty line [L1], so the next line is parsed as
 * usual; the polyfill does that, checked against the spec-literal reference parser.
 */
const nativeBugs: { name: string; applies(bytes: Uint8Array): boolean }[] = [
  {
    name: "BOM followed by a lone CR or LF: Chromium drops the next line",
    applies: (bytes) =>
      bytes[0] === 0xef &&
      bytes[1] === 0xbb &&
      bytes[2] === 0xbf &&
      (bytes[3] === 0x0a || bytes[3] === 0x0d),
  },
];

const STREAMS = 40;
/** The known native bug's shapes, fixed, so they are covered whatever the generator draws. */
const fixed = ["\uFEFF\ndata: 1\n\ndata: 2\n\n", "\uFEFF\rdata: 1\r\rdata: 2\r\r"].map((text) => {
  const bytes = encoder.encode(text);
  return { bytes, chunks: [{ size: bytes.length, delay: 0 }] };
});
const streams = [
  ...fixed,
  ...Array.from({ length: STREAMS - fixed.length }, (_, seed) => generateStream(seed + 1)),
];

describe.skipIf(!chromiumAvailable("browser differential"))(
  "differential against native EventSource",
  () => {
    const browser = useBrowser();
    beforeAll(() => {
      browser.site.a.route("/diff", (_request, response, url) => {
        const stream = streams[Number(url.searchParams.get("seed"))] as Stream;
        response.writeHead(200, {
          "content-type": "text/event-stream",
          "cache-control": "no-store",
        });
        let offset = 0;
        const writes = stream.chunks.map(({ size }) => {
          const chunk = Buffer.from(stream.bytes.subarray(offset, offset + size));
          offset += size;
          return chunk;
        });
        writeChunks(
          response,
          writes,
          stream.chunks.map(({ delay }) => delay),
          true,
        );
      });
    });

    describe.each(modes)("Chromium, %s", (mode) => {
      let page: Page;
      beforeAll(async () => {
        page = await browser.open(mode);
      });
      afterAll(async () => {
        await page.close();
      });

      it(`dispatches what native dispatches for ${STREAMS} generated streams (known native bugs: per the spec)`, async () => {
        const options = { types: LISTENED_TYPES, stopOnError: true };
        const mismatches: string[] = [];
        const exceptions: string[] = [];
        for (const [seed, stream] of streams.entries()) {
          const url = browser.site.a.url(`/diff?seed=${seed}&mode=${mode}`);
          const [tested, native] = await Promise.all([
            recordIn(page, `${url}&who=tested`, undefined, options),
            recordIn(page, `${url}&who=native`, undefined, options, "NativeEventSource"),
          ]);
          expect(tested.timedOut || native.timedOut, `seed ${seed} timed out`).toBe(false);
          const bug = nativeBugs.find((candidate) => candidate.applies(stream.bytes));
          let expected: Entry[] = native.log;
          if (bug !== undefined) {
            exceptions.push(`seed ${seed}: ${bug.name} (native: ${JSON.stringify(native.log)})`);
            const origin = browser.site.a.origin;
            expected = [
              { type: "open", readyState: 1 },
              ...referenceParse(stream.bytes)
                .events.filter(
                  (event) => event.type === "message" || LISTENED_TYPES.includes(event.type),
                )
                .map(({ type, data, lastEventId }) => ({
                  type,
                  readyState: 1,
                  data,
                  lastEventId,
                  origin,
                })),
              { type: "error", readyState: 0 },
            ];
          }
          if (JSON.stringify(tested.log) !== JSON.stringify(expected)) {
            mismatches.push(
              `seed ${seed} ${JSON.stringify(Buffer.from(stream.bytes).toString("latin1"))}\n  tested ${JSON.stringify(tested.log)}\n  expect ${JSON.stringify(expected)}`,
            );
          }
        }
        if (exceptions.length > 0)
          console.info(
            `[differential ${mode}] per the spec, not native:\n${exceptions.join("\n")}`,
          );
        expect(mismatches).toEqual([]);
      }, 120_000);
    });
  },
);
