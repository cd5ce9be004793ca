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
  | { type: "invalid-retry"; message: string; value: string; line: string }
  | { type: "unknown-field"; message: string; field: string; value: string; line: string }
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
  /** Parse the next piece of the stream: UTF-8 bytes of any size, or already-decoded text. */
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

/** Whether `line` holds `name` at `start` (the caller has checked the length). */
function isName(line: string, start: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    if (line.charCodeAt(start + i) !== name.charCodeAt(i)) return false;
  }
  return true;
}

export function createParser(
  callbacks: ParserCallbacks,
  options: ParserOptions = {},
): EventStreamParser {
  const { onEvent, onRetry, onComment, onError } = callbacks;
  const maxSize = options.maxEventSize ?? Number.POSITIVE_INFINITY;

  // [I3] the per-stream buffers. The data buffer keeps its lines without the trailing LF, so
  // [D3] needs no work; `hasData` tells `data:` (one empty line) from no data line at all [D2].
  let data = "";
  let hasData = false;
  let eventType = "";
  let idBuffer = options.lastEventId ?? "";
  let lastEventId = idBuffer;

  // Line-splitting state: the start of a line whose end has not arrived yet, and whether the
  // last thing seen was a CR, so that an LF opening the next chunk completes that CRLF [I2].
  let partialLine = "";
  let afterCR = false;
  let atStreamStart = true;
  let stopped = false;
  // Bumped by reset(), so a callback that resets the parser stops the loop it was called from.
  let generation = 0;

  // Undecoded bytes of the partial line. LF and CR never occur inside a UTF-8 sequence, so
  // everything up to the last line end of a chunk decodes on its own, in one call, with the
  // same result as a streaming decoder [I1]; only the rest waits here for its line end.
  let pendingBytes: Uint8Array | undefined;
  let pendingLength = 0;
  let decoder: TextDecoder | undefined;
  let streamingDecoder: TextDecoder | undefined;
  let lastWasAscii = true;

  function decode(bytes: Uint8Array): string {
    // ignoreBOM: the BOM is stripped once per stream, on text, in parseText. Every batch ends
    // with CR or LF, so a streaming decoder is never left holding part of a character.
    // Node's one-shot decode is several times faster on ASCII and about twice as slow on other
    // text than its streaming one, so the choice follows what the last batch held.
    let text: string;
    if (lastWasAscii) {
      decoder ??= new TextDecoder("utf-8", { ignoreBOM: true });
      text = decoder.decode(bytes);
    } else {
      streamingDecoder ??= new TextDecoder("utf-8", { ignoreBOM: true });
      text = streamingDecoder.decode(bytes, { stream: true });
    }
    lastWasAscii = text.length === bytes.length;
    return text;
  }

  function keepBytes(bytes: Uint8Array, from: number, to: number): void {
    const needed = pendingLength + (to - from);
    if (pendingBytes === undefined || pendingBytes.length < needed) {
      // Doubling keeps a long line arriving in tiny chunks linear in its size.
      const grown = new Uint8Array(Math.max(needed, 2 * (pendingBytes?.length ?? 64)));
      if (pendingBytes !== undefined) grown.set(pendingBytes.subarray(0, pendingLength));
      pendingBytes = grown;
    }
    pendingBytes.set(
      from === 0 && to === bytes.length ? bytes : bytes.subarray(from, to),
      pendingLength,
    );
    pendingLength = needed;
  }

  function fail(size: number): void {
    stopped = true;
    partialLine = "";
    pendingLength = 0;
    data = "";
    onError?.({
      type: "max-event-size",
      message: `event exceeds maxEventSize (${size} > ${maxSize} characters)`,
      size,
      limit: maxSize,
    });
  }

  function feedBytes(chunk: Uint8Array): void {
    const length = chunk.length;
    // The last line end: usually near the end, so look back a little before asking the
    // native (and slower per byte) lastIndexOf to scan the rest.
    const near = length > 64 ? length - 64 : 0;
    let end = length - 1;
    while (end >= near && chunk[end] !== LF && chunk[end] !== CR) end--;
    if (end < near && near > 0) {
      const head = chunk.subarray(0, near);
      end = Math.max(head.lastIndexOf(LF), head.lastIndexOf(CR));
    }
    if (end < 0) {
      keepBytes(chunk, 0, length);
      // UTF-8 takes at most 3 bytes per UTF-16 unit: a bound in bytes that never fails early.
      if (pendingLength > 3 * maxSize) fail(pendingLength);
      return;
    }
    let text: string;
    if (pendingLength === 0) {
      text = decode(end === length - 1 ? chunk : chunk.subarray(0, end + 1));
    } else {
      keepBytes(chunk, 0, end + 1);
      text = decode((pendingBytes as Uint8Array).subarray(0, pendingLength));
      pendingLength = 0;
    }
    const myGeneration = generation;
    parseText(text);
    // Unless a callback reset the parser: the rest belongs to a stream that has ended.
    if (end < length - 1 && !stopped && generation === myGeneration)
      keepBytes(chunk, end + 1, length);
  }

  function parseText(text: string): void {
    const length = text.length;
    if (length === 0) return;
    let position = 0;
    if (atStreamStart) {
      atStreamStart = false;
      // [I1] exactly one leading BOM per stream.
      if (text.charCodeAt(0) === 0xfeff) position = 1;
    }
    if (afterCR) {
      afterCR = false;
      if (text.charCodeAt(position) === LF) position++;
    }
    const myGeneration = generation;
    // Next LF and CR at or after `position`; `length` means none. Each is searched again only
    // once passed, so the text is scanned once for each, however its lines are laid out.
    let nextLF = -1;
    let nextCR = -1;
    while (position < length) {
      if (nextLF < position) {
        nextLF = text.indexOf("\n", position);
        if (nextLF < 0) nextLF = length;
      }
      if (nextCR < position) {
        nextCR = text.indexOf("\r", position);
        if (nextCR < 0) nextCR = length;
      }
      const lineEnd = Math.min(nextLF, nextCR);
      if (lineEnd === length) break;

      if (partialLine !== "") {
        const line = partialLine + text.slice(position, lineEnd);
        partialLine = "";
        processLine(line, 0, line.length);
      } else if (position === lineEnd) {
        dispatch(); // [L1]
      } else if (
        // The most common line, `data:` or `data: `, done inline; everything else in processLine.
        text.charCodeAt(position) === 100 &&
        text.charCodeAt(position + 4) === COLON &&
        text.charCodeAt(position + 1) === 97 &&
        text.charCodeAt(position + 2) === 116 &&
        text.charCodeAt(position + 3) === 97 &&
        lineEnd - position <= maxSize
      ) {
        const valueStart = text.charCodeAt(position + 5) === SPACE ? position + 6 : position + 5;
        appendData(valueStart < lineEnd ? text.slice(valueStart, lineEnd) : "");
      } else {
        processLine(text, position, lineEnd);
      }
      if (stopped || generation !== myGeneration) return;

      // [I2] CRLF, CR or LF; a CR that ends the text may be half of a CRLF.
      position = lineEnd + 1;
      if (lineEnd === nextCR) {
        if (position === length) afterCR = true;
        else if (text.charCodeAt(position) === LF) position++;
      }
    }
    if (position < length) {
      partialLine += position === 0 ? text : text.slice(position);
      if (partialLine.length > maxSize) fail(partialLine.length);
    }
  }

  /**
   * [L2]–[L4] for the non-empty line `line[start, end)`. The character at `end` is a line end
   * or past the string, never a colon, so looking one character ahead is safe.
   */
  function processLine(line: string, start: number, end: number): void {
    if (end - start > maxSize) {
      fail(end - start);
      return;
    }
    const first = line.charCodeAt(start);
    if (first === COLON) {
      // [L2] comment
      if (onComment !== undefined) {
        const from =
          start + 1 < end && line.charCodeAt(start + 1) === SPACE ? start + 2 : start + 1;
        onComment(line.slice(from, end));
      }
      return;
    }
    // [L3] the name ends at the first colon; [L4] or at the end of a line without one. Field
    // names are compared by character codes: no name string is made for the usual fields.
    let nameEnd = start + 1;
    while (nameEnd < end && line.charCodeAt(nameEnd) !== COLON) nameEnd++;
    let valueStart = nameEnd + 1;
    if (valueStart < end && line.charCodeAt(valueStart) === SPACE) valueStart++;
    const value = valueStart < end ? line.slice(valueStart, end) : "";

    switch (nameEnd - start) {
      case 4:
        if (isName(line, start, "data")) {
          appendData(value);
          return;
        }
        break;
      case 5:
        // [P-event]
        if (isName(line, start, "event")) {
          eventType = value;
          return;
        }
        // [P-retry]
        if (isName(line, start, "retry")) {
          processRetry(line, start, value, end);
          return;
        }
        break;
      case 2:
        // [P-id] a value containing NULL ignores the whole field.
        if (isName(line, start, "id")) {
          if (value.indexOf("\0") < 0) idBuffer = value;
          return;
        }
        break;
    }
    // [P-other] ignored.
    if (onError !== undefined) {
      const field = line.slice(start, nameEnd);
      onError({
        type: "unknown-field",
        message: `unknown field ${JSON.stringify(field)} ignored`,
        field,
        value,
        line: line.slice(start, end),
      });
    }
  }

  /** [P-data] append the value and a LF (the LF is added when the next line comes). */
  function appendData(value: string): void {
    if (hasData) {
      data = `${data}\n${value}`;
    } else {
      data = value;
      hasData = true;
    }
    if (data.length > maxSize) fail(data.length);
  }

  /** [P-retry] only ASCII digits, at least one (§5: an empty value is ignored). */
  function processRetry(line: string, start: number, value: string, end: number): void {
    let valid = value.length > 0;
    for (let i = 0; valid && i < value.length; i++) {
      const code = value.charCodeAt(i);
      valid = code >= 48 && code <= 57;
    }
    if (valid) {
      onRetry?.(Number.parseInt(value, 10));
    } else if (onError !== undefined) {
      onError({
        type: "invalid-retry",
        message: `invalid retry value ${JSON.stringify(value)} ignored`,
        value,
        line: line.slice(start, end),
      });
    }
  }

  function dispatch(): void {
    // [D1] the ID buffer becomes the last event ID string, even when nothing is dispatched.
    lastEventId = idBuffer;
    // [D2] no data: reset the buffers and stop.
    if (!hasData) {
      eventType = "";
      return;
    }
    // [D5]/[D6] type defaults to "message"; [D3] the trailing LF was never added.
    const event: EventSourceMessage = { type: eventType || "message", data, lastEventId };
    // [D7] reset data and type; the ID buffer stays.
    data = "";
    hasData = false;
    eventType = "";
    onEvent(event);
  }

  return {
    feed(chunk) {
      if (stopped) return;
      if (typeof chunk === "string") {
        // Bytes left from a byte chunk are completed by text: decode them as they are.
        if (pendingLength > 0) {
          partialLine += decode((pendingBytes as Uint8Array).subarray(0, pendingLength));
          pendingLength = 0;
        }
        parseText(chunk);
      } else {
        feedBytes(chunk);
      }
    },
    reset(resetOptions) {
      generation++;
      // [I5] the incomplete line and event are discarded.
      partialLine = "";
      pendingLength = 0;
      // A buffer grown by one long line is not kept for the next stream.
      if (pendingBytes !== undefined && pendingBytes.length > 65536) pendingBytes = undefined;
      afterCR = false;
      atStreamStart = true;
      stopped = false;
      data = "";
      hasData = false;
      eventType = "";
      // §7.5 the next stream's ID buffer starts from the last event ID string.
      if (resetOptions?.lastEventId !== undefined) lastEventId = resetOptions.lastEventId;
      idBuffer = lastEventId;
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}
