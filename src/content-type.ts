/**
 * Whether a `Content-Type` header names `text/event-stream` [C15.3]: the MIME type's essence,
 * compared ASCII case-insensitively, parameters ignored (Fetch's "extract a MIME type", for the
 * single-value case). Of comma-separated values, Fetch takes the last that parses; taking the
 * last is the useful approximation. A prefix test would wrongly accept `text/event-streamx`.
 */
const EVENT_STREAM = /^(?:.*,)?\s*text\/event-stream\s*(?:;[^,]*)?$/i;

export function isEventStreamType(contentType: string | null): boolean {
  return contentType !== null && EVENT_STREAM.test(contentType);
}
