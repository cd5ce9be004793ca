/**
 * Browsers (the `browser` condition of `.`): the standard EventSource alone, over the fetch
 * transport, relative URLs resolved against the document's base URL. The NON-SPEC options are
 * ignored here, as the platform's EventSource ignores them; `universal-eventsource/extended`
 * (entries/extended.ts) has them.
 */
import { documentBaseURL } from "../base-url.js";
import { EventSource as EventSourceCore, type Platform } from "../event-source.js";
import { fetchTransport } from "../transports/fetch.js";

// The global fetch is looked up per attempt, so a fetch installed (or mocked) later is used.
const transport = fetchTransport((url, init) => fetch(url, init as RequestInit));

const platform: Platform<unknown> = { transport: () => transport, baseURL: documentBaseURL };

export class EventSource extends EventSourceCore {
  static override _platform = platform as Platform<never>;
}
// WebIDL's class string: `Object.prototype.toString` gives `[object EventSource]`, not
// EventTarget's, and Chromium's DevTools names an instance EventSource, not after the bundler's
// name for this class. (The script tag does without: its size ceiling; DevTools names its
// instances right anyway.)
Object.defineProperty(EventSource.prototype, Symbol.toStringTag, {
  value: "EventSource",
  configurable: true,
});

export type { EventSourceEventMap, EventSourceInit } from "../event-source.js";
