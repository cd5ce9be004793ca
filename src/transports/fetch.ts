/**
 * The fetch transport: fetch + ReadableStream, for browsers, Deno, Bun, workers, and any
 * fetch-like function a user passes. Written with `then`, not async/await, so it stays small
 * when compiled for old browsers that have fetch but not async functions.
 */
import { URL_CREDENTIALS } from "../url.js";
import type { Transport, TransportFailure } from "./transport.js";

/**
 * What the transport gives fetch [C8]/[C11]: credentials by withCredentials, cache mode
 * no-store. The other modes the spec asks for, `cors` and redirect `follow` (with fetch's limit
 * of 20), are fetch's defaults.
 */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer> | undefined;
  credentials: "include" | "same-origin";
  cache: "no-store";
  signal: AbortSignal;
}

/**
 * The part of `fetch` a user's fetch-like function must have. It is given the defaults too, as
 * the `eventsource` package gives them (user-fetch.ts).
 */
export type FetchLike = (
  url: string,
  init: FetchInit & { mode: "cors"; redirect: "follow" },
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

/** Why a fetch or a read rejected, for the error event; `fatal` when retrying cannot help. */
export type FetchFailure = (error: unknown, url: string) => TransportFailure;

/**
 * `failure` tells what a rejection means. In browsers every rejection is a network error that
 * [C15.2] retries (their messages do not tell a futile one apart); user-fetch.ts knows more.
 */
export function fetchTransport(
  fetchImpl: (url: string, init: FetchInit) => Promise<FetchResponseLike>,
  failure: FetchFailure = networkError,
): Transport {
  return (request, sink) => {
    const controller = new AbortController();
    let aborted = false;
    const failed = (error: unknown): void => {
      if (!aborted) sink.error(failure(error, request.url));
    };
    // A fetch that throws instead of rejecting (a patched or mocked global) is a network error
    // too, reported like any other: not an exception out of the constructor or a timer.
    new Promise<FetchResponseLike>((resolve) =>
      resolve(
        fetchImpl(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          credentials: request.withCredentials ? "include" : "same-origin",
          cache: "no-store",
          signal: controller.signal,
        }),
      ),
    )
      .then((response) => {
        if (aborted) return;
        sink.response(response);
        if (aborted) {
          response.body?.cancel().catch(ignore);
          return;
        }
        // A null body throws here: a network error. Browsers give every 200 response a body;
        // user-fetch.ts checks what a fetch-like function returns.
        const reader = (response.body as FetchBodyLike).getReader();
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

function networkError(error: unknown, url: string): TransportFailure {
  // The reason is for the extended class's error event: the lean builds have none.
  return {
    message: LEAN_BUILD ? "" : `network error: ${(error as Error | null)?.message ?? error}`,
    // [C15.2] fetch refuses a URL with credentials (`user:pass@`): retrying cannot help, and
    // Chromium's own EventSource fails such a source at once too. (The extended builds send
    // them as a header instead, request.ts.)
    fatal: URL_CREDENTIALS.test(url),
    cause: error,
  };
}

function ignore(): void {}
