/**
 * What the script-tag build (IIFE) uses in place of the globals the core names: esbuild's
 * `inject` swaps every free `EventTarget`, `Event`, `MessageEvent`, `URL` and `globalThis` in
 * that build for these exports. Each is the native one where it works, and a small ES5
 * stand-in where it is missing or not constructible (IE11, old Safari and Android). The modern
 * builds never include this file.
 */

// `self` is the global object in windows and workers alike, back to IE.
const scope: typeof globalThis = typeof self !== "undefined" ? self : window;

export { scope as globalThis };

/** Whether subclassing the native event classes works here (they exist and can be `new`ed). */
function nativeEvents(): boolean {
  try {
    new scope.EventTarget();
    return (
      typeof Reflect === "object" &&
      new scope.MessageEvent("message", { data: "x" }).data === "x" &&
      new scope.Event("x").type === "x"
    );
  } catch {
    return false;
  }
}

interface ShimListener {
  listener: EventListenerOrEventListenerObject;
  capture: boolean;
  once: boolean;
  removed: boolean;
}

class ShimEvent {
  readonly type: string;
  target: unknown = null;
  currentTarget: unknown = null;
  defaultPrevented = false;
  readonly cancelable: boolean;
  readonly bubbles = false;
  readonly isTrusted = false;
  readonly eventPhase = 0;
  readonly timeStamp = Date.now();
  /** Set by stopImmediatePropagation: the rest of the listeners are skipped. */
  _stopped = false;

  constructor(type: string, init?: { cancelable?: boolean }) {
    this.type = String(type);
    this.cancelable = Boolean(init?.cancelable);
  }

  preventDefault(): void {
    if (this.cancelable) this.defaultPrevented = true;
  }

  // No propagation path: one target, so there is nothing to stop but the remaining listeners.
  stopPropagation(): void {}

  stopImmediatePropagation(): void {
    this._stopped = true;
  }
}

class ShimMessageEvent extends ShimEvent {
  readonly data: unknown;
  readonly origin: string;
  readonly lastEventId: string;
  readonly source = null;
  readonly ports = [];

  constructor(
    type: string,
    init?: { data?: unknown; origin?: string; lastEventId?: string; cancelable?: boolean },
  ) {
    super(type, init);
    this.data = init?.data ?? null;
    this.origin = init?.origin ?? "";
    this.lastEventId = init?.lastEventId ?? "";
  }
}

/** DOM's listener list for a target with no tree: order, dedupe, once, removal during dispatch. */
class ShimEventTarget {
  /** Keyed `$type`, so that a type named `__proto__` is harmless. */
  _listeners: Record<string, ShimListener[]> = {};

  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    if (!listener) return;
    const capture = typeof options === "object" ? Boolean(options.capture) : Boolean(options);
    const key = `$${type}`;
    const list = this._listeners[key] || [];
    this._listeners[key] = list;
    for (let i = 0; i < list.length; i++) {
      const entry = list[i] as ShimListener;
      if (entry.listener === listener && entry.capture === capture) return;
    }
    const once = typeof options === "object" && Boolean(options.once);
    list.push({ listener, capture, once, removed: false });
  }

  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void {
    const capture = typeof options === "object" ? Boolean(options.capture) : Boolean(options);
    const list = this._listeners[`$${type}`] || [];
    for (let i = 0; i < list.length; i++) {
      const entry = list[i] as ShimListener;
      if (entry.listener === listener && entry.capture === capture) {
        entry.removed = true;
        list.splice(i, 1);
        return;
      }
    }
  }

  dispatchEvent(event: ShimEvent): boolean {
    event.target = event.currentTarget = this;
    // The listeners at dispatch time, minus those removed meanwhile (DOM "inner invoke").
    const list = (this._listeners[`$${event.type}`] || []).slice();
    for (let i = 0; i < list.length && !event._stopped; i++) {
      const entry = list[i] as ShimListener;
      if (entry.removed) continue;
      if (entry.once) this.removeEventListener(event.type, entry.listener, entry.capture);
      try {
        const listener = entry.listener;
        if (typeof listener === "function") listener.call(this, event as unknown as Event);
        else listener.handleEvent(event as unknown as Event);
      } catch (error) {
        // DOM reports a listener's exception and goes on with the next listener.
        setTimeout(() => {
          throw error;
        }, 0);
      }
    }
    event.currentTarget = null;
    return !event.defaultPrevented;
  }
}

const useNative = nativeEvents();

const EventTargetImpl = (useNative ? scope.EventTarget : ShimEventTarget) as typeof EventTarget;
const EventImpl = (useNative ? scope.Event : ShimEvent) as typeof Event;
const MessageEventImpl = (useNative ? scope.MessageEvent : ShimMessageEvent) as typeof MessageEvent;

// ES2015 number functions the core calls, swapped in by `define` in tsup.config.ts.
export function numberIsInteger(value: unknown): boolean {
  // Infinity - Infinity and NaN - NaN are NaN; a finite integer minus its floor is 0.
  return typeof value === "number" && value - Math.floor(value) === 0;
}
export function numberIsNaN(value: unknown): boolean {
  return typeof value === "number" && !(value <= 0 || value > 0);
}

const SCHEME = /^[a-z][a-z\d+.-]*:/i;
/** scheme, optional userinfo, host[:port] of a hierarchical URL. */
const AUTHORITY = /^([a-z][a-z\d+.-]*:)\/\/(?:[^@/?#]*@)?([^/?#]*)/i;

/**
 * The two things the core asks of `URL`: `new URL(url, base).href` and `new URL(url).origin`.
 * Relative URLs are resolved by an `<a>` element against the document's base URL, which is the
 * only base the script-tag build ever passes; without a document only absolute URLs parse.
 */
class ShimURL {
  readonly href: string;
  readonly origin: string;

  constructor(url: string, _base?: string) {
    let href = String(url);
    const document = scope.document as Document | undefined;
    if (document) {
      const anchor = document.createElement("a");
      anchor.href = href;
      href = anchor.href;
    }
    if (!SCHEME.test(href)) throw new TypeError(`Invalid URL: ${url}`);
    this.href = href;
    const match = AUTHORITY.exec(href);
    const scheme = match?.[1]?.toLowerCase();
    if (match && (scheme === "http:" || scheme === "https:")) {
      const host = (match[2] as string).toLowerCase();
      const defaultPort = scheme === "http:" ? ":80" : ":443";
      const end = host.length - defaultPort.length;
      this.origin = `${scheme}//${end > 0 && host.slice(end) === defaultPort ? host.slice(0, end) : host}`;
    } else {
      this.origin = "null";
    }
  }
}

function nativeURL(): boolean {
  try {
    return new scope.URL("b", "http://a/").href === "http://a/b";
  } catch {
    return false;
  }
}

const URLImpl = (nativeURL() ? scope.URL : ShimURL) as typeof URL;

export {
  EventImpl as Event,
  EventTargetImpl as EventTarget,
  MessageEventImpl as MessageEvent,
  URLImpl as URL,
};
