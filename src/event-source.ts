/**
 * The EventSource: the WHATWG processing model (§9.2.2–§9.2.4 of HTML; the digest's §1–§8) over
 * any transport. It owns readyState, the reconnection time, the last event ID string and
 * dispatch; which transport it drives is the entry point's choice.
 */
import { isEventStreamType } from "./content-type.js";
import { createErrorEvent, type ErrorInfo } from "./error-event.js";
import { createParser, type EventSourceMessage, type EventStreamParser } from "./parser.js";
import type { Transport, TransportFailure, TransportResponse } from "./transports/transport.js";
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
   * NON-SPEC: also send the last event ID as this query parameter (e.g. `lastEventID` for
   * Mercure), which spares a browser the CORS preflight a `Last-Event-ID` header causes.
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
}

export interface ReconnectOptions {
  /** `fixed` (the spec's: the reconnection time) or `exponential` (full jitter, base = the reconnection time). */
  backoff?: "fixed" | "exponential";
  /** Cap on an exponential delay, in ms. */
  maxDelay?: number;
  /** Consecutive failed attempts after which the source closes. Default: unlimited. */
  maxAttempts?: number;
  /**
   * Responses the spec calls fatal that should retry instead: a list of HTTP statuses (e.g.
   * `[502, 503, 429]`, honouring `Retry-After`), or a function deciding per failure.
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
  ): MessageEvent<string>;
}

export interface EventSourceEventMap {
  open: Event;
  error: Event;
  message: MessageEvent<string>;
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
    const options = init ?? {};
    // [C2]–[C5] parse against the base URL; [C4] SyntaxError before any request.
    const parsed = resolveURL(String(url), platform.baseURL());
    this._url = parsed.href;
    this._requestURL = parsed.href;
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
  get onmessage(): ((this: EventSourceTarget, event: MessageEvent<string>) => unknown) | null {
    return this._getHandler("message");
  }
  set onmessage(value: ((this: EventSourceTarget, event: MessageEvent<string>) => unknown) | null) {
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
    listener: (this: EventSourceTarget, event: MessageEvent<string>) => unknown,
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
    listener: (this: EventSourceTarget, event: MessageEvent<string>) => unknown,
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

  /** [C15] / [R5.2]–[R5.4]: one attempt, with the headers built fresh for it. */
  private _connect(): void {
    const attempt = ++this._attempt;
    let headers: Record<string, string>;
    try {
      headers = this._requestHeaders();
    } catch (error) {
      // NON-SPEC: a user's headers function threw; nothing was sent.
      setTimeout(() => {
        if (attempt === this._attempt)
          this._fail({ message: `headers option threw: ${describe(error)}` });
      }, 0);
      return;
    }
    this._abort = this._transport(
      { url: this._requestURL, method: "GET", headers, withCredentials: this._withCredentials },
      {
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
      },
    );
  }

  private _requestHeaders(): Record<string, string> {
    const headers: Record<string, string> = {};
    const extra = this._init.headers;
    if (extra !== undefined) {
      // NON-SPEC: user headers, fresh for every attempt.
      copyHeaders((typeof extra === "function" ? extra() : extra) as HeadersInitLike, headers);
    }
    // [C10] Accept.
    headers.accept = "text/event-stream";
    // [R5.3] Last-Event-ID, UTF-8 encoded, only when non-empty (§3.2 decision). An ID that is
    // not a valid header value (a control character) is left out: sending it would fail every
    // attempt and wedge the source in a retry loop.
    const id = this._parser.lastEventId;
    if (id !== "") {
      const value = toByteString(id);
      if (isHeaderValue(value)) headers["last-event-id"] = value;
    }
    return headers;
  }

  private _onResponse(response: TransportResponse): void {
    // [C15.3] not 200, or not text/event-stream: fail.
    if (response.status !== 200) {
      this._fail({ message: `HTTP ${response.status}` }, response.status);
      return;
    }
    if (!isEventStreamType(response.contentType)) {
      const type = response.contentType === null ? "missing" : response.contentType;
      this._fail({ message: `content-type ${type} is not text/event-stream` }, response.status);
      return;
    }
    // [C15.4] announce (§3.1), then parse the body from a clean state [I3]/§7.5.
    this._requestURL = response.url;
    this._origin = originOf(response.url);
    this._parser.reset();
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

  /** §3.2 reestablish the connection. */
  private _reestablish(failure: TransportFailure): void {
    // [R1.1]
    if (this._readyState === CLOSED) return;
    this._abort = undefined;
    // [R1.2]/[R1.3]
    this._readyState = CONNECTING;
    const delay = this._reconnectionTime;
    this.dispatchEvent(createErrorEvent({ message: failure.message, willReconnect: true, delay }));
    // A listener may have closed the source [R5.1]: then no timer is left behind.
    if (this._readyState !== CONNECTING) return;
    // [R2] wait the reconnection time as it is now; [R5] reconnect if still CONNECTING.
    this._timer = setTimeout(() => {
      this._timer = undefined;
      if (this._readyState === CONNECTING) this._connect();
    }, delay);
  }

  /** §3.3 fail the connection: CLOSED, error, never reconnect. */
  private _fail(failure: TransportFailure, status?: number): void {
    if (this._readyState === CLOSED) return;
    this._readyState = CLOSED;
    this._attempt++;
    this._stop();
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
  }
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
): MessageEvent<string> {
  return new MessageEvent(type, { data, origin, lastEventId });
}

function copyHeaders(source: HeadersInitLike, target: Record<string, string>): void {
  if (Array.isArray(source)) {
    for (const [name, value] of source) target[name.toLowerCase()] = String(value);
  } else if (typeof (source as Headers).forEach === "function" && !isPlainObject(source)) {
    (source as Headers).forEach((value, name) => {
      target[name.toLowerCase()] = value;
    });
  } else {
    for (const name of Object.keys(source)) {
      target[name.toLowerCase()] = String((source as Record<string, string>)[name]);
    }
  }
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** UTF-8 bytes as a string of one char per byte: what header APIs take (§4). */
function toByteString(value: string): string {
  let bytes = "";
  for (let i = 0; i < value.length; i++) {
    let code = value.charCodeAt(i);
    if (code < 0x80) {
      bytes += value[i];
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length) {
      const low = value.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    // A lone surrogate encodes as U+FFFD, as a USVString conversion would make it.
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x800) {
      bytes += String.fromCharCode(0xc0 | (code >> 6), 0x80 | (code & 63));
    } else if (code < 0x10000) {
      bytes += String.fromCharCode(
        0xe0 | (code >> 12),
        0x80 | ((code >> 6) & 63),
        0x80 | (code & 63),
      );
    } else {
      bytes += String.fromCharCode(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 63),
        0x80 | ((code >> 6) & 63),
        0x80 | (code & 63),
      );
    }
  }
  return bytes;
}

/** A header value that every transport accepts: no control characters but tab. */
function isHeaderValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return false;
  }
  return true;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
