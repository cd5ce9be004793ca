/**
 * Whether a `Content-Type` header names `text/event-stream` [C15.3]: the MIME type's essence,
 * compared ASCII case-insensitively, parameters ignored (Fetch's "extract a MIME type", for the
 * single-value case). A prefix test would wrongly accept `text/event-streamx`.
 */
export function isEventStreamType(contentType: string | null): boolean {
  if (contentType === null) return false;
  // Fetch takes the last of comma-separated values that parses; a list is rare enough that
  // taking the last part is the useful approximation.
  const comma = contentType.lastIndexOf(",");
  const value = comma < 0 ? contentType : contentType.slice(comma + 1);
  const semicolon = value.indexOf(";");
  const essence = (semicolon < 0 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  return essence === "text/event-stream";
}
