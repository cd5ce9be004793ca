/**
 * NON-SPEC: the fetch transport over a fetch that is not a browser's: a user's fetch-like
 * function (the `fetch` option) or Node's own. Such a function may have been written for the
 * `eventsource` package, may return something that is not a stream, and Node's fetch says
 * which failures are futile; the browser builds need none of this and leave the file out.
 */

import { type FetchLike, fetchTransport } from "./fetch.js";
import type { Transport, TransportFailure } from "./transport.js";

const NO_BODY = "the response has no readable body (expected a web ReadableStream)";

export function userFetchTransport(fetchImpl: FetchLike): Transport {
  return fetchTransport(
    (url, init) =>
      // The call waits a microtask, so a close() made right after the constructor means it
      // never happens: a user's fetch is not called for a source already closed (the transport
      // ignores what an aborted request does). A function that throws rejects.
      Promise.resolve()
        .then(() => {
          // (signal.throwIfAborted is too new for some browsers the extended build serves.)
          if (init.signal.aborted) throw new Error("aborted before the request started");
          return fetchImpl(url, {
            ...init,
            headers: eventsourceHeaderNames(init.headers),
            mode: "cors",
            redirect: "follow",
          });
        })
        .then((response) => {
          // A function that returned no stream will not return one next time: fail [C15.3].
          // Only a 200 response is read; any other is judged by its status alone.
          if (response.status === 200 && typeof response.body?.getReader !== "function") {
            throw new NoBodyError(NO_BODY);
          }
          return response;
        }),
    describeFailure,
  );
}

class NoBodyError extends Error {}

/**
 * The request headers as the `eventsource` package names them (`Accept`, `Last-Event-ID`), so
 * a custom fetch written for it that reads or spreads `init.headers` works unchanged.
 */
function eventsourceHeaderNames(headers: Record<string, string>): Record<string, string> {
  const named: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name] as string;
    if (name === "accept") named.Accept = value;
    else if (name === "last-event-id") named["Last-Event-ID"] = value;
    else named[name] = value;
  }
  return named;
}

/**
 * What the fetch of Node (undici), Bun and Deno says of a redirect loop, what Node's says of a
 * redirect to a non-http(s) URL, what Node's and Deno's say of a request they refuse to send (a
 * header value with a control character: browsers' fetch sends it), and what Deno says when
 * the process may not reach the host (no `--allow-net`): all futile again on every attempt.
 */
const FUTILE =
  /^(redirect count|TooManyRedirects|Fetch failed: Maximum number of redirects|URL scheme must|UND_ERR_INVALID_ARG|failed to parse header|Requires net access)/;

function describeFailure(error: unknown, url: string): TransportFailure {
  if (error instanceof NoBodyError) return { message: error.message, fatal: true };
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  const detail =
    cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  // [C15.2] fail instead of retrying what cannot succeed: a URL that is not http(s) and could
  // not be fetched (Node's fetch has no file: URLs), a redirect loop, a redirect out of
  // http(s), a request undici refuses.
  if (!/^https?:/i.test(url)) {
    return { message: `network error: cannot fetch ${url} (${detail})`, fatal: true, cause: error };
  }
  return { message: `network error: ${detail}`, fatal: FUTILE.test(detail), cause: error };
}
