/**
 * NON-SPEC: the EventSource with the opt-in options for clients of real SSE APIs (headers,
 * method and body, the resume query parameter, reconnect policy, heartbeat timeout,
 * maxEventSize, lastEventId, signal, browser lifecycle) and async iteration. It overrides the
 * standard core's hooks; with no option given, each hook does exactly what the core's does.
 */
import { closeOnAbort } from "./abort-signal.js";
import { watchBrowserLifecycle } from "./browser-lifecycle.js";
import type { StringMessageEvent } from "./dom-types.js";
import { EventSourceErrorEvent } from "./error-event.js";
import {
  EventSource,
  type EventSourceEventMap,
  type EventSourceInit,
  type ParserSetup,
} from "./event-source.js";
import { createWatchdog, type Watchdog } from "./heartbeat.js";
import { messages } from "./iterate.js";
import { validateOptions, wellFormed } from "./options.js";
import {
  createReconnectPolicy,
  parseRetryAfter,
  type ReconnectPolicy,
} from "./reconnect-policy.js";
import { buildRequest } from "./request.js";
import type {
  TransportFailure,
  TransportRequest,
  TransportResponse,
  TransportSink,
} from "./transports/transport.js";

/**
 * The standard init dictionary plus the opt-in extensions. Every option but `withCredentials`
 * is NON-SPEC; with none of them given, behaviour is exactly the standard's.
 */
export interface ExtendedEventSourceInit extends EventSourceInit {
  /**
   * NON-SPEC: extra request headers, or a function (sync or async) returning them, called before
   * every connection attempt so a token can be refreshed between reconnections.
   */
  headers?: HeadersSource;
  /** NON-SPEC: the request method, e.g. `POST` for APIs that stream the answer to a request. */
  method?: string;
  /** NON-SPEC: the request body, sent with every attempt. */
  body?: string | Uint8Array<ArrayBuffer>;
  /** NON-SPEC: the last event ID to resume from on the first connection. */
  lastEventId?: string;
  /**
   * NON-SPEC: send the last event ID as this query parameter (e.g. `lastEventID` for Mercure)
   * instead of the `Last-Event-ID` header, which spares a browser the CORS preflight the
   * header causes.
   */
  lastEventIdQueryParameter?: string;
  /** NON-SPEC: how to reconnect. Default: the spec's fixed reconnection time, forever. */
  reconnect?: ReconnectOptions;
  /** NON-SPEC: reestablish the connection when no byte arrives for this many ms. Default: off. */
  heartbeatTimeout?: number;
  /** NON-SPEC: fail the connection when one line or one event's data exceeds this many characters. */
  maxEventSize?: number;
  /** NON-SPEC: closes the source when aborted. */
  signal?: AbortSignal;
  /**
   * NON-SPEC, browsers: reconnect at once, skipping the wait, when the browser reports it is
   * back `online` or restores the page from the back/forward cache. Default: off.
   */
  browserLifecycle?: boolean;
}

export interface ReconnectOptions {
  /** `fixed` (the spec's: the reconnection time) or `exponential` (full jitter, base = the reconnection time). */
  backoff?: "fixed" | "exponential";
  /** Cap on the delay, in ms (also caps a server's `retry:`). Default: 60000 for exponential. */
  maxDelay?: number;
  /**
   * Consecutive failed attempts after which the source closes (an open connection resets the
   * count). Default: unlimited.
   */
  maxAttempts?: number;
  /**
   * Failures the spec calls fatal that should reconnect instead: a list of HTTP statuses (e.g.
   * `[502, 503, 429]`), or a function deciding per failure (it also sees failures without a
   * status, such as a headers function that threw). A `Retry-After` header sets the delay.
   */
  retryOn?: number[] | ((failure: { status?: number; message: string }) => boolean);
}

export interface ExtendedEventSourceEventMap extends EventSourceEventMap {
  /**
   * The class fires `EventSourceErrorEvent`s, which say why (error-event.ts). Their fields are
   * optional here: anyone may dispatch an `error` event, and the class stays assignable to
   * lib.dom's, whose `onerror` takes any `Event`.
   */
  error: Event & Partial<Omit<EventSourceErrorEvent, keyof Event>>;
}

export type HeadersInitLike = Record<string, string> | Headers | [string, string][];
export type HeadersSource = HeadersInitLike | (() => HeadersInitLike | Promise<HeadersInitLike>);

export class ExtendedEventSource extends EventSource<ExtendedEventSourceEventMap> {
  /** NON-SPEC: `for await (const event of source)` yields its `message` events; see `messages()`. */
  declare [Symbol.asyncIterator]: () => AsyncIterableIterator<StringMessageEvent>;

  // Set by _setup, which runs inside the core's constructor: `declare`, so no field
  // initializer runs after it and wipes them.
  declare private _init: ExtendedEventSourceInit;
  /** The `reconnect` option's policy; undefined keeps the spec's fixed delay. */
  declare private _policy: ReconnectPolicy | undefined;
  /** The `heartbeatTimeout` watchdog; undefined when the option is off. */
  declare private _watchdog: Watchdog | undefined;
  /** What runs once when the source closes (signal, lifecycle, iterators). */
  declare private _closeHooks: (() => void)[] | undefined;

  // Rest arguments keep the caller's argument count for the core's WebIDL check.
  constructor(...args: [url: string | URL, init?: ExtendedEventSourceInit]) {
    super(...args);
  }

  /**
   * @internal Run `hook` once when the source closes for good (close(), the signal, a failed
   * connection); returns the function that unregisters it.
   */
  _whenClosed(hook: () => void): () => void {
    if (this._closeHooks === undefined) this._closeHooks = [];
    const hooks = this._closeHooks;
    hooks.push(hook);
    return () => {
      const index = hooks.indexOf(hook);
      if (index !== -1) hooks.splice(index, 1);
    };
  }

  protected override _setup(options: ExtendedEventSourceInit): ParserSetup {
    // A bad extension option is a TypeError naming it, now rather than later.
    validateOptions(options);
    this._init = options;
    if (options.reconnect !== undefined) this._policy = createReconnectPolicy(options.reconnect);
    const heartbeat = options.heartbeatTimeout;
    if (heartbeat !== undefined) {
      this._watchdog = createWatchdog(heartbeat, () =>
        this._drop({ message: `no data for ${heartbeat} ms (heartbeatTimeout)` }),
      );
    }
    const parser: ParserSetup = {
      maxEventSize: options.maxEventSize,
      lastEventId: options.lastEventId === undefined ? undefined : wellFormed(options.lastEventId),
      // Only the size limit needs the parser's reports: without it, none are built.
      onError:
        options.maxEventSize === undefined
          ? undefined
          : (error) => {
              if (error.type === "max-event-size") this._fail({ message: error.message });
            },
    };
    const signal = options.signal;
    if (signal !== undefined) {
      // An already aborted signal closes the source at once: no request, no event.
      if (signal.aborted) {
        this._readyState = EventSource.CLOSED;
        return parser;
      }
      this._whenClosed(closeOnAbort(signal, () => this.close()));
    }
    if (options.browserLifecycle === true) {
      this._whenClosed(watchBrowserLifecycle(() => this._wake()));
    }
    return parser;
  }

  /** [C15] / [R5.2]–[R5.4] with the options' request: headers (maybe async), method, body. */
  protected override _connect(): void {
    const attempt = ++this._attempt;
    let request: TransportRequest | Promise<TransportRequest>;
    try {
      request = buildRequest(
        this._init,
        this._requestURL,
        this.url,
        this.withCredentials,
        this._parser.lastEventId,
      );
    } catch (error) {
      // A user's headers function threw; nothing was sent.
      setTimeout(() => {
        if (attempt === this._attempt) this._headersFailed(error);
      }, 0);
      return;
    }
    if ("then" in request) {
      // The attempt waits for an async headers function; close() meanwhile bumps the
      // attempt, so nothing is sent.
      request.then(
        (ready) => {
          if (attempt === this._attempt) this._send(attempt, ready);
        },
        (error: unknown) => {
          if (attempt === this._attempt) this._headersFailed(error);
        },
      );
      return;
    }
    // The headers function may have closed the source (close() bumps the attempt): then
    // nothing is sent, as for an async one.
    if (attempt === this._attempt) this._send(attempt, request);
  }

  /**
   * The headers function failed. The connection fails (a `reconnect.retryOn` function may retry
   * instead): a refresh that cannot work should not be retried forever.
   */
  private _headersFailed(error: unknown): void {
    this._fail({
      message: `headers function failed: ${error instanceof Error ? error.message : String(error)}`,
    });
  }

  /** heartbeatTimeout sees the bytes through a wrapped sink; without it, the sink is as is. */
  protected override _watch(sink: TransportSink): TransportSink {
    const watchdog = this._watchdog;
    if (watchdog === undefined) return sink;
    watchdog.start();
    return watchdog.watch(sink);
  }

  /** An open connection ends a run of failed attempts (reconnect.maxAttempts). */
  protected override _opened(): void {
    this._policy?.opened();
  }

  /** [R3] the reconnect option's wait, or giving up after maxAttempts. */
  protected override _delay(
    failure: TransportFailure,
    status?: number,
    retryAfter?: number,
  ): number | undefined {
    const delay = this._reconnectionTime;
    const policy = this._policy;
    if (policy === undefined) return delay;
    const next = policy.next(delay as number, retryAfter);
    if (next === undefined) {
      // Closing for good: retryOn must not turn this into one more attempt.
      this._policy = undefined;
      const message = `${failure.message}; gave up after ${policy.failures} failed attempts (reconnect.maxAttempts)`;
      this._fail({ message }, status);
    }
    return next;
  }

  /** reconnect.retryOn may make a failure the spec calls fatal reestablish instead. */
  protected override _retries(
    failure: TransportFailure,
    status?: number,
    response?: TransportResponse,
  ): boolean {
    // A retryOn function that called close() has ended it all: close() fires no event (§8).
    if (!this._policy?.retries({ message: failure.message, status }))
      return this._readyState === EventSource.CLOSED;
    const retryAfter = response && parseRetryAfter(response.headers.get("retry-after"));
    this._drop(failure, status, retryAfter);
    return true;
  }

  /** The error event with the NON-SPEC fields saying why (error-event.ts). */
  protected override _errorEvent(
    failure: TransportFailure,
    willReconnect: boolean,
    status?: number,
    delay?: number,
  ): Event {
    return new EventSourceErrorEvent({ message: failure.message, willReconnect, status, delay });
  }

  protected override _stop(): void {
    super._stop();
    this._watchdog?.stop();
  }

  protected override _closed(): void {
    const hooks = this._closeHooks;
    if (hooks === undefined) return;
    this._closeHooks = undefined;
    // A copy: a hook may unregister itself (an iterator's finish), which must not skip the next.
    for (const hook of hooks.slice()) hook();
  }

  /**
   * End the current attempt and reestablish (heartbeatTimeout, or a failure that
   * reconnect.retryOn retries).
   */
  private _drop(failure: TransportFailure, status?: number, retryAfter?: number): void {
    this._attempt++;
    this._stop();
    this._reestablish(failure, status, retryAfter);
  }

  /** browserLifecycle: a source waiting to reconnect reconnects now. */
  private _wake(): void {
    if (this._readyState !== EventSource.CONNECTING || this._timer === undefined) return;
    clearTimeout(this._timer);
    this._timer = undefined;
    this._connect();
  }
}

// Installed only where the runtime has the symbols.
if (typeof Symbol === "function") {
  // WebIDL's class string, as in entries/browser.ts.
  Object.defineProperty(ExtendedEventSource.prototype, Symbol.toStringTag, {
    value: "EventSource",
    configurable: true,
  });
  if (Symbol.asyncIterator !== undefined) {
    Object.defineProperty(ExtendedEventSource.prototype, Symbol.asyncIterator, {
      value: function (this: ExtendedEventSource) {
        return messages(this);
      },
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
  // What libraries written for the `eventsource` package check before passing `fetch`.
  Object.defineProperty(ExtendedEventSource, Symbol.for("eventsource.supports-fetch-override"), {
    value: true,
    writable: false,
    enumerable: false,
    configurable: false,
  });
}
