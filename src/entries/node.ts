/**
 * Node: the undici transport by default (or the fetch transport when a `fetch` option is
 * given); no base URL, so URLs must be absolute.
 */
import type { Dispatcher } from "undici";
import type { Platform } from "../event-source.js";
import { ExtendedEventSource, type ExtendedEventSourceInit } from "../extended-event-source.js";
import { createMessageEvent } from "../message-event.js";
import { optionError } from "../options.js";
import { createNodeParser } from "../parser-node.js";
import type { FetchLike } from "../transports/fetch.js";
import { undiciTransport } from "../transports/undici.js";
import { userFetchTransport } from "../transports/user-fetch.js";

export interface NodeEventSourceInit extends ExtendedEventSourceInit {
  /** NON-SPEC: use this fetch (and the fetch transport) instead of undici's dispatcher API. */
  fetch?: FetchLike;
  /** NON-SPEC: the undici dispatcher for every request: a ProxyAgent, an Agent with TLS options, a pool. */
  dispatcher?: Dispatcher;
}

const platform = {
  transport: (init: NodeEventSourceInit) => {
    const { fetch, dispatcher } = init;
    if (fetch !== undefined) {
      if (typeof fetch !== "function") throw optionError("fetch", "a function", fetch);
      // NON-SPEC: a dispatcher given next to a fetch would be silently unused.
      if (dispatcher !== undefined) {
        throw optionError(
          "dispatcher",
          "left out when fetch is given (pass it to your fetch)",
          dispatcher,
        );
      }
      return userFetchTransport(fetch);
    }
    if (
      dispatcher !== undefined &&
      typeof (dispatcher as Partial<Dispatcher>).dispatch !== "function"
    ) {
      throw optionError(
        "dispatcher",
        "an undici Dispatcher (Agent, ProxyAgent, Pool...)",
        dispatcher,
      );
    }
    return undiciTransport(dispatcher);
  },
  baseURL: () => undefined,
  messageEvent: createMessageEvent,
  parser: createNodeParser,
};

/**
 * The fetch transport with the global `fetch`, looked up at every attempt: for code whose
 * requests a test intercepts by replacing `fetch` (msw's `setupServer`, spies).
 */
const fetchPlatform = {
  transport: (init: NodeEventSourceInit) => {
    if (init.fetch !== undefined) return platform.transport(init);
    return userFetchTransport((url, requestInit) =>
      globalThis.fetch(url, requestInit as RequestInit),
    );
  },
  baseURL: () => undefined,
  messageEvent: createMessageEvent,
  parser: createNodeParser,
};

export class EventSource extends ExtendedEventSource {
  static override _platform = platform as Platform<never>;

  // Rest arguments keep the caller's argument count for the core's WebIDL check.
  constructor(...args: [url: string | URL, init?: NodeEventSourceInit]) {
    super(...args);
  }
}

/**
 * NON-SPEC: the same EventSource over the global `fetch` instead of undici's dispatcher, so
 * msw (which intercepts `fetch`, not undici) can mock its streams: in a test setup file,
 * `globalThis.EventSource = FetchEventSource`.
 */
export class FetchEventSource extends ExtendedEventSource {
  static override _platform = fetchPlatform as Platform<never>;

  constructor(...args: [url: string | URL, init?: NodeEventSourceInit]) {
    super(...args);
  }
}

export * from "./extended-exports.js";
