/**
 * The standard request headers of every attempt: [C10] `Accept`, and [R5.3] `Last-Event-ID`,
 * UTF-8 encoded, only when the last event ID is not empty (DESIGN "Decisions"). Shared by the
 * standard core and the NON-SPEC request builder (request.ts).
 */

/** What no header value may hold, for every transport to accept it: control characters but tab. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its job.
const NOT_IN_HEADER_VALUE = /[\0-\x08\n-\x1f\x7f]/;

export function standardHeaders(
  lastEventId: string,
  headers: Record<string, string> = {},
): Record<string, string> {
  headers.accept = "text/event-stream";
  if (lastEventId !== "") {
    // An ID that is not a valid header value (a control character) is left out: sending it
    // would fail every attempt and wedge the source in a retry loop.
    const value = toByteString(lastEventId);
    if (!NOT_IN_HEADER_VALUE.test(value)) headers["last-event-id"] = value;
  }
  return headers;
}

/**
 * UTF-8 bytes as a string of one char per byte: what header APIs take (§4). The ID is well-formed
 * UTF-16 (the parser's input was decoded; the `lastEventId` option is made so in options.ts), so
 * `encodeURIComponent` cannot throw.
 */
function toByteString(value: string): string {
  return unescape(encodeURIComponent(value));
}
