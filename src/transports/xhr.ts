/**
 * The XMLHttpRequest transport, for browsers without fetch streaming (and the IIFE build's
 * fallback). ES5 at run time: no promises, no streams, no TextDecoder. The browser decodes the
 * body (forced to UTF-8), and `responseText` grows as bytes arrive; each progress event hands
 * the parser only the part it has not seen, so every character is parsed once.
 *
 * `responseText` keeps the whole body, so a long stream would hold it all in memory. Past
 * `RECYCLE_AFTER` characters, at the first point where everything received ends on an event
 * boundary (a blank line), the transport asks the EventSource to `restart()`: a fresh request
 * that carries the last event ID, so the server resumes after the last dispatched event and
 * nothing is lost or seen twice. The EventSource only agrees when there is an ID to resume from,
 * set by or after the last event; otherwise the request goes on growing, as a native
 * EventSource's would not but as it must.
 */
import type { Transport } from "./transport.js";

/** About 2 MB of UTF-16 text per request before recycling. */
export const RECYCLE_AFTER = 1 << 20;

/** The part of XMLHttpRequest used here (a test can pass a fake). */
export interface XHRLike {
  readyState: number;
  status: number;
  responseText: string;
  responseURL?: string;
  withCredentials: boolean;
  onreadystatechange: ((event: never) => unknown) | null;
  onprogress: ((event: never) => unknown) | null;
  open(method: string, url: string, async: boolean): void;
  setRequestHeader(name: string, value: string): void;
  overrideMimeType?(type: string): void;
  getResponseHeader(name: string): string | null;
  send(body?: string | Uint8Array<ArrayBuffer> | null): void;
  abort(): void;
}

/**
 * `createXHR` (a test's fake) and `recycleAfter` default to XMLHttpRequest and
 * {@link RECYCLE_AFTER}. Optional parameters rather than default values: the script tag passes
 * neither, and the minifier then folds both defaults into the code, which it does not do for
 * default parameters once they are lowered to ES5.
 */
export function xhrTransport(createXHR?: () => XHRLike, recycleAfter?: number): Transport {
  const limit = recycleAfter ?? RECYCLE_AFTER;
  return (request, sink) => {
    const xhr = createXHR ? createXHR() : new XMLHttpRequest();
    // Set once the sink has heard the end, an error, or the abort: it hears nothing more.
    let done = false;
    let responded = false;
    let offset = 0;

    // One handler for every event: readystatechange tells HEADERS_RECEIVED (2), LOADING (3)
    // and DONE (4), and in most browsers each new piece of the body too; progress events tell
    // those in browsers that fire readystatechange only once for LOADING.
    const update = (): void => {
      const state = xhr.readyState;
      if (done || state < 2) return;
      // Status 0 is a network error (or a CORS refusal, or an abort not ours), known at DONE,
      // before or during the body.
      if (xhr.status === 0) {
        if (state === 4) {
          done = true;
          // The reason is for the extended class's error event: the lean builds have none.
          sink.error({ message: LEAN_BUILD ? "" : "network error" });
        }
        return;
      }
      // Report the response once its status and headers are known (2, or 3 or 4 in browsers
      // that skip 2).
      if (!responded) {
        responded = true;
        sink.response({
          status: xhr.status,
          // responseURL is the URL after redirects; browsers before 2016 lack it.
          url: xhr.responseURL,
          headers: { get: (name) => xhr.getResponseHeader(name) },
        });
      }
      // Then feed whatever text is new (the EventSource may have closed or failed on the
      // response, aborting this).
      const text = state > 2 ? xhr.responseText : "";
      if (!done && text.length > offset) {
        // [I1] the browser's decoding already dropped one leading BOM; the parser drops one too.
        // Putting one back keeps the parser the single place that strips it (WPT format-bom-2).
        const fresh = offset === 0 ? `\uFEFF${text}` : text.slice(offset);
        offset = text.length;
        sink.chunk(fresh);
        // Only while the body is still coming: at DONE the server has ended the stream, which
        // the EventSource must hear as such: an error event [R1], then the reconnection time [R2].
        if (!done && state < 4 && offset > limit && endsEvent(text) && sink.restart()) abort();
      }
      if (!done && state === 4) {
        done = true;
        sink.end();
      }
    };

    const abort = (): void => {
      done = true;
      xhr.abort();
    };

    try {
      xhr.open(request.method, request.url, true);
      // [C7]/[C8] credentials cross-origin only when asked.
      xhr.withCredentials = request.withCredentials;
      const headers = request.headers;
      // forEach rather than for...of: smaller once lowered to ES5.
      Object.keys(headers).forEach((name) => {
        xhr.setRequestHeader(name, headers[name] as string);
      });
      // [I1] the stream is UTF-8 whatever the charset parameter says.
      if (xhr.overrideMimeType) xhr.overrideMimeType("text/event-stream; charset=utf-8");
      xhr.send(request.body ?? null);
    } catch (error) {
      // A bad method or header value throws synchronously: report it as an event, later (an
      // XHR that was never sent fires no more events).
      setTimeout(() => {
        if (done) return;
        sink.error(
          LEAN_BUILD
            ? { message: "", fatal: true }
            : { message: `request failed: ${String(error)}`, fatal: true, cause: error },
        );
      });
    }
    // Chromium reports a network error (an ftp: URL) from within send(), and nothing may reach
    // the EventSource during its constructor [C16]: the handlers are set once send() has
    // returned, and a task tells what happened meanwhile.
    xhr.onreadystatechange = xhr.onprogress = update;
    setTimeout(update);
    return abort;
  };
}

/**
 * Whether `text` ends with a blank line: two line ends in a row, reading back, CRLF counting as
 * one [I2]. A final CR ends its line even if an LF follows it on the wire.
 */
function endsEvent(text: string): boolean {
  let end = text.length;
  for (let lineEnds = 0; lineEnds < 2; lineEnds++) {
    const last = text.charCodeAt(end - 1);
    if (last === 10) end -= text.charCodeAt(end - 2) === 13 ? 2 : 1;
    else if (last === 13) end -= 1;
    else return false;
  }
  return true;
}
