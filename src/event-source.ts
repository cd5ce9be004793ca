/**
 * The EventSource: the WHATWG processing model (§9.2.2–§9.2.4 of HTML; the digest's §1–§8) over
 * any transport, and nothing more. It owns readyState, the reconnection time, the last event ID
 * string and dispatch; which transport it drives is the entry point's choice. The NON-SPEC
 * options live in `ExtendedEventSource` (extended-event-source.ts), which overrides the few
 * hooks marked "Hook" below; here each does what the standard says.
 */
import { isEventStreamType } from "./content-type.js";
import type {
  AddEventListenerOptions,
  EventListenerOptions,
  EventListenerOrEventListenerObject,
  StringMessageEvent,
} from "./dom-types.js";
import {
  createParser,
  type EventSourceMessage,
  type EventStreamParser,
  type ParserCallbacks,
  type ParserOptions,
} from "./parser.js";
import { standardHeaders } from "./standard-headers.js";
import type {
  Transport,
  TransportFailure,
  TransportRequest,
  TransportResponse,
  TransportSink,
} from "./transports/transport.js";
import { originOf, resolveURL } from "./url.js";

/**
 * The standard init dictionary. Other members are ignored here, as the platform's EventSource
 * ignores them; `ExtendedEventSource` reads its NON-SPEC options from the same object.
 */
export interface EventSourceInit {
  /** Send credentials (cookies, HTTP auth) cross-origin [C7]. */
  withCredentials?: boolean;
}

/** What the `_setup` hook hands the parser: its options and, for a limit, its error callback. */
export type ParserSetup = ParserOptions & Pick<ParserCallbacks, "onError">;

/** What an entry point supplies: how to reach the network and where relative URLs start. */
export interface Platform<Init> {
  transport(init: Init): Transport;
  baseURL(): string | undefined;
  /** Makes the parser (default: `createParser`), where a faster one suits the runtime. */
  parser?: typeof createParser;
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
/** Timers fire at once past 2^31-1 ms: `retry:` (§5) is clamped to it, delay options checked. */
export const MAX_TIMER_DELAY = 2147483647;

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

type Handler<E> = ((this: EventSourceTarget, event: E) => unknown) | null;
type HandlerName = "open" | "message" | "error";

/**
 * The typed overloads of `addEventListener` and `removeEventListener`, merged into the class's
 * type: EventTarget's own methods do the work, so the build carries no wrapper for them.
 */
export interface EventSource<Events extends EventSourceEventMap = EventSourceEventMap> {
  addEventListener<K extends keyof Events>(
    type: K,
    listener: (this: EventSourceTarget, event: Events[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: (this: EventSourceTarget, event: StringMessageEvent) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof Events>(
    type: K,
    listener: (this: EventSourceTarget, event: Events[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: (this: EventSourceTarget, event: StringMessageEvent) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
}

/**
 * `Events`: the types of the events it fires by name (a subclass's may be narrower); custom
 * names get string `MessageEvent`s, as in lib.dom.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above only adds overloads of inherited methods.
export class EventSource<
  Events extends EventSourceEventMap = EventSourceEventMap,
> extends EventTarget {
  declare readonly CONNECTING: 0;
  declare readonly OPEN: 1;
  declare readonly CLOSED: 2;
  declare static readonly CONNECTING: 0;
  declare static readonly OPEN: 1;
  declare static readonly CLOSED: 2;
  /** The event handler IDL attributes, accessors on the prototype (defined below). */
  declare onopen: Handler<Events["open"]>;
  declare onmessage: Handler<Events["message"]>;
  declare onerror: Handler<Events["error"]>;

  // `protected`: what ExtendedEventSource reads or sets too.
  private _url: string;
  private _withCredentials: boolean;
  protected _readyState: ReadyState = CONNECTING;
  private _transport: Transport;
  /** Where the next attempt goes: the final URL of the last redirect (DESIGN "Decisions"). */
  protected _requestURL: string;
  private _origin = "null";
  protected _reconnectionTime = DEFAULT_RECONNECTION_TIME;
  protected _parser: EventStreamParser;
  /** Bumped by every new attempt and by close(): callbacks of an older attempt are ignored. */
  protected _attempt = 0;
  private _abort: (() => void) | undefined;
  protected _timer: ReturnType<typeof setTimeout> | undefined;
  private _handlers: Partial<Record<HandlerName, HandlerSlot>> = {};
  /**
   * The last event ID of the last event dispatched, and whether it differed from the one before
   * (the event brought an ID of its own): only then may a restart() resume after it.
   */
  private _eventId?: string;
  private _ownId?: boolean;
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
      throw new TypeError("EventSource: 1 argument required");
    }
    // Every entry point's class has a platform; only the internals' own class lacks one (a
    // TypeError on the first use below).
    const platform = (this.constructor as typeof EventSource)
      ._platform as Platform<EventSourceInit>;
    // WebIDL argument conversion: the URL to a string (a Symbol cannot be one: TypeError), the
    // init to a dictionary (undefined and null are empty; a primitive is a TypeError).
    const href = `${url}`;
    const initType = typeof init;
    if (init !== undefined && init !== null && initType !== "object" && initType !== "function") {
      throw new TypeError("EventSource: init is not an EventSourceInit");
    }
    const options = init ?? {};
    // The dictionary member is read (a getter may throw) with the other conversions, before
    // the URL is parsed; [C6]/[C7] use it.
    this._withCredentials = Boolean(options.withCredentials);
    // [C2]–[C5] parse against the base URL; [C4] SyntaxError before any request.
    const parsed = resolveURL(href, platform.baseURL());
    this._url = parsed.href;
    this._requestURL = parsed.href;
    this._transport = platform.transport(options);
    // Node's platform hooks, which no lean build's platform has (src/lean-build.d.ts).
    this._messageEvent = (!LEAN_BUILD && platform.messageEvent) || nativeMessageEvent;
    const setup = LEAN_BUILD ? undefined : this._setup?.(options);
    this._parser = ((!LEAN_BUILD && platform.parser) || createParser)(
      {
        onEvent: (message) => this._dispatchMessage(message),
        onRetry: (time) => {
          // §5 `retry:` takes effect when read; clamp what a timer cannot take.
          this._reconnectionTime = Math.min(time, MAX_TIMER_DELAY);
        },
        onError: LEAN_BUILD ? undefined : setup?.onError,
      },
      LEAN_BUILD ? undefined : setup,
    );
    // [C15] fetch, unless _setup closed the source. Nothing fires synchronously [C16]:
    // transports report asynchronously.
    if (this._readyState === CONNECTING) this._connect();
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

  /** §8: abort the request, cancel a pending reconnection, CLOSED; no event. Idempotent. */
  close(): void {
    this._readyState = CLOSED;
    this._attempt++;
    this._stop();
    if (!LEAN_BUILD) this._closed?.();
  }

  // --- hooks: absent here (the standard behaviour is inline below), implemented by
  // ExtendedEventSource. Their calls are behind `!LEAN_BUILD`: the lean builds hold none.

  /**
   * @internal Hook: read the init dictionary once, before the parser is made and the first
   * attempt starts (closing the source here skips the attempt).
   */
  protected _setup?(_init: EventSourceInit): ParserSetup | undefined;

  /**
   * @internal Hook: [C15] / [R5.2]–[R5.4] start one attempt, with its request built fresh: GET,
   * `Accept`, and `Last-Event-ID` when the last event ID is not empty.
   */
  protected _connect(): void {
    this._send(++this._attempt, {
      url: this._requestURL,
      method: "GET",
      headers: standardHeaders(this._parser.lastEventId),
      withCredentials: this._withCredentials,
    });
  }

  /** @internal Hook: the sink the transport reports to (extensions watch the bytes). */
  protected _watch?(sink: TransportSink): TransportSink;

  /** @internal Hook: a connection opened [C15.4]. */
  protected _opened?(): void;

  /**
   * @internal Hook: the wait before the next attempt [R2] (default: the reconnection time), or
   * undefined when the hook gave up and failed the connection instead.
   */
  protected _delay?(
    _failure: TransportFailure,
    _status?: number,
    _retryAfter?: number,
  ): number | undefined;

  /**
   * @internal Hook: whether a failure the spec calls fatal [C15.3] reestablishes instead (true
   * when the hook did so). The standard: never.
   */
  protected _retries?(
    _failure: TransportFailure,
    _status?: number,
    _response?: TransportResponse,
  ): boolean;

  /**
   * @internal Hook: the `error` event [R1.3]/§3.3 (default: a plain `Event`).
   * The arguments say why, for the NON-SPEC fields of the extended class's error event.
   */
  protected _errorEvent?(
    _failure: TransportFailure,
    _willReconnect: boolean,
    _status?: number,
    _delay?: number,
  ): Event;

  /** @internal Hook: the source closed for good (close(), or a failed connection). */
  protected _closed?(): void;

  // --- the processing model ---

  /** @internal Start the transport for `attempt`, reporting to this source while it is current. */
  protected _send(attempt: number, request: TransportRequest): void {
    // What the transport reports counts only while its attempt is the current one.
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
          this._reestablish({ message: LEAN_BUILD ? "" : "the server closed the stream" });
      },
      error: (failure) => {
        if (attempt !== this._attempt) return;
        // [C15.2] a network error reestablishes; a futile retry may fail instead: one the
        // transport knows of, or any failure to fetch a URL that is not http(s) or blob: (ws:,
        // ftp:, about:...), which Chromium's own EventSource fails at once.
        if (failure.fatal || !/^(https?|blob):/i.test(request.url)) this._fail(failure);
        else this._reestablish(failure);
      },
      restart: () => {
        // NON-SPEC: a transport recycling a long response (XHR) at an event boundary. The
        // next request resumes after the last event, at once; readyState stays OPEN and no
        // event fires, so the stream looks unbroken.
        // Only from an ID that marks the last event seen, or later: the server resumes after
        // it, and would repeat an event that came after it without an ID of its own.
        const id = this._parser.lastEventId;
        if (attempt !== this._attempt || id === "" || (id === this._eventId && !this._ownId))
          return false;
        this._connect();
        return true;
      },
    };
    this._abort = this._transport(request, LEAN_BUILD || !this._watch ? sink : this._watch(sink));
  }

  private _onResponse(response: TransportResponse): void {
    const status = response.status;
    const type = response.headers.get("content-type");
    // [C15.3] not 200, or not text/event-stream: fail.
    if (status !== 200 || !isEventStreamType(type)) {
      // Reasons are for the extended class's error event: the lean builds have none.
      const message = LEAN_BUILD
        ? ""
        : status !== 200
          ? `HTTP ${status}`
          : `content-type ${type ?? "missing"} is not text/event-stream`;
      this._fail({ message }, status, response);
      return;
    }
    // [C15.4] announce (§3.1), then parse the body from a clean state [I3]/§7.5.
    const url = response.url || this._requestURL;
    this._requestURL = url;
    this._origin = originOf(url);
    this._parser.reset();
    if (!LEAN_BUILD) this._opened?.();
    // Already OPEN only after a transport's restart(): that is no new announcement.
    if (this._readyState === OPEN) return;
    this._readyState = OPEN;
    this.dispatchEvent(new Event("open"));
  }

  /** [D4]–[D8] */
  private _dispatchMessage(message: EventSourceMessage): void {
    // [D8] nothing after close(), even for events parsed from the same chunk.
    if (this._readyState === CLOSED) return;
    const id = message.lastEventId;
    this._ownId = id !== this._eventId;
    this._eventId = id;
    this.dispatchEvent(this._messageEvent(message.type, message.data, this._origin, id));
  }

  /**
   * @internal §3.2 reestablish the connection. `status` and `retryAfter` (ms) come with a failed
   * response that an extension chose to retry.
   */
  protected _reestablish(failure: TransportFailure, status?: number, retryAfter?: number): void {
    // [R1.1]
    if (this._readyState === CLOSED) return;
    // The attempt is over: nothing to abort, but what watched it stops.
    this._abort = undefined;
    this._stop();
    const delay =
      LEAN_BUILD || !this._delay
        ? this._reconnectionTime
        : this._delay(failure, status, retryAfter);
    if (delay === undefined) return;
    // [R1.2]/[R1.3]
    this._readyState = CONNECTING;
    this.dispatchEvent(
      LEAN_BUILD || !this._errorEvent
        ? new Event("error")
        : this._errorEvent(failure, true, status, delay),
    );
    // A listener may have closed the source [R5.1]: then no timer is left behind.
    if (this._readyState !== CONNECTING) return;
    // [R2] wait the reconnection time as it is now; [R5] reconnect if still CONNECTING.
    this._timer = setTimeout(() => {
      this._timer = undefined;
      if (this._readyState === CONNECTING) this._connect();
    }, delay);
  }

  /** @internal §3.3 fail the connection: CLOSED, error, never reconnect. */
  protected _fail(failure: TransportFailure, status?: number, response?: TransportResponse): void {
    if (this._readyState === CLOSED || (!LEAN_BUILD && this._retries?.(failure, status, response)))
      return;
    this._readyState = CLOSED;
    this._attempt++;
    this._stop();
    if (!LEAN_BUILD) this._closed?.();
    this.dispatchEvent(
      LEAN_BUILD || !this._errorEvent
        ? new Event("error")
        : this._errorEvent(failure, false, status),
    );
  }

  static {
    const prototype = EventSource.prototype;
    const { addEventListener: addListener, removeEventListener: removeListener } =
      EventTarget.prototype;
    const constants = ["CONNECTING", "OPEN", "CLOSED"];
    const handlers: HandlerName[] = ["open", "message", "error"];
    for (let value = CONNECTING; value <= CLOSED; value++) {
      // The constants, on the constructor and the prototype: enumerable, neither writable nor
      // configurable (what defineProperty leaves out is false), as WebIDL makes them. Their
      // values are their indexes.
      const constant = { value, enumerable: true };
      Object.defineProperty(EventSource, constants[value] as string, constant);
      Object.defineProperty(prototype, constants[value] as string, constant);
      // onopen, onmessage, onerror: accessors, enumerable and configurable as WebIDL makes them
      // (HTML's event handler attributes). The first non-null value registers the handler's
      // listener at that position; reassigning keeps the position; null, or any non-object
      // ([LegacyTreatNonObjectAsNull]; a function is an object), removes it. EventTarget's own
      // methods add and remove it, not ones a subclass or the instance may have replaced.
      const name = handlers[value] as HandlerName;
      Object.defineProperty(prototype, `on${name}`, {
        get(this: EventSource) {
          const slot = this._handlers[name];
          return slot ? slot.fn : null;
        },
        set(this: EventSource, value: Handler<Event>) {
          const fn = Object(value) === value ? value : null;
          const handlers = this._handlers;
          const slot = handlers[name] ?? { fn: null, handleEvent: callHandler };
          handlers[name] = slot;
          if (!slot.fn !== !fn) {
            (fn ? addListener : removeListener).call(this, name, slot as EventListenerObject);
          }
          slot.fn = fn;
        },
        enumerable: true,
        configurable: true,
      });
    }
  }

  /** @internal Hook: abort the request and cancel the reconnection timer. */
  protected _stop(): void {
    const abort = this._abort;
    this._abort = undefined;
    if (abort !== undefined) abort();
    if (this._timer !== undefined) {
      clearTimeout(this._timer);
      this._timer = undefined;
    }
  }
}

function nativeMessageEvent(
  type: string,
  data: string,
  origin: string,
  lastEventId: string,
): StringMessageEvent {
  return new MessageEvent(type, { data, origin, lastEventId });
}

/** A handler attribute's listener: it calls what the attribute holds when the event comes. */
interface HandlerSlot {
  fn: Handler<Event>;
  handleEvent(this: HandlerSlot, event: Event): void;
}

/**
 * `this` is the source dispatching (the event's currentTarget). An object that is not callable
 * is skipped, as WebIDL invokes such a handler. A return value of `false` cancels the event
 * (HTML's "process return value"; only a cancelable one, such as a user's, can be).
 */
function callHandler(this: HandlerSlot, event: Event): void {
  const fn = this.fn;
  if (
    typeof fn === "function" &&
    fn.call(event.currentTarget as EventSourceTarget, event) === false
  )
    event.preventDefault();
}
