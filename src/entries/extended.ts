/**
 * NON-SPEC: the extended EventSource (headers, reconnect policy... see extended-event-source.ts)
 * over the fetch transport, relative URLs resolved against the document's base URL: `.` for
 * Deno, Bun, workers and the `default` condition, and `universal-eventsource/extended` for
 * browsers.
 */
import { documentBaseURL } from "../base-url.js";
import type { Platform } from "../event-source.js";
import { ExtendedEventSource, type ExtendedEventSourceInit } from "../extended-event-source.js";
import { createMessageEvent } from "../message-event.js";
import { optionError } from "../options.js";
import type { FetchLike } from "../transports/fetch.js";
import { userFetchTransport } from "../transports/user-fetch.js";

export interface FetchEventSourceInit extends ExtendedEventSourceInit {
  /** NON-SPEC: the fetch to use instead of the global one. */
  fetch?: FetchLike;
}

const platform = {
  // The global fetch is looked up per source, so a fetch installed (or mocked) later is used.
  transport: (init: FetchEventSourceInit) => {
    const custom = init.fetch;
    if (custom !== undefined && typeof custom !== "function") {
      throw optionError("fetch", "a function", custom);
    }
    return userFetchTransport(
      custom ?? ((url, requestInit) => globalThis.fetch(url, requestInit as RequestInit)),
    );
  },
  baseURL: documentBaseURL,
  messageEvent: createMessageEvent,
};

export class EventSource extends ExtendedEventSource {
  static override _platform = platform as Platform<never>;

  // Rest arguments keep the caller's argument count for the core's WebIDL check.
  constructor(...args: [url: string | URL, init?: FetchEventSourceInit]) {
    super(...args);
  }
}

export * from "./extended-exports.js";
