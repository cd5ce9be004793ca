/**
 * The standard request headers of every attempt: [C10] `Accept`, and [R5.3] `Last-Event-ID`,
 * UTF-8 encoded, only when the last event ID is not empty (DESIGN "Decisions"). Shared by the
 * standard core and the NON-SPEC request builder (request.ts).
 */

export function standardHeaders(
  lastEventId: string,
  headers: Record<string, string> = {},
): Record<string, string> {
  headers.accept = "text/event-stream";
  if (lastEventId !== "") headers["last-event-id"] = toByteString(lastEventId);
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
