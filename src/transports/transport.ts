/**
 * The one interface between the EventSource and the network. A transport opens one HTTP
 * request and reports what happens through a sink; it knows nothing of the event stream.
 * Callbacks, not promises or streams: the XHR transport must run in ES5 browsers, and the hot
 * path allocates nothing per chunk beyond the data.
 */

export interface TransportRequest {
  /** Absolute http(s) URL. */
  url: string;
  method: string;
  /** Header name → value. Values are byte strings (one char per byte), as fetch expects. */
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer> | undefined;
  /** Credentials mode `include` when true, `same-origin` otherwise [C8]. */
  withCredentials: boolean;
}

/** The shape of a fetch `Response` that the source reads, so the fetch transport passes it as is. */
export interface TransportResponse {
  status: number;
  /** The final URL, after redirects; empty or missing when unknown (then the request's). */
  url?: string;
  /** Any response header by name (e.g. `content-type`, `retry-after`), or null. */
  headers: { get(name: string): string | null };
}

export interface TransportFailure {
  /** Why, for a person: "network error: ECONNREFUSED", "too many redirects". */
  message: string;
  /** True when retrying cannot help (a redirect loop, a non-http(s) redirect): fail, don't retry. */
  fatal?: boolean;
  cause?: unknown;
}

export interface TransportSink {
  /** The final response's status and headers arrived (redirects already followed). */
  response(response: TransportResponse): void;
  /** Body bytes, or text for transports that only see decoded text (XHR). */
  chunk(data: Uint8Array | string): void;
  /** The body ended normally. */
  end(): void;
  /** A network error, before or during the body. */
  error(failure: TransportFailure): void;
  /**
   * For transports that must not keep a response open forever (XHR's `responseText` grows
   * without bound; the others never call it): right after a chunk that ended on an event
   * boundary, ask for a fresh request resuming from the last event ID. False when there is no ID
   * to resume from: the request then goes on. On true the new request has started and the
   * transport aborts its own.
   */
  restart(): boolean;
}

/** Starts the request; returns the function that aborts it. After abort, the sink hears nothing. */
export type Transport = (request: TransportRequest, sink: TransportSink) => () => void;
