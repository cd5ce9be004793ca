/**
 * An EventSource whose transport is a test double: each attempt is recorded with its request
 * and sink, so a test plays the server by hand (and fake timers drive the reconnection waits).
 */
import { EventSource, type EventSourceInit, type Platform } from "../../src/event-source.js";
import type { TransportRequest, TransportSink } from "../../src/transports/transport.js";

export interface FakeAttempt {
  request: TransportRequest;
  sink: TransportSink;
  aborted: boolean;
  /** Answer 200 text/event-stream from `url` (default: the request URL). */
  open(url?: string): void;
}

export function fakeEventSource(
  url: string,
  init?: EventSourceInit,
  baseURL?: string,
): { source: EventSource; attempts: FakeAttempt[] } {
  const attempts: FakeAttempt[] = [];
  const platform: Platform<EventSourceInit> = {
    baseURL: () => baseURL,
    transport: () => (request, sink) => {
      const attempt: FakeAttempt = {
        request,
        sink,
        aborted: false,
        open: (finalURL = request.url) =>
          sink.response({
            status: 200,
            url: finalURL,
            headers: new Headers({ "content-type": "text/event-stream" }),
          }),
      };
      attempts.push(attempt);
      return () => {
        attempt.aborted = true;
      };
    },
  };
  class FakeEventSource extends EventSource {
    static override _platform = platform as Platform<never>;
  }
  const source = new FakeEventSource(url, init);
  return { source, attempts };
}
