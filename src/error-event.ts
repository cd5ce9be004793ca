/**
 * The `error` event. The spec fires a plain `Event` [R1.3]/§3.3; this one is still an `Event`
 * with type `error`, and carries NON-SPEC fields saying why (§9.2.10 urges diagnostics), so a
 * user can tell "HTTP 401" from "network error: ECONNREFUSED" without a debugger.
 */
export interface ErrorInfo {
  /** Why, for a person. */
  message: string;
  /** The HTTP status, when a response was the reason. */
  status?: number;
  /** Whether the source will try again (readyState CONNECTING) or gave up (CLOSED). */
  willReconnect: boolean;
  /** When it will try again: ms until the next attempt. */
  delay?: number;
}

export class EventSourceErrorEvent extends Event {
  /** NON-SPEC: why the error happened. */
  readonly message: string;
  /** NON-SPEC: the HTTP status, when a response was the reason. */
  readonly status: number | undefined;
  /** NON-SPEC: the HTTP status, under the name the `eventsource` package uses. */
  readonly code: number | undefined;
  /** NON-SPEC: true when the source will reconnect, false when it is closed for good. */
  readonly willReconnect: boolean;
  /** NON-SPEC: ms until the next attempt, when `willReconnect`. */
  readonly delay: number | undefined;

  constructor(info: ErrorInfo) {
    super("error");
    this.message = info.message;
    this.status = info.status;
    this.code = info.status;
    this.willReconnect = info.willReconnect;
    this.delay = info.delay;
  }
}
