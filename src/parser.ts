/**
 * The event-stream parser: bytes or text in, events out. Pure: no I/O, no timers.
 *
 * Implements the digest's §7 ("Interpreting an event stream"): UTF-8 decoding [I1], line
 * splitting [I2], per-stream buffers [I3], line rules [L1]–[L4], fields [P-*] and dispatch
 * [D1]–[D7]. Queuing the event as a task [D8] is the caller's job.
 */

/** One dispatched event: the `type`, `data` and `lastEventId` of a `MessageEvent`. */
export interface EventSourceMessage {
  /** The `event:` field, or `"message"` when there was none or it was empty. */
  type: string;
  /** The `data:` lines joined with LF. */
  data: string;
  /** The last event ID string at dispatch: the latest `id:` of the stream, not only this block's. */
  lastEventId: string;
}

/** Something the stream said that the spec tells us to ignore, or a limit that stopped parsing. */
export type ParseError =
  | { type: "invalid-retry"; message: string; value: string }
  | { type: "invalid-id"; message: string; value: string }
  | { type: "unknown-field"; message: string; field: string; value: string }
  | { type: "max-event-size"; message: string; size: number; limit: number };

export interface ParserCallbacks {
  /** Called for each dispatched event, in stream order. */
  onEvent: (event: EventSourceMessage) => void;
  /** Called with the new reconnection time (ms) as soon as a valid `retry:` line is read. */
  onRetry?: (milliseconds: number) => void;
  /** Called with the text of each comment line, after the colon and one optional space. */
  onComment?: (comment: string) => void;
  /** Called for ignored fields and for `max-event-size`. Nothing is allocated without it. */
  onError?: (error: ParseError) => void;
}

export interface ParserOptions {
  /**
   * NON-SPEC: the most characters one line, or one event's data, may hold. Past it the parser
   * reports `max-event-size` and ignores everything until `reset()`. Default: unlimited.
   */
  maxEventSize?: number;
  /** The last event ID string the first stream starts from (§7.5). Default `""`. */
  lastEventId?: string;
}

export interface EventStreamParser {
  /**
   * Parse the next piece of the stream: UTF-8 bytes of any size, or already-decoded text. A
   * character cut at the end of a byte chunk is completed by the next byte chunk.
   */
  feed(chunk: Uint8Array | string): void;
  /**
   * End the current stream and get ready for the next one (a reconnection): the partial line
   * and partial event are discarded [I5], the next leading BOM is stripped again [I1], and the
   * ID buffer restarts from the last event ID string (§7.5), or from `lastEventId` if given.
   */
  reset(options?: { lastEventId?: string }): void;
  /** The last event ID string: the ID buffer as of the latest blank line [D1]. */
  readonly lastEventId: string;
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const COLON = 58;
/** The BOM is stripped by the parser, on text, once per stream [I1]. */
const DECODER_OPTIONS = { ignoreBOM: true };
const STREAM = { stream: true };

export function createParser(
  callbacks: ParserCallbacks,
  options: ParserOptions = {},
): EventStreamParser {
  // onComment and onError are read where they are called, which the lean builds leave out.
  const { onEvent, onRetry } = callbacks;
  const max = LEAN_BUILD ? Infinity : (options.maxEventSize ?? Infinity);

  // [I3] the per-stream buffers. `data` stays undefined until a data line comes, and holds its
  // lines joined by LF: the LF that [P-data] appends to the last line is the one [D3] removes.
  let data: string | undefined;
  let type = "";
  // The lean builds' core never seeds it: their parser takes no options.
  let lastEventId = LEAN_BUILD ? "" : (options.lastEventId ?? "");
  let id = lastEventId;

  // The unfinished last line, and how many pieces it was built from since it was last flat.
  let partial = "";
  let pieces = 0;
  // A CR ended the last text: an LF opening the next one completes that CRLF [I2].
  let afterCR = false;
  let atStart = true;
  let stopped = false;
  // Bumped when the stream ends (reset() or the size limit), so that the loop which made the
  // callback stops: the rest of its text belongs to a stream that is over. No callback of the
  // lean builds' core resets the parser, and they have no size limit: they neither bump nor
  // check it.
  let generation = 0;
  // Made at the first byte chunk: a parser fed text never needs one.
  let decoder: TextDecoder | undefined;

  /** [I5] the stream is over: its partial line, partial event and cut character go. */
  function end(stop: boolean): void {
    if (!LEAN_BUILD) generation++;
    stopped = stop;
    partial = "";
    data = undefined;
    type = "";
    afterCR = false;
    atStart = true;
    // [I5] a character cut at the end of the stream is dropped with it.
    decoder?.decode();
  }

  function parse(text: string): void {
    const length = text.length;
    if (length === 0) return;
    const current = generation;
    let position = 0;
    // [I1] exactly one leading BOM per stream.
    if (atStart) {
      atStart = false;
      if (text.charCodeAt(0) === 0xfeff) position = 1;
    }
    if (afterCR) {
      afterCR = false;
      if (text.charCodeAt(position) === LF) position++;
    }
    // The next LF and CR at or after `position` (`length` for none). Each is searched again
    // only once passed, so the text is scanned once for each, whatever its line ends.
    let nextLF = -1;
    let nextCR = -1;
    while (position < length) {
      // A line end right at `position` (a blank line) needs no search.
      if (nextLF < position) {
        nextLF = text.charCodeAt(position) === LF ? position : text.indexOf("\n", position);
        if (nextLF < 0) nextLF = length;
      }
      if (nextCR < position) {
        nextCR = text.charCodeAt(position) === CR ? position : text.indexOf("\r", position);
        if (nextCR < 0) nextCR = length;
      }
      const lineEnd = Math.min(nextLF, nextCR);
      if (lineEnd === length) break;
      if (partial === "") {
        processLine(text, position, lineEnd);
      } else {
        const line = partial + text.slice(position, lineEnd);
        partial = "";
        processLine(line, 0, line.length);
      }
      if (!LEAN_BUILD && generation !== current) return;
      // [I2] CRLF, CR or LF; a CR that ends the text may be half of a CRLF.
      position = lineEnd + 1;
      if (lineEnd === nextCR) {
        if (position === length) afterCR = true;
        else if (text.charCodeAt(position) === LF) position++;
      }
    }
    if (position < length) {
      partial += text.slice(position);
      if (!LEAN_BUILD && partial.length > max) {
        fail(partial.length);
      } else if (++pieces > 32 + (partial.length >> 5)) {
        // V8 keeps the result of `+=` as a rope: a long line in tiny chunks would cost about 32
        // bytes per piece. Reading a character flattens it; doing that once the pieces
        // outnumber a 32nd of the length bounds the memory and keeps the time linear.
        pieces = 0;
        partial.charCodeAt(0);
      }
    }
  }

  /** [L1]–[L4] for the line `s[start, end)`; `s[end]`, if any, is a CR or an LF. */
  function processLine(s: string, start: number, end: number): void {
    if (start === end) {
      // [L1] dispatch. [D1] even when there is nothing to dispatch.
      lastEventId = id;
      const eventData = data;
      // [D5]/[D6] the type defaults to "message".
      const eventType = type || "message";
      // [D2]/[D7] reset the data and type; the ID buffer stays.
      data = undefined;
      type = "";
      if (eventData !== undefined) onEvent({ type: eventType, data: eventData, lastEventId });
      return;
    }
    if (!LEAN_BUILD && end - start > max) {
      fail(end - start);
      return;
    }
    // `data:`, the usual line, is checked in place and goes straight to [P-data].
    if (
      !LEAN_BUILD &&
      s.charCodeAt(start) === 100 &&
      s.charCodeAt(start + 4) === COLON &&
      s.charCodeAt(start + 1) === 97 &&
      s.charCodeAt(start + 2) === 116 &&
      s.charCodeAt(start + 3) === 97
    ) {
      appendData(s.slice(s.charCodeAt(start + 5) === SPACE ? start + 6 : start + 5, end));
      return;
    }
    // [L3] the name ends at the first colon, [L4] or at the end of the line.
    let colon = start;
    while (colon < end && s.charCodeAt(colon) !== COLON) colon++;
    let from = colon + 1;
    if (s.charCodeAt(from) === SPACE) from++;
    // [L2] comment.
    if (colon === start) {
      if (!LEAN_BUILD) callbacks.onComment?.(s.slice(from, end));
      return;
    }
    // Past the end of the line when there is no colon: the value is then empty.
    const value = s.slice(from, end);
    const name = s.slice(start, colon);
    switch (name) {
      case "data":
        appendData(value);
        return;
      case "event":
        type = value; // [P-event]
        return;
      case "id":
        // [P-id] a value containing NULL ignores the whole field.
        if (value.indexOf("\0") < 0) id = value;
        else if (!LEAN_BUILD)
          callbacks.onError?.({ type: "invalid-id", message: `invalid id: ${value}`, value });
        return;
      case "retry":
        // [P-retry] ASCII digits only, at least one (§5: an empty value is ignored).
        if (/^\d+$/.test(value)) onRetry?.(+value);
        else if (!LEAN_BUILD)
          callbacks.onError?.({
            type: "invalid-retry",
            message: `invalid retry: ${value}`,
            value,
          });
        return;
    }
    // [P-other] ignored. `?.` skips building the error when nobody listens.
    if (!LEAN_BUILD)
      callbacks.onError?.({
        type: "unknown-field",
        message: `unknown field: ${name}`,
        field: name,
        value,
      });
  }

  /** [P-data] the LF between lines is added when the next line comes. */
  function appendData(value: string): void {
    data = data === undefined ? value : `${data}\n${value}`;
    if (!LEAN_BUILD && data.length > max) fail(data.length);
  }

  /** [NON-SPEC] maxEventSize: stop until reset(). No lean build calls it (minifiers keep it). */
  function fail(size: number): void {
    if (LEAN_BUILD) return;
    end(true);
    callbacks.onError?.({
      type: "max-event-size",
      message: `event over maxEventSize: ${size} > ${max}`,
      size,
      limit: max,
    });
  }

  return {
    feed(chunk) {
      if (stopped) return;
      // [I1] UTF-8 decode, a character cut between chunks completed by the next one.
      if (typeof chunk !== "string") {
        decoder ??= new TextDecoder("utf-8", DECODER_OPTIONS);
        chunk = decoder.decode(chunk, STREAM);
      }
      parse(chunk);
    },
    reset(resetOptions) {
      end(false);
      // §7.5 the next stream's ID buffer starts from the last event ID string.
      if (!LEAN_BUILD && resetOptions?.lastEventId !== undefined)
        lastEventId = resetOptions.lastEventId;
      id = lastEventId;
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}
