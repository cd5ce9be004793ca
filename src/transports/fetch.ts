/**
 * The fetch transport: fetch + ReadableStream, for browsers, Deno, Bun, workers, and any
 * fetch-like function a user passes. Written with `then`, not async/await, so it stays small
 * when compiled for old browsers that have fetch but not async functions.
 */
import type { Transport, TransportFailure } from "./transport.js";

/** The part of `fetch` this transport uses; a user's fetch-like function needs no more. */
export type FetchLike = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string | Uint8Array<ArrayBuffer> | undefined;
    mode: "cors";
    credentials: "include" | "same-origin";
    cache: "no-store";
    redirect: "follow";
    signal: AbortSignal;
  },
) => Promise<FetchResponseLike>;

export interface FetchResponseLike {
  status: number;
  /** The final URL; the request's when empty or missing. */
  url?: string;
  headers: { get(name: string): string | null };
  body: FetchBodyLike | null;
}

/**
 * The part of a web `ReadableStream` the transport reads, structurally: any realm's stream
 * fits (undici's `fetch` from npm returns its own `ReadableStream` class, not the global one).
 */
export interface FetchBodyLike {
  getReader(): {
    read(): Promise<{ done: false; value: Uint8Array } | { done: true; value?: Uint8Array }>;
    cancel(): Promise<void>;
  };
  cancel(): Promise<void>;
}

export function fetchTransport(fetchImpl: FetchLike): Transport {
  return (request, sink) => {
    const controller = new AbortController();
    let aborted = false;
    const failed = (error: unknown): void => {
      if (!aborted) sink.error(networkError(error, request.url));
    };
    // [C8]/[C11] mode cors, credentials by withCredentials, cache no-store; redirects followed
    // with fetch's limit of 20, and the final response judged by the caller.
    // The request starts a microtask later, so a close() made right after the constructor
    // means it never starts: a user's fetch is not called for a source already closed.
    Promise.resolve()
      .then(() =>
        aborted
          ? undefined
          : fetchImpl(request.url, {
              method: request.method,
              headers: fetchHeaders(request.headers),
              body: request.body,
              mode: "cors",
              credentials: request.withCredentials ? "include" : "same-origin",
              cache: "no-store",
              redirect: "follow",
              signal: controller.signal,
            }),
      )
      .then((response) => {
        if (aborted || response === undefined) return;
        const headers = response.headers;
        sink.response({
          status: response.status,
          contentType: headers.get("content-type"),
          url: response.url || request.url,
          header: (name) => headers.get(name),
        });
        if (aborted) {
          response.body?.cancel().catch(ignore);
          return;
        }
        const body = response.body;
        if (body === null || typeof body?.getReader !== "function") {
          // A fetch-like function that returned no stream will not return one next time.
          sink.error({
            message: "the response has no readable body (expected a web ReadableStream)",
            fatal: true,
          });
          return;
        }
        const reader = body.getReader();
        // One function for every read, not a closure made per chunk.
        const onRead = (
          result: { done: false; value: Uint8Array } | { done: true; value?: Uint8Array },
        ): Promise<void> | undefined => {
          if (aborted) {
            reader.cancel().catch(ignore);
            return;
          }
          if (result.done) {
            sink.end();
            return;
          }
          sink.chunk(result.value);
          return reader.read().then(onRead);
        };
        return reader.read().then(onRead);
      })
      .catch(failed);

    return () => {
      aborted = true;
      controller.abort();
    };
  };
}

/**
 * The request headers as the `eventsource` package names them (`Accept`, `Last-Event-ID`), so
 * a custom fetch written for it that reads or spreads `init.headers` works unchanged.
 */
function fetchHeaders(headers: Record<string, string>): Record<string, string> {
  const named: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name] as string;
    if (name === "accept") named.Accept = value;
    else if (name === "last-event-id") named["Last-Event-ID"] = value;
    else named[name] = value;
  }
  return named;
}

/** What Node's fetch (undici) says of a redirect loop and of a redirect to a non-http(s) URL. */
const FUTILE_REDIRECT = /^(redirect count exceeded|URL scheme must be a HTTP\(S\) scheme)$/;

function networkError(error: unknown, url: string): TransportFailure {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  const detail =
    cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  // [C15.2] fail instead of retrying what cannot succeed: a URL that is not http(s) and could
  // not be fetched (Node's fetch has no file: URLs), a redirect loop, a redirect out of
  // http(s). Browsers' messages do not tell those apart: there, the spec's retries stand.
  if (!/^https?:/i.test(url)) {
    return { message: `network error: cannot fetch ${url} (${detail})`, fatal: true, cause: error };
  }
  const fatal = FUTILE_REDIRECT.test(cause?.message ?? "");
  return { message: `network error: ${detail}`, fatal, cause: error };
}

function ignore(): void {}
