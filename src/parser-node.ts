/**
 * The parser for Node, where the plain parser's one `TextDecoder.decode(bytes, { stream: true })`
 * per chunk is the slow part: the same `createParser` (parser.ts), fed text decoded here in two
 * ways that are faster on Node and give the same text [I1]. The browser builds leave this file
 * out, so they stay small; the `node` condition of `universal-eventsource/parser` gets it.
 */
import {
  createParser,
  type EventStreamParser,
  type ParserCallbacks,
  type ParserOptions,
} from "./parser.js";

const LF = 10;
const CR = 13;
/** The BOM is stripped by the parser, on text, once per stream [I1]. */
const DECODER_OPTIONS = { ignoreBOM: true };
const STREAM = { stream: true };
/** Byte chunks are held undecoded up to this many bytes; a bigger one is decoded at once. */
const HOLD = 1024;
/** A one-shot decode keeps no state between calls, so every parser can share one decoder. */
let oneShot: TextDecoder | undefined;

export function createNodeParser(
  callbacks: ParserCallbacks,
  options?: ParserOptions,
): EventStreamParser {
  return new NodeParser(createParser(callbacks, options));
}

/**
 * `universal-eventsource/parser` under the `node` condition. Its methods work detached, like
 * those of `createParser` (`stream.on("data", parser.feed)`, as with eventsource-parser): the
 * class's own are unbound. The EventSource keeps the class alone.
 */
export function createStandaloneNodeParser(
  callbacks: ParserCallbacks,
  options?: ParserOptions,
): EventStreamParser {
  const parser = createNodeParser(callbacks, options);
  return {
    feed: (chunk) => parser.feed(chunk),
    reset: (resetOptions) => parser.reset(resetOptions),
    get lastEventId() {
      return parser.lastEventId;
    },
  };
}

/**
 * A class, not closures: its methods live once on the prototype, so an idle source keeps one
 * small object here (1000 idle sources are a benchmark).
 */
class NodeParser implements EventStreamParser {
  private _parser: EventStreamParser;
  private _streaming: TextDecoder | undefined;
  /**
   * Whether the last bytes decoded ended in ASCII and decoded to ASCII: the streaming decoder
   * then holds no part of a character.
   */
  private _ascii = true;
  /** The bytes of an unfinished line that came in small chunks. */
  private _held: Uint8Array | undefined;
  private _heldLength = 0;

  constructor(parser: EventStreamParser) {
    this._parser = parser;
  }

  feed(chunk: Uint8Array | string): void {
    if (typeof chunk !== "string") {
      const heldLength = this._heldLength;
      if (heldLength + chunk.length > HOLD) {
        // The held bytes go through the decoder first: they may start a character.
        chunk = this._take() + this._decode(chunk);
      } else {
        // Small chunks wait as bytes until one brings a line end: one decode per line or so,
        // not one per chunk. Grown as needed, so an idle source that once held a short line
        // keeps little.
        let held = this._held;
        if (held === undefined || held.length < heldLength + chunk.length) {
          const grown = new Uint8Array(heldLength + chunk.length <= 64 ? 64 : HOLD);
          if (held !== undefined) grown.set(held.subarray(0, heldLength));
          held = this._held = grown;
        }
        held.set(chunk, heldLength);
        this._heldLength = heldLength + chunk.length;
        let i = chunk.length;
        while (i-- > 0 && chunk[i] !== LF && chunk[i] !== CR);
        if (i < 0) return;
        chunk = this._take();
      }
    } else if (this._heldLength > 0) {
      chunk = this._take() + chunk;
    }
    this._parser.feed(chunk);
  }

  reset(options?: { lastEventId?: string }): void {
    // [I5] the bytes of a cut line or character go with the stream.
    this._heldLength = 0;
    this._ascii = true;
    this._streaming?.decode();
    this._parser.reset(options);
  }

  get lastEventId(): string {
    return this._parser.lastEventId;
  }

  /** [I1] UTF-8 decode the next bytes. */
  private _decode(bytes: Uint8Array): string {
    // Node 20's one-shot decode is about 10x faster than its streaming one on ASCII, and 1.6x
    // slower on other text. It is right whenever no character is cut: the streaming decoder
    // holds nothing and `bytes` end in ASCII.
    const last = bytes[bytes.length - 1] as number;
    let text: string;
    if (this._ascii && last < 128) {
      oneShot ??= new TextDecoder("utf-8", DECODER_OPTIONS);
      text = oneShot.decode(bytes);
    } else {
      this._streaming ??= new TextDecoder("utf-8", DECODER_OPTIONS);
      text = this._streaming.decode(bytes, STREAM);
    }
    this._ascii = last < 128 && text.length === bytes.length;
    return text;
  }

  /** The held bytes, decoded. */
  private _take(): string {
    const length = this._heldLength;
    this._heldLength = 0;
    return length > 0 ? this._decode((this._held as Uint8Array).subarray(0, length)) : "";
  }
}
