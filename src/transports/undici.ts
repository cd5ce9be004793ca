/**
 * The undici transport, Node's default: undici's dispatcher API directly (no fetch, no web
 * streams), so body Buffers go to the parser as they come off the socket. Redirects are
 * followed here, as fetch would (limit 20, 303 and POST-to-GET rules, credentials dropped
 * across origins), and a user's `dispatcher` (proxy, TLS, pool) is used for every request.
 */
import { type Dispatcher, getGlobalDispatcher } from "undici";
import { CREDENTIAL_HEADERS } from "../request.js";
import { ACCEPT_ENCODING, type BodyDecoder, createBodyDecoder } from "./decompress.js";
import type { Transport, TransportRequest, TransportSink } from "./transport.js";

const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Fetch's request-body-header names, and the length undici would send: they go with the body. */
const BODY_HEADERS = [
  "content-encoding",
  "content-language",
  "content-location",
  "content-type",
  "content-length",
];
/** The reason a redirect's own response is aborted with: undici hands it back to onError. */
const REDIRECTED = new Error("redirected");

/** The transport over the global dispatcher: one for every source without a `dispatcher`. */
const globalTransport = transportOver(undefined);

export function undiciTransport(dispatcher?: Dispatcher): Transport {
  return dispatcher === undefined ? globalTransport : transportOver(dispatcher);
}

function transportOver(dispatcher: Dispatcher | undefined): Transport {
  return (request, sink) => {
    const exchange = new Exchange(dispatcher, sink);
    exchange.start(request);
    return () => exchange.abort();
  };
}

/**
 * One request and the redirects it leads to, and undici's handler for each of them. A class,
 * not closures: its methods live once on the prototype, and an open stream holds this object
 * and the abort function only (1000 idle sources are a benchmark).
 *
 * Its members are not `_`-prefixed, unlike other private members: the build gives `_` names
 * the shortest names by how often the sources use them, and this class's would push members
 * of the browser builds to longer ones. It never leaves this module (undici reads only the
 * `on...` handler methods), so no user's code can collide with them.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private aborted = false;
  private dispatcher: Dispatcher | undefined;
  private sink: TransportSink;
  /** The request being sent; dropped once its response is the final one. */
  private current: TransportRequest | undefined;
  private redirects = 0;
  private abortRequest: ((reason: Error) => void) | undefined;
  /** True while inside dispatch(): an onError then is a refusal, not a network error. */
  private dispatching = false;
  /** Undoes the response's Content-Encoding, when it has one. */
  private decoder: BodyDecoder | undefined;

  constructor(dispatcher: Dispatcher | undefined, sink: TransportSink) {
    this.dispatcher = dispatcher;
    this.sink = sink;
  }

  start(request: TransportRequest): void {
    const protocol = new URL(request.url).protocol;
    if (protocol === "http:" || protocol === "https:") {
      this.send(request);
      return;
    }
    setTimeout(() => {
      if (!this.aborted)
        this.sink.error({ message: `unsupported URL scheme ${protocol}`, fatal: true });
    }, 0);
  }

  send(current: TransportRequest): void {
    const url = new URL(current.url);
    this.current = current;
    // undici's original handler API (onConnect/onHeaders/onData/onComplete/onError), not
    // undici 7's controller API: the global dispatcher may be another undici than ours (Node
    // 22's built-in undici 6 installs its own when fetch or MessageEvent is first touched),
    // and a user's dispatcher may come from any version; every version speaks this one.
    this.dispatching = true;
    try {
      (this.dispatcher ?? getGlobalDispatcher()).dispatch(
        {
          origin: url.origin,
          path: url.pathname + url.search,
          method: current.method as Dispatcher.HttpMethod,
          // Like browsers, offer compression unless the user's headers chose otherwise.
          headers: {
            "cache-control": "no-cache",
            "accept-encoding": ACCEPT_ENCODING,
            ...current.headers,
          },
          body: current.body ?? null,
          // An event stream may be quiet for long: idleness is heartbeatTimeout's business.
          bodyTimeout: 0,
        },
        this,
      );
    } catch (error) {
      this.refused(error);
    }
    this.dispatching = false;
  }

  /**
   * Invalid headers and the like, refused before anything is sent (thrown by dispatch(), or
   * reported through onError from inside it): retrying cannot help [C15.2], and no event may
   * fire inside the constructor [C16], so they are reported later.
   */
  private refused(error: unknown): void {
    setTimeout(() => {
      if (!this.aborted)
        this.sink.error({
          message: `request failed: ${describe(error)}`,
          fatal: true,
          cause: error,
        });
    }, 0);
  }

  abort(): void {
    this.aborted = true;
    this.decoder?.destroy();
    this.abortRequest?.(new Error("aborted"));
  }

  onConnect(abort: (reason: Error) => void): void {
    this.abortRequest = abort;
    if (this.aborted) abort(new Error("aborted"));
  }

  onHeaders(status: number, rawHeaders: Buffer[]): boolean {
    // 1xx informational responses come before the real one.
    const current = this.current;
    if (this.aborted || status < 200 || current === undefined) return true;
    const headers = parseHeaders(rawHeaders);
    // Undici 8 (Node 26's own, the global dispatcher once anything loads it) keeps this
    // array on its request for as long as the response lasts, which for an event stream
    // is its whole life: a Buffer per header name and value, ~1.7 KB an idle source. It
    // has been read, and no undici (6, 7, 8) reads it after this call: emptied, they go.
    rawHeaders.length = 0;
    const location = headers.location;
    if (REDIRECT_STATUSES.has(status) && location !== undefined) {
      this.follow(nextRequest(current, status, location));
      return true;
    }
    // The final response: the request is no longer needed.
    this.current = undefined;
    const sink = this.sink;
    // The open response keeps the process alive, and close() destroys it.
    sink.response({
      status,
      url: current.url,
      headers: { get: (name) => headers[name.toLowerCase()] ?? null },
    });
    if (this.aborted) return true;
    this.decoder = createBodyDecoder(headers["content-encoding"] ?? null, {
      data: (data) => sink.chunk(data),
      end: () => sink.end(),
      error: (message, cause) => {
        // Stop reading a body that cannot be decoded, and report it once.
        this.aborted = true;
        this.abortRequest?.(new Error(message));
        sink.error({ message, cause });
      },
    });
    return true;
  }

  /**
   * Fetch's HTTP-redirect fetch: the next request starts at the redirect's headers. Its body is
   * not waited for, as fetch does not wait: it may never end (a length never reached, a
   * connection held open), and the source would hang. Aborting it costs its connection.
   */
  private follow(next: TransportRequest): void {
    this.abortRequest?.(REDIRECTED);
    if (++this.redirects > MAX_REDIRECTS) {
      this.sink.error({ message: `too many redirects (more than ${MAX_REDIRECTS})`, fatal: true });
    } else if (!/^https?:$/.test(new URL(next.url).protocol)) {
      this.sink.error({ message: `redirect to a non-http(s) URL: ${next.url}`, fatal: true });
    } else {
      this.send(next);
    }
  }

  onData(chunk: Buffer): boolean {
    if (this.aborted) return true;
    const decoder = this.decoder;
    if (decoder === undefined) this.sink.chunk(chunk);
    else decoder.write(chunk);
    return true;
  }

  onComplete(): void {
    if (this.aborted) return;
    const decoder = this.decoder;
    if (decoder === undefined) this.sink.end();
    else decoder.end();
  }

  onError(error: Error): void {
    // A redirect's response, aborted once followed, is no network error.
    if (error === REDIRECTED) return;
    this.decoder?.destroy();
    // undici reports what it refuses to send (a header value, a closed dispatcher) here, from
    // inside dispatch(): that request never left, and is reported as a throw is.
    if (this.dispatching) this.refused(error);
    else if (!this.aborted)
      this.sink.error({ message: `network error: ${describe(error)}`, cause: error });
  }
}

/** The request a redirect leads to, by fetch's rules (HTTP-redirect fetch). */
function nextRequest(
  current: TransportRequest,
  status: number,
  location: string,
): TransportRequest {
  const from = new URL(current.url);
  // Header values were read one char per byte; a Location's bytes are UTF-8, as fetch and
  // browsers read them (some servers send a non-ASCII path unencoded).
  const to = new URL(Buffer.from(location, "latin1").toString("utf8"), from);
  const headers = { ...current.headers };
  let { method, body } = current;
  // 301/302 turn POST into GET; 303 turns anything but GET/HEAD into GET, without the body.
  if (
    ((status === 301 || status === 302) && method === "POST") ||
    (status === 303 && method !== "GET" && method !== "HEAD")
  ) {
    method = "GET";
    body = undefined;
    for (const name of BODY_HEADERS) delete headers[name];
  }
  if (to.origin !== from.origin) {
    for (const name of CREDENTIAL_HEADERS) delete headers[name];
  }
  return { ...current, url: to.href, method, headers, body };
}

/** Raw `[name, value, name, value, …]` as lowercase names → values, repeats joined (Fetch). */
function parseHeaders(raw: Buffer[]): Record<string, string> {
  // No prototype: a header named __proto__ is just a header.
  const headers: Record<string, string> = Object.create(null);
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as Buffer).toString("latin1").toLowerCase();
    const value = (raw[i + 1] as Buffer).toString("latin1");
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous}, ${value}`;
  }
  return headers;
}

function describe(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code !== undefined && !message.includes(code) ? `${code} ${message}` : message;
}
