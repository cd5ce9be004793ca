/**
 * The script-tag build (`dist/universal-eventsource.iife.js`, ES5): defines
 * `UniversalEventSource` always, and `EventSource` only where the browser has none. It streams
 * with fetch where the browser can (fetch, response body streams, TextDecoder), and with
 * XMLHttpRequest otherwise; `{ transport: "xhr" }`, or `UniversalEventSourceTransport = "xhr"`
 * set on the global object before a source is created, forces XHR.
 */
import { documentBaseURL } from "../base-url.js";
import { EventSource, type EventSourceInit, type Platform } from "../event-source.js";
import { installEventSource } from "../install-global.js";
import { type FetchInit, type FetchResponseLike, fetchTransport } from "../transports/fetch.js";
import { xhrTransport } from "../transports/xhr.js";

export interface ScriptEventSourceInit extends EventSourceInit {
  /** NON-SPEC: `"xhr"` or `"fetch"` instead of the automatic choice. */
  transport?: "xhr" | "fetch";
}

const scope = globalThis as unknown as {
  fetch?: (url: string, init: FetchInit) => Promise<FetchResponseLike>;
  TextDecoder?: unknown;
  AbortController?: unknown;
  Response?: { new (): unknown; prototype: object };
  UniversalEventSourceTransport?: string;
  UniversalEventSource?: unknown;
};

/**
 * Fetch with a readable response body, and what the fetch transport and parser need with it.
 * The transport reads `response.body` and never names the ReadableStream global, which every
 * browser with AbortController and a `body` on Response.prototype has anyway: it goes
 * unchecked.
 */
function canStream(): boolean {
  return (
    typeof scope.fetch === "function" &&
    typeof scope.TextDecoder === "function" &&
    typeof scope.AbortController === "function" &&
    typeof scope.Response === "function" &&
    "body" in scope.Response.prototype
  );
}

const platform = {
  transport: (init: ScriptEventSourceInit) => {
    const choice = init.transport ?? scope.UniversalEventSourceTransport;
    return choice === "fetch" || (choice !== "xhr" && canStream())
      ? fetchTransport((url, requestInit) =>
          (scope.fetch as NonNullable<typeof scope.fetch>)(url, requestInit),
        )
      : xhrTransport();
  },
  baseURL: documentBaseURL,
};

// This bundle has a copy of the core class of its own: it gets the platform directly, and no
// subclass is needed (so none whose statics IE10, lacking __proto__, could not inherit).
EventSource._platform = platform as Platform<never>;

scope.UniversalEventSource = EventSource;
installEventSource(EventSource);
