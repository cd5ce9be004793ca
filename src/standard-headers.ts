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
  if (lastEventId !== "") {
    // An ID that is not a valid header value (a control character) is left out: sending it
    // would fail every attempt and wedge the source in a retry loop.
    const value = toByteString(lastEventId);
    if (isHeaderValue(value)) headers["last-event-id"] = value;
  }
  return headers;
}

/**
 * UTF-8 bytes as a string of one char per byte: what header APIs take (§4). A lone surrogate
 * becomes U+FFFD first, as a USVString conversion makes it (encodeURIComponent would throw).
 */
function toByteString(value: string): string {
  return unescape(
    encodeURIComponent(
      value.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g, (match) =>
        match.length > 1 ? match : "\ufffd",
      ),
    ),
  );
}

/** A header value that every transport accepts: no control characters but tab. */
function isHeaderValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return false;
  }
  return true;
}
