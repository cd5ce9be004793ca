/**
 * A spec-literal reference for the event-stream parser, written to be obviously right, not fast.
 *
 * `referenceParse(input, { lastEventId })` interprets ONE complete response body (§7 of the
 * digest) and returns everything it produced:
 * - `events`: the dispatched events `{ type, data, lastEventId }`, in order;
 * - `retries`: every valid `retry:` value, in order (they apply when read [P-retry]);
 * - `comments`: the text of each comment line after the colon and one optional space [L2];
 * - `errors`: the lines the spec ignores, as `createParser`'s `onError` reports them;
 * - `lastEventId`: the last event ID string once the body has ended. The final block, when no
 *   blank line ends it, is discarded [I5], so its `id` never gets there.
 *
 * `options.lastEventId` seeds the ID buffer, as a reconnection does (§7.5).
 *
 * Each step is the spec's, in the spec's order: decode the whole body at once [I1] (one call
 * gives what a streaming decoder gives; bytes cut off at the very end can only belong to the
 * discarded last line), strip one BOM, split lines [I2], apply [L1]–[L4], [P-*] and [D1]–[D7]
 * with a data buffer that really holds its trailing LFs.
 */

export interface ReferenceEvent {
  type: string;
  data: string;
  lastEventId: string;
}

export type ReferenceError =
  | { type: "invalid-retry"; value: string }
  | { type: "invalid-id"; value: string }
  | { type: "unknown-field"; field: string; value: string };

export interface ReferenceResult {
  events: ReferenceEvent[];
  retries: number[];
  comments: string[];
  errors: ReferenceError[];
  lastEventId: string;
}

/** [I1] + [I2]: the complete lines of the body; the text after the last line end is dropped. */
export function referenceLines(input: Uint8Array | string): string[] {
  let text =
    typeof input === "string" ? input : new TextDecoder("utf-8", { ignoreBOM: true }).decode(input);
  // [I1] exactly one leading BOM.
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  const lines: string[] = [];
  let line = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "\r") {
      // [I2] CRLF is one line end; a CR alone, even the stream's last character, is one too.
      if (text[i + 1] === "\n") i++;
      lines.push(line);
      line = "";
    } else if (char === "\n") {
      lines.push(line);
      line = "";
    } else {
      line += char;
    }
  }
  return lines;
}

export function referenceParse(
  input: Uint8Array | string,
  options: { lastEventId?: string } = {},
): ReferenceResult {
  const result: ReferenceResult = {
    events: [],
    retries: [],
    comments: [],
    errors: [],
    lastEventId: options.lastEventId ?? "",
  };
  // [I3] the buffers; §7.5 the ID buffer starts from the last event ID string.
  let dataBuffer = "";
  let eventTypeBuffer = "";
  let idBuffer = result.lastEventId;

  for (const line of referenceLines(input)) {
    if (line === "") {
      // [L1] dispatch. [D1] first, even when nothing is dispatched.
      result.lastEventId = idBuffer;
      // [D2]
      if (dataBuffer === "") {
        eventTypeBuffer = "";
        continue;
      }
      // [D3] one trailing LF.
      if (dataBuffer.endsWith("\n")) dataBuffer = dataBuffer.slice(0, -1);
      // [D5] [D6]
      result.events.push({
        type: eventTypeBuffer === "" ? "message" : eventTypeBuffer,
        data: dataBuffer,
        lastEventId: result.lastEventId,
      });
      // [D7]
      dataBuffer = "";
      eventTypeBuffer = "";
      continue;
    }
    if (line.startsWith(":")) {
      // [L2]
      const comment = line.slice(1);
      result.comments.push(comment.startsWith(" ") ? comment.slice(1) : comment);
      continue;
    }
    let field: string;
    let value: string;
    const colon = line.indexOf(":");
    if (colon >= 0) {
      // [L3]
      field = line.slice(0, colon);
      value = line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
    } else {
      // [L4]
      field = line;
      value = "";
    }
    if (field === "event") {
      eventTypeBuffer = value; // [P-event]
    } else if (field === "data") {
      dataBuffer += `${value}\n`; // [P-data]
    } else if (field === "id") {
      // [P-id]
      if (!value.includes("\0")) idBuffer = value;
      else result.errors.push({ type: "invalid-id", value });
    } else if (field === "retry") {
      // [P-retry] ASCII digits only; empty is ignored (§5).
      if (/^[0-9]+$/.test(value)) result.retries.push(Number.parseInt(value, 10));
      else result.errors.push({ type: "invalid-retry", value });
    } else {
      result.errors.push({ type: "unknown-field", field, value }); // [P-other]
    }
  }
  return result;
}
