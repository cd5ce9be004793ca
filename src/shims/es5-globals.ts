/**
 * What the script-tag build (IIFE) uses in place of the globals the core names: esbuild's
 * `inject` swaps every free `EventTarget`, `Event`, `MessageEvent`, `URL` and `globalThis` in
 * that build for these exports. Each is the native one where it works, and a small ES5
 * stand-in where it is missing or not constructible (IE11, old Safari and Android). The modern
 * builds never include this file.
 *
 * The stand-ins do what the core and a listener need of them, no more: one target, no
 * propagation path, none of the event members that would only ever read 0, false or null there
 * (eventPhase, bubbles, isTrusted; MessageEvent's source and ports), and no timeStamp.
 * test/dist/iife.test.ts runs them in an ES5-only context.
 */

// `self` is the global object in windows and workers alike, back to IE.
const scope: typeof globalThis = typeof self !== "undefined" ? self : window;

export { scope as globalThis };

/** Whether `test` returns true, rather than false or throwing. */
function works(test: () => boolean): boolean {
  try {
    return test();
  } catch {
    return false;
  }
}

/**
 * Whether the native event classes can be used here: EventTarget can be `new`ed (2018 on: the
 * Event and MessageEvent constructors are older) and Reflect.construct can make an instance
 * for a subclass ({@link NativeEventTarget}).
 */
const useNative = works(() => {
  new scope.EventTarget();
  return typeof Reflect === "object";
});

interface EventInit {
  cancelable?: boolean;
}

class ShimEvent {
  readonly type: string;
  readonly cancelable: boolean;
  defaultPrevented = false;
  target: unknown = null;
  currentTarget: unknown = null;
  /** Set by stopImmediatePropagation: the rest of the listeners are skipped. */
  _stopped?: boolean;

  constructor(type: string, init?: EventInit) {
    this.type = type;
    this.cancelable = Boolean(init?.cancelable);
  }

  /** Only a cancelable event is canceled (`cancelable` is fixed at construction). */
  preventDefault(): void {
    this.defaultPrevented = this.cancelable;
  }

  // No propagation path: one target, so there is nothing to stop but the remaining listeners.
  stopPropagation(): void {}

  stopImmediatePropagation(): void {
    this._stopped = true;
  }
}

/** The members the core gives its message events, all three always (event-source.ts). */
class ShimMessageEvent extends ShimEvent {
  readonly data: unknown;
  readonly origin: string;
  readonly lastEventId: string;

  constructor(type: string, init: { data: unknown; origin: string; lastEventId: string }) {
    super(type);
    this.data = init.data;
    this.origin = init.origin;
    this.lastEventId = init.lastEventId;
  }
}

/** What identifies a listener's registration on a target. */
interface Registration {
  type: string;
  listener: EventListenerOrEventListenerObject | null;
  capture: boolean;
}

interface ShimListener extends Registration {
  listener: EventListenerOrEventListenerObject;
  once: boolean;
}

type ListenerOptions = boolean | AddEventListenerOptions | null | undefined;

/** `capture` of the options argument: the argument itself, or the dictionary's member. */
function captureOf(options: ListenerOptions): boolean {
  return Boolean(typeof options === "object" ? options?.capture : options);
}

/** Where `list` has `key`'s registration: the same type, listener and capture. */
function indexOf(list: ShimListener[], key: Registration): number {
  for (let i = 0; i < list.length; i++) {
    const entry = list[i] as ShimListener;
    if (
      entry.type === key.type &&
      entry.listener === key.listener &&
      entry.capture === key.capture
    ) {
      return i;
    }
  }
  return -1;
}

/**
 * DOM's listener list for a target with no tree, in one array for all types (a source has a
 * handful of listeners): order, dedupe by type, listener and capture, once, removal during
 * dispatch.
 */
class ShimEventTarget {
  _listeners: ShimListener[] = [];

  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: ListenerOptions,
  ): void {
    if (!listener) return;
    const once = Boolean((options as AddEventListenerOptions | null | undefined)?.once);
    const entry = { type, listener, capture: captureOf(options), once };
    if (indexOf(this._listeners, entry) < 0) this._listeners.push(entry);
  }

  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: ListenerOptions,
  ): void {
    const index = indexOf(this._listeners, { type, listener, capture: captureOf(options) });
    if (index >= 0) this._listeners.splice(index, 1);
  }

  dispatchEvent(event: ShimEvent): boolean {
    event.target = event.currentTarget = this;
    // The listeners at dispatch time, each called only while still registered (DOM "inner
    // invoke": one removed meanwhile is skipped, one added meanwhile waits for the next event).
    const listeners = this._listeners.slice();
    for (let i = 0; i < listeners.length; i++) {
      const entry = listeners[i] as ShimListener;
      const index = this._listeners.indexOf(entry);
      if (event._stopped) break;
      if (entry.type !== event.type || index < 0) continue;
      if (entry.once) this._listeners.splice(index, 1);
      try {
        const listener = entry.listener;
        if (typeof listener === "function") listener.call(this, event as unknown as Event);
        else listener.handleEvent(event as unknown as Event);
      } catch (error) {
        // DOM reports a listener's exception and goes on with the next listener.
        setTimeout(() => {
          throw error;
        });
      }
    }
    // DOM unsets the stop flag at the end of a dispatch: the event can be dispatched again.
    event.currentTarget = null;
    event._stopped = false;
    return !event.defaultPrevented;
  }
}

/**
 * The native EventTarget as a function that swc's ES5 classes can extend: their `super()` is
 * `Base.call(this) || this` (`superIsCallableConstructor` in tsup.config.ts), which a native
 * class refuses. This makes the native instance itself, for the class actually constructed
 * (EventSource, or a user's subclass of it) as `new.target`, and returns it in place of `this`.
 */
function NativeEventTarget(this: object): object {
  return Reflect.construct(scope.EventTarget, [], this.constructor);
}
if (useNative) {
  NativeEventTarget.prototype = scope.EventTarget.prototype;
  // Statics inherited too: Node's EventTarget, for one, knows its instances by one.
  // biome-ignore lint/suspicious/noProto: as in es5-class-helpers.ts (`inherits`).
  (NativeEventTarget as { __proto__?: unknown }).__proto__ = scope.EventTarget;
}

const EventTargetImpl = (useNative ? NativeEventTarget : ShimEventTarget) as typeof EventTarget;
const EventImpl = (useNative ? scope.Event : ShimEvent) as typeof Event;
const MessageEventImpl = (useNative ? scope.MessageEvent : ShimMessageEvent) as typeof MessageEvent;

// ES2015 number functions the core calls, swapped in by `define` in tsup.config.ts.
export function numberIsInteger(value: unknown): boolean {
  // Infinity - Infinity and NaN - NaN are NaN; a finite integer minus its floor is 0.
  return typeof value === "number" && value - Math.floor(value) === 0;
}
export function numberIsNaN(value: unknown): boolean {
  // NaN is the one number neither above nor at most 0.
  return typeof value === "number" && !(value <= 0 || value > 0);
}

/** An absolute URL starts with its scheme. */
const SCHEME = /^[a-z][a-z\d+.-]*:/i;
/** Scheme and host[:port] (after any userinfo) of an http(s) URL. */
const HTTP_ORIGIN = /^(https?):\/\/(?:[^@/?#]*@)?([^/?#]*)/i;

/**
 * The two things the core asks of `URL`: `new URL(url, base).href` and `new URL(url).origin`.
 * Relative URLs are resolved by an `<a>` element against the document's base URL, which is the
 * only base the script-tag build ever passes; without a document only absolute URLs parse.
 */
class ShimURL {
  readonly href: string;
  readonly origin: string = "null";

  constructor(url: string, _base?: string) {
    let href = url;
    const document = scope.document as Document | undefined;
    if (document) {
      const anchor = document.createElement("a");
      anchor.href = href;
      href = anchor.href;
    }
    // The core turns this into its SyntaxError.
    if (!SCHEME.test(href)) throw new TypeError();
    this.href = href;
    const parts = HTTP_ORIGIN.exec(href);
    if (parts) {
      const scheme = (parts[1] as string).toLowerCase();
      // The scheme's default port is no part of the origin.
      const host = (parts[2] as string)
        .toLowerCase()
        .replace(scheme === "http" ? /:80$/ : /:443$/, "");
      this.origin = `${scheme}://${host}`;
    }
  }
}

const nativeURL = works(() => new scope.URL("b", "http://a/").href === "http://a/b");
const URLImpl = (nativeURL ? scope.URL : ShimURL) as typeof URL;

export {
  EventImpl as Event,
  EventTargetImpl as EventTarget,
  MessageEventImpl as MessageEvent,
  URLImpl as URL,
};
