/**
 * NON-SPEC: checks the extension options at construction, so a mistake throws a `TypeError`
 * that names the option instead of surfacing later as a puzzling error event. Only options
 * that are present are looked at: `new EventSource(url)` pays for nothing here.
 */
// MAX_TIMER_DELAY: timers fire at once past it, so no delay option may exceed it.
import { MAX_TIMER_DELAY } from "./event-source.js";
import type { ExtendedEventSourceInit as EventSourceInit } from "./extended-event-source.js";

/** RFC 9110 token: what a method or a header name may be made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Methods fetch refuses to send. */
const FORBIDDEN_METHODS = /^(CONNECT|TRACE|TRACK)$/i;

/**
 * The `lastEventId` option as a USVString, as WebIDL converts one: a lone surrogate becomes
 * U+FFFD, so the ID can be UTF-8 encoded into the Last-Event-ID header (standard-headers.ts).
 */
export function wellFormed(value: string): string {
  return value.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g, (match) =>
    match.length > 1 ? match : "\ufffd",
  );
}

/** A `TypeError` naming the option, what it must be, and what it was. */
export function optionError(name: string, expected: string, value: unknown): TypeError {
  return new TypeError(
    `Failed to construct 'EventSource': the ${name} option must be ${expected}, got ${show(value)}.`,
  );
}

/** The same, for what a headers function returned before an attempt. */
export function headersResultError(expected: string, value: unknown): TypeError {
  return new TypeError(`the headers function must return ${expected}, got ${show(value)}`);
}

export function validateOptions(init: EventSourceInit): void {
  const { headers, method, body, reconnect } = init;
  if (headers !== undefined && typeof headers !== "function") {
    validateHeaders(headers, (expected, value) => optionError("headers", expected, value));
  }
  if (method !== undefined) {
    if (typeof method !== "string" || !TOKEN.test(method) || FORBIDDEN_METHODS.test(method)) {
      throw optionError("method", "an HTTP method such as 'POST'", method);
    }
  }
  if (body !== undefined) {
    if (typeof body !== "string" && !(body instanceof Uint8Array)) {
      throw optionError("body", "a string or a Uint8Array", body);
    }
    // fetch refuses a body on GET and HEAD; say so now rather than on every attempt.
    if (method === undefined || /^(GET|HEAD)$/i.test(method)) {
      throw optionError("body", "sent with a method other than GET or HEAD (e.g. 'POST')", body);
    }
  }
  if (init.lastEventId !== undefined && typeof init.lastEventId !== "string") {
    throw optionError("lastEventId", "a string", init.lastEventId);
  }
  const parameter = init.lastEventIdQueryParameter;
  if (parameter !== undefined && (typeof parameter !== "string" || parameter === "")) {
    throw optionError("lastEventIdQueryParameter", "a non-empty string", parameter);
  }
  if (reconnect !== undefined) validateReconnect(reconnect);
  if (init.heartbeatTimeout !== undefined && !isDelay(init.heartbeatTimeout, false)) {
    throw optionError(
      "heartbeatTimeout",
      `a number of milliseconds above 0 and at most ${MAX_TIMER_DELAY}`,
      init.heartbeatTimeout,
    );
  }
  const maxEventSize = init.maxEventSize;
  if (maxEventSize !== undefined && !(typeof maxEventSize === "number" && maxEventSize >= 1)) {
    throw optionError("maxEventSize", "a number of characters, at least 1", maxEventSize);
  }
  const signal = init.signal;
  if (
    signal !== undefined &&
    !(
      typeof signal === "object" &&
      signal !== null &&
      typeof signal.aborted === "boolean" &&
      typeof signal.addEventListener === "function" &&
      typeof signal.removeEventListener === "function"
    )
  ) {
    throw optionError("signal", "an AbortSignal", signal);
  }
  if (init.browserLifecycle !== undefined && typeof init.browserLifecycle !== "boolean") {
    throw optionError("browserLifecycle", "a boolean", init.browserLifecycle);
  }
}

/**
 * Headers given as a value are checked at construction; a headers function's result is checked
 * the same way before each attempt (then `error` makes the message of an error event).
 */
export function validateHeaders(
  headers: unknown,
  error: (expected: string, value: unknown) => TypeError,
): void {
  if (typeof headers !== "object" || headers === null) {
    throw error("an object, a Headers, an array of [name, value] pairs or a function", headers);
  }
  const check = (key: unknown, value: unknown): void => {
    if (typeof key !== "string" || !TOKEN.test(key)) {
      throw error("headers with valid names", key);
    }
    // CR, LF and NUL would split or truncate the request; every client refuses them, and a
    // character above U+00FF too (a header value is a ByteString): refused at every attempt.
    if (/[\r\n\0\u0100-\uffff]/.test(String(value))) {
      throw error(`headers whose ${key} value has no CR, LF, NUL or character above U+00FF`, value);
    }
  };
  if (Array.isArray(headers)) {
    for (const pair of headers) {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw error("an array of [name, value] pairs", pair);
      }
      check(pair[0], pair[1]);
    }
  } else if (typeof (headers as Headers).forEach === "function" && !isPlainObject(headers)) {
    // A Headers object has validated its own entries.
  } else {
    for (const key of Object.keys(headers)) check(key, (headers as Record<string, unknown>)[key]);
  }
}

function validateReconnect(reconnect: NonNullable<EventSourceInit["reconnect"]>): void {
  if (typeof reconnect !== "object" || reconnect === null) {
    throw optionError("reconnect", "an object", reconnect);
  }
  const { backoff, maxDelay, maxAttempts, retryOn } = reconnect;
  if (backoff !== undefined && backoff !== "fixed" && backoff !== "exponential") {
    throw optionError("reconnect.backoff", "'fixed' or 'exponential'", backoff);
  }
  if (maxDelay !== undefined && !isDelay(maxDelay, true)) {
    throw optionError(
      "reconnect.maxDelay",
      `a number of milliseconds from 0 to ${MAX_TIMER_DELAY}`,
      maxDelay,
    );
  }
  if (
    maxAttempts !== undefined &&
    !(
      typeof maxAttempts === "number" &&
      maxAttempts >= 0 &&
      (Math.floor(maxAttempts) === maxAttempts || maxAttempts === Number.POSITIVE_INFINITY)
    )
  ) {
    throw optionError("reconnect.maxAttempts", "a whole number, at least 0", maxAttempts);
  }
  if (
    retryOn !== undefined &&
    typeof retryOn !== "function" &&
    !(
      Array.isArray(retryOn) &&
      retryOn.every(
        (status) =>
          typeof status === "number" &&
          Math.floor(status) === status &&
          status >= 100 &&
          status <= 599,
      )
    )
  ) {
    throw optionError("reconnect.retryOn", "an array of HTTP statuses or a function", retryOn);
  }
}

function isDelay(value: unknown, zero: boolean): boolean {
  return typeof value === "number" && (zero ? value >= 0 : value > 0) && value <= MAX_TIMER_DELAY;
}

export function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return "an array";
  if (value === null || typeof value !== "object") return String(value);
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name ? `a ${name}` : "an object";
}
