/**
 * The EventSource: the WHATWG processing model (§9.2.2–§9.2.4 of HTML; the digest's §1–§8) over
 * any transport. It owns readyState, the reconnection time, the last event ID string and
 * dispatch; which transport it drives is the entry point's choice.
 */
import { closeOnAbort } from "./abort-signal.js";
import { watchBrowserLifecycle } from "./browser-lifecycle.js";
import { isEventStreamType } from "./content-type.js";
import type {
  AddEventListenerOptions,
  EventListenerOptions,
  EventListenerOrEventListenerObject,
  StringMessageEvent,
} from "./dom-types.js";
import { createErrorEvent, type ErrorInfo } from "./error-event.js";
import { createWatchdog, type Watchdog } from "./heartbeat.js";
import { messages } from "./iterate.js";
import { validateOptions } from "./options.js";
import { createParser, type EventSourceMessage, type EventStreamParser } from "./parser.js";
import {
  createReconnectPolicy,
  parseRetryAfter,
  type ReconnectPolicy,
} from "./reconnect-policy.js";
import { buildRequest } from "./request.js";
import type {
  Transport,
  TransportFailure,
  TransportRequest,
  TransportResponse,
  TransportSink,
} from "./transports/transport.js";
import { originOf, resolveURL } from "./url.js";

/**
 * The standard init dictionary, plus the opt-in extensions. Every option but `withCredentials`
 * is NON-SPEC; with none of them given, behaviour is exactly the standard's.
 */
export interface EventSourceInit {
  /** Send credentials (cookies, HTTP auth) cross-origin [C7]. */
  withCredentials?: boolean;
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

export type HeadersInitLike = Record<string, string> | Headers | [string, string][];
export type HeadersSource = HeadersInitLike | (() => HeadersInitLike | Promise<HeadersInitLike>);

/** What an entry point supplies: how to reach the network and where relative URLs start. */
export interface Platform<Init> {
  transport(init: Init): Transport;
  baseURL(): string | undefined;
  /** [D8] makes the `MessageEvent`s (default: the global constructor), where that is slow. */
  messageEvent?(
    type: string,
    data: string,
    origin: string,
    lastEventId: string,
  ): StringMessageEvent;
}

export interface EventSourceEventMap {
  open: Event;
  error: Event;
  message: StringMessageEvent;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;
type ReadyState = typeof CONNECTING | typeof OPEN | typeof CLOSED;

/** Chromium's and undici's default reconnection time (DESIGN "Decisions"). */
const DEFAULT_RECONNECTION_TIME = 3000;
/** Timers fire at once past 2^31-1 ms: clamp the `retry:` value (§5). */
const MAX_TIMER_DELAY = 2147483647;

/**
 * `this` inside handlers and listeners: the public surface only. A structural type keeps the
 * class assignable to the platform's `typeof EventSource`, whose handlers take its own type.
 */
export interface EventSourceTarget extends EventTarget {
  readonly url: string;
  readonly withCredentials: boolean;
  readonly readyState: number;
  close(): void;
}

type Handler = ((this: EventSourceTarget, event: Event) => unknown) | null;
type HandlerName = "open" | "message" | "error";

export class EventSource extends EventTarget {
  declare readonly CONNECTING: 0;
  declare readonly OPEN: 1;
  declare readonly CLOSED: 2;
  declare static readonly CONNECTING: 0;
  declare static readonly OPEN: 1;
  declare static readonly CLOSED: 2;
  /** NON-SPEC: `for await (const event of source)` yields its `message` events; see `messages()`. */
  declare [Symbol.asyncIterator]: () => AsyncIterableIterator<StringMessageEvent>;

  private _url: string;
  private _withCredentials: boolean;
  private _readyState: ReadyState = CONNECTING;
  private _init: EventSourceInit;
  private _transport: Transport;
  /** Where the next attempt goes: the final URL of the last redirect (DESIGN "Decisions"). */
  private _requestURL: string;
  private _origin = "null";
  private _reconnectionTime = DEFAULT_RECONNECTION_TIME;
  private _parser: EventStreamParser;
  /** Bumped by every new attempt and by close(): callbacks of an older attempt are ignored. */
  private _attempt = 0;
  private _abort: (() => void) | undefined;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _handlers: Partial<Record<HandlerName, { fn: Handler }>> = {};
  private _messageEvent: NonNullable<Platform<never>["messageEvent"]>;
  /** NON-SPEC: the `reconnect` option's policy; undefined keeps the spec's fixed delay. */
  private _policy: ReconnectPolicy | undefined;
  /** NON-SPEC: the `heartbeatTimeout` watchdog; undefined when the option is off. */
  private _watchdog: Watchdog | undefined;
  /** NON-SPEC: what runs once when the source closes (signal, lifecycle, iterators). */
  private _closeHooks: (() => void)[] | undefined;

  /**
   * @internal How this class reaches the network: each entry point's subclass sets it, so
   * the constructor keeps the platform's signature and argument count.
   */
  static _platform: Platform<never> | undefined;

  constructor(url: string | URL, init?: EventSourceInit) {
    super();
    // WebIDL: the url argument is required, even for callers that skip the type check.
    // biome-ignore lint/complexity/noArguments: only `arguments` can tell a missing argument.
    if (arguments.length === 0) {
      throw new TypeError(
        "Failed to construct 'EventSource': 1 argument required, but only 0 present.",
      );
    }
    const platform = (this.constructor as { _platform?: Platform<EventSourceInit> })._platform;
    if (platform === undefined) {
      throw new TypeError(
        "Import EventSource from 'universal-eventsource', not from its internals.",
      );
    }
    // WebIDL argument conversion: the URL to a string (a Symbol cannot be one: TypeError), the
    // init to a dictionary (undefined and null are empty; a primitive is a TypeError).
    const href = `${url}`;
    const initType = typeof init;
    if (init !== undefined && init !== null && initType !== "object" && initType !== "function") {
      throw new TypeError(
        "Failed to construct 'EventSource': The provided value is not of type 'EventSourceInit'.",
      );
    }
    const options = init ?? {};
    // [C2]–[C5] parse against the base URL; [C4] SyntaxError before any request.
    const parsed = resolveURL(href, platform.baseURL());
    this._url = parsed.href;
    this._requestURL = parsed.href;
    // NON-SPEC: a bad extension option is a TypeError naming it, now rather than later.
    if (init !== undefined) validateOptions(options);
    // [C6]/[C7]
    this._withCredentials = Boolean(options.withCredentials);
    this._init = options;
    this._transport = platform.transport(options);
    this._messageEvent = platform.messageEvent ?? nativeMessageEvent;

    this._parser = createParser(
      {
        onEvent: (message) => this._dispatchMessage(message),
        onRetry: (time) => {
          // §5 `retry:` takes effect when read; clamp what a timer cannot take.
          this._reconnectionTime = Math.min(time, MAX_TIMER_DELAY);
        },
        onError: (error) => {
          if (error.type === "max-event-size") this._fail({ message: error.message });
        },
      },
      { maxEventSize: options.maxEventSize, lastEventId: options.lastEventId },
    );
    if (options.reconnect !== undefined) this._policy = createReconnectPolicy(options.reconnect);
    const heartbeat = options.heartbeatTimeout;
    if (heartbeat !== undefined) {
      this._watchdog = createWatchdog(heartbeat, () =>
        this._drop({ message: `no data for ${heartbeat} ms (heartbeatTimeout)` }),
      );
    }
    const signal = options.signal;
    if (signal !== undefined) {
      // NON-SPEC: an already aborted signal closes the source at once: no request, no event.
      if (signal.aborted) {
        this._readyState = CLOSED;
        return;
      }
      this._whenClosed(closeOnAbort(signal, () => this.close()));
    }
    if (options.browserLifecycle === true) {
      this._whenClosed(watchBrowserLifecycle(() => this._wake()));
    }
    // [C15] fetch. Nothing fires synchronously [C16]: transports report asynchronously.
    this._connect();
  }

  get url(): string {
    return this._url;
  }

  get withCredentials(): boolean {
    return this._withCredentials;
  }

  get readyState(): number {
    return this._readyState;
  }

  get onopen(): Handler {
    return this._getHandler("open");
  }
  set onopen(value: Handler) {
    this._setHandler("open", value);
  }
  get onmessage(): ((this: EventSourceTarget, event: StringMessageEvent) => unknown) | null {
    return this._getHandler("message");
  }
  set onmessage(value: ((this: EventSourceTarget, event: StringMessageEvent) => unknown) | null) {
    this._setHandler("message", value as Handler);
  }
  get onerror(): Handler {
    return this._getHandler("error");
  }
  set onerror(value: Handler) {
    this._setHandler("error", value);
  }

  override addEventListener<K extends keyof EventSourceEventMap>(
    type: K,
    listener: (this: EventSourceTarget, event: EventSourceEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: (this: EventSourceTarget, event: StringMessageEvent) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null | ((event: never) => unknown),
    options?: boolean | AddEventListenerOptions,
  ): void {
    super.addEventListener(type, listener as EventListenerOrEventListenerObject | null, options);
  }

  override removeEventListener<K extends keyof EventSourceEventMap>(
    type: K,
    listener: (this: EventSourceTarget, event: EventSourceEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: (this: EventSourceTarget, event: StringMessageEvent) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null | ((event: never) => unknown),
    options?: boolean | EventListenerOptions,
  ): void {
    super.removeEventListener(type, listener as EventListenerOrEventListenerObject | null, options);
  }

  /** §8: abort the request, cancel a pending reconnection, CLOSED; no event. Idempotent. */
  close(): void {
    this._readyState = CLOSED;
    this._attempt++;
    this._stop();
    this._runCloseHooks();
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

  // --- event handler attributes (HTML semantics) ---

  private _getHandler(name: HandlerName): Handler {
    return this._handlers[name]?.fn ?? null;
  }

  /**
   * The first non-null value registers one listener at that position; reassigning keeps the
   * position; null (or any non-object) removes it.
   */
  private _setHandler(name: HandlerName, value: Handler): void {
    const slot = this._handlers[name];
    const fn =
      typeof value === "function" || (typeof value === "object" && value !== null) ? value : null;
    if (fn === null) {
      if (slot !== undefined) {
        this._handlers[name] = undefined;
        super.removeEventListener(name, slot as unknown as EventListenerObject);
      }
      return;
    }
    if (slot !== undefined) {
      slot.fn = fn;
      return;
    }
    // The slot object itself is the listener: handleEvent calls whatever the attribute holds now.
    const source = this;
    const listener = {
      fn,
      handleEvent(event: Event) {
        const current = listener.fn;
        if (typeof current !== "function") throw new TypeError(`on${name} is not a function`);
        return current.call(source, event);
      },
    };
    this._handlers[name] = listener;
    super.addEventListener(name, listener);
  }

  // --- the processing model ---

  /** [C15] / [R5.2]–[R5.4]: one attempt, with the request built fresh for it. */
  private _connect(): void {
    const attempt = ++this._attempt;
    let request: TransportRequest | Promise<TransportRequest>;
    try {
      request = buildRequest(
        this._init,
        this._requestURL,
        this._url,
        this._withCredentials,
        this._parser.lastEventId,
      );
    } catch (error) {
      // NON-SPEC: a user's headers function threw; nothing was sent.
      setTimeout(() => {
        if (attempt === this._attempt) this._headersFailed(error);
      }, 0);
      return;
    }
    // Not `instanceof Promise`: ES5 browsers have no Promise to name (the IIFE build).
    if ("then" in request) {
      // NON-SPEC: the attempt waits for an async headers function; close() meanwhile bumps
      // the attempt, so nothing is sent.
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
    this._send(attempt, request);
  }

  /**
   * NON-SPEC: the headers function failed. The connection fails (a `reconnect.retryOn`
   * function may retry instead): a refresh that cannot work should not be retried forever.
   */
  private _headersFailed(error: unknown): void {
    this._fail({ message: `headers function failed: ${describe(error)}` });
  }

  private _send(attempt: number, request: TransportRequest): void {
    const sink: TransportSink = {
      response: (response) => {
        if (attempt === this._attempt) this._onResponse(response);
      },
      chunk: (data) => {
        if (attempt === this._attempt) this._parser.feed(data);
      },
      end: () => {
        // [C14] the body ended: reestablish.
        if (attempt === this._attempt)
          this._reestablish({ message: "the server closed the stream" });
      },
      error: (failure) => {
        if (attempt !== this._attempt) return;
        // [C15.2] a network error reestablishes; a futile retry may fail instead.
        if (failure.fatal) this._fail(failure);
        else this._reestablish(failure);
      },
      restart: () => {
        // NON-SPEC: a transport recycling a long response (XHR) at an event boundary. The
        // next request resumes after the last event, at once; readyState stays OPEN and no
        // event fires, so the stream looks unbroken.
        if (attempt !== this._attempt || this._parser.lastEventId === "") return false;
        this._connect();
        return true;
      },
    };
    const watchdog = this._watchdog;
    if (watchdog === undefined) {
      this._abort = this._transport(request, sink);
    } else {
      // NON-SPEC: heartbeatTimeout sees the bytes through a wrapped sink, so the plain path
      // does no per-chunk work for it.
      watchdog.start();
      this._abort = this._transport(request, watchdog.watch(sink));
    }
  }

  private _onResponse(response: TransportResponse): void {
    // [C15.3] not 200, or not text/event-stream: fail.
    if (response.status !== 200) {
      this._fail({ message: `HTTP ${response.status}` }, response.status, response);
      return;
    }
    if (!isEventStreamType(response.contentType)) {
      const type = response.contentType === null ? "missing" : response.contentType;
      this._fail(
        { message: `content-type ${type} is not text/event-stream` },
        response.status,
        response,
      );
      return;
    }
    // [C15.4] announce (§3.1), then parse the body from a clean state [I3]/§7.5.
    this._requestURL = response.url;
    this._origin = originOf(response.url);
    this._parser.reset();
    // NON-SPEC: an open connection ends a run of failed attempts (reconnect.maxAttempts).
    this._policy?.opened();
    // Already OPEN only after a transport's restart(): that is no new announcement.
    if (this._readyState === OPEN) return;
    this._readyState = OPEN;
    this.dispatchEvent(new Event("open"));
  }

  /** [D4]–[D8] */
  private _dispatchMessage(message: EventSourceMessage): void {
    // [D8] nothing after close(), even for events parsed from the same chunk.
    if (this._readyState === CLOSED) return;
    this.dispatchEvent(
      this._messageEvent(message.type, message.data, this._origin, message.lastEventId),
    );
  }

  /**
   * §3.2 reestablish the connection. `status` and `retryAfter` (ms) come with a failed response
   * that `reconnect.retryOn` chose to retry.
   */
  private _reestablish(failure: TransportFailure, status?: number, retryAfter?: number): void {
    // [R1.1]
    if (this._readyState === CLOSED) return;
    this._abort = undefined;
    this._watchdog?.stop();
    let delay = this._reconnectionTime;
    const policy = this._policy;
    if (policy !== undefined) {
      // NON-SPEC: [R3] the reconnect option's wait, or giving up after maxAttempts.
      const next = policy.next(delay, retryAfter);
      if (next === undefined) {
        // Closing for good: retryOn must not turn this into one more attempt.
        this._policy = undefined;
        const attempts = policy.failures;
        const message = `${failure.message}; gave up after ${attempts} failed attempts (reconnect.maxAttempts)`;
        this._fail({ message }, status);
        return;
      }
      delay = next;
    }
    // [R1.2]/[R1.3]
    this._readyState = CONNECTING;
    this.dispatchEvent(
      createErrorEvent({ message: failure.message, willReconnect: true, delay, status }),
    );
    // A listener may have closed the source [R5.1]: then no timer is left behind.
    if (this._readyState !== CONNECTING) return;
    // [R2] wait the reconnection time as it is now; [R5] reconnect if still CONNECTING.
    this._timer = setTimeout(() => {
      this._timer = undefined;
      if (this._readyState === CONNECTING) this._connect();
    }, delay);
  }

  /**
   * NON-SPEC: end the current attempt and reestablish (heartbeatTimeout, or a failure that
   * reconnect.retryOn retries).
   */
  private _drop(failure: TransportFailure, status?: number, retryAfter?: number): void {
    this._attempt++;
    this._stop();
    this._reestablish(failure, status, retryAfter);
  }

  /** NON-SPEC (browserLifecycle): a source waiting to reconnect reconnects now. */
  private _wake(): void {
    if (this._readyState !== CONNECTING || this._timer === undefined) return;
    clearTimeout(this._timer);
    this._timer = undefined;
    this._connect();
  }

  /** §3.3 fail the connection: CLOSED, error, never reconnect. */
  private _fail(failure: TransportFailure, status?: number, response?: TransportResponse): void {
    if (this._readyState === CLOSED) return;
    // NON-SPEC: reconnect.retryOn may make this failure reestablish instead.
    if (this._policy?.retries({ message: failure.message, status })) {
      const retryAfter = response && parseRetryAfter(response.header("retry-after"));
      this._drop(failure, status, retryAfter);
      return;
    }
    this._readyState = CLOSED;
    this._attempt++;
    this._stop();
    this._runCloseHooks();
    const info: ErrorInfo = { message: failure.message, willReconnect: false };
    if (status !== undefined) info.status = status;
    this.dispatchEvent(createErrorEvent(info));
  }

  /** Abort the request and cancel the reconnection timer. */
  private _stop(): void {
    const abort = this._abort;
    this._abort = undefined;
    if (abort !== undefined) abort();
    if (this._timer !== undefined) {
      clearTimeout(this._timer);
      this._timer = undefined;
    }
    this._watchdog?.stop();
  }

  private _runCloseHooks(): void {
    const hooks = this._closeHooks;
    if (hooks === undefined) return;
    this._closeHooks = undefined;
    for (const hook of hooks) hook();
  }
}

// NON-SPEC: installed only where the runtime has the symbols, so ES5 browsers still load.
if (typeof Symbol === "function") {
  if (Symbol.asyncIterator !== undefined) {
    Object.defineProperty(EventSource.prototype, Symbol.asyncIterator, {
      value: function (this: EventSource) {
        return messages(this);
      },
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
  // What libraries written for the `eventsource` package check before passing `fetch`.
  Object.defineProperty(EventSource, Symbol.for("eventsource.supports-fetch-override"), {
    value: true,
    writable: false,
    enumerable: false,
    configurable: false,
  });
}

// The constants live on the constructor and the prototype, non-writable, like the platform's.
for (const [name, value] of [
  ["CONNECTING", CONNECTING],
  ["OPEN", OPEN],
  ["CLOSED", CLOSED],
] as const) {
  const descriptor = { value, writable: false, enumerable: true, configurable: false };
  Object.defineProperty(EventSource, name, descriptor);
  Object.defineProperty(EventSource.prototype, name, descriptor);
}

function nativeMessageEvent(
  type: string,
  data: string,
  origin: string,
  lastEventId: string,
): StringMessageEvent {
  return new MessageEvent(type, { data, origin, lastEventId });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
