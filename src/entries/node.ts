/**
 * Node: the undici transport by default (or the fetch transport when a `fetch` option is
 * given); no base URL, so URLs must be absolute.
 */
import type { Dispatcher } from "undici";
import {
  EventSource as EventSourceCore,
  type EventSourceInit,
  type Platform,
} from "../event-source.js";
import { createMessageEvent } from "../message-event.js";
import { type FetchLike, fetchTransport } from "../transports/fetch.js";
import { undiciTransport } from "../transports/undici.js";

export interface NodeEventSourceInit extends EventSourceInit {
  /** NON-SPEC: use this fetch (and the fetch transport) instead of undici's dispatcher API. */
  fetch?: FetchLike;
  /** NON-SPEC: the undici dispatcher for every request: a ProxyAgent, an Agent with TLS options, a pool. */
  dispatcher?: Dispatcher;
}

const platform = {
  transport: (init: NodeEventSourceInit) =>
    init.fetch !== undefined ? fetchTransport(init.fetch) : undiciTransport(init.dispatcher),
  baseURL: () => undefined,
  messageEvent: createMessageEvent,
};

export class EventSource extends EventSourceCore {
  static override _platform = platform as Platform<never>;

  // Rest arguments keep the caller's argument count for the core's WebIDL check.
  constructor(...args: [url: string | URL, init?: NodeEventSourceInit]) {
    super(...args);
  }
}

export { EventSourceErrorEvent } from "../error-event.js";
export type { EventSourceEventMap } from "../event-source.js";
