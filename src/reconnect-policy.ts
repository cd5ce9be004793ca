/**
 * NON-SPEC: the `reconnect` option. The spec waits the reconnection time before every attempt
 * [R2] and allows waiting longer [R3]; this adds exponential backoff with full jitter and a
 * cap, a limit on consecutive failures, and a say on which failures the spec calls fatal
 * [C15.3] should reconnect instead (with the server's `Retry-After`).
 */

import { MAX_TIMER_DELAY } from "./event-source.js";
import type { ReconnectOptions } from "./extended-event-source.js";

/** The cap of an exponential delay when `maxDelay` is not given. */
export const DEFAULT_MAX_DELAY = 60_000;

/** What a failed attempt tells the policy. */
export interface ReconnectFailure {
  message: string;
  /** The HTTP status, when a response was the reason. */
  status?: number;
}

export interface ReconnectPolicy {
  /**
   * Whether a failure the spec calls fatal should reconnect instead (`retryOn`). A `retryOn`
   * function that throws counts as "no": the source fails with its own reason.
   */
  retries(failure: ReconnectFailure): boolean;
  /**
   * Count one failed attempt and return the wait before the next, or `undefined` when
   * `maxAttempts` consecutive attempts have failed. `reconnectionTime` is the source's current
   * one (the server's `retry:` included); `retryAfter` the server's `Retry-After`, in ms.
   */
  next(reconnectionTime: number, retryAfter?: number): number | undefined;
  /** The number of consecutive failed attempts so far. */
  readonly failures: number;
  /**
   * A connection opened: the count of consecutive failures starts over, and the end of this
   * stream will not count as one.
   */
  opened(): void;
}

export function createReconnectPolicy(
  options: ReconnectOptions,
  random: () => number = Math.random,
): ReconnectPolicy {
  const exponential = options.backoff === "exponential";
  const maxDelay = options.maxDelay ?? (exponential ? DEFAULT_MAX_DELAY : MAX_TIMER_DELAY);
  const maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
  const retryOn = options.retryOn;
  let failures = 0;
  // The end of a stream that opened is no failed attempt: only attempts that fail to open count.
  let open = false;

  return {
    retries(failure) {
      if (retryOn === undefined) return false;
      if (typeof retryOn === "function") {
        try {
          return retryOn(failure) === true;
        } catch {
          return false;
        }
      }
      return failure.status !== undefined && retryOn.indexOf(failure.status) !== -1;
    },
    next(reconnectionTime, retryAfter) {
      if (open) open = false;
      else failures++;
      if (failures >= maxAttempts) return undefined;
      // The server said when: honour it as is (only timers' own limit applies).
      if (retryAfter !== undefined) return Math.min(retryAfter, MAX_TIMER_DELAY);
      if (!exponential) return Math.min(reconnectionTime, maxDelay);
      // Full jitter: uniform in [0, min(cap, base * 2^(failures - 1))], so many clients that
      // lost the same server come back spread out instead of all at once. Whole ms, and the
      // bound rounded down: base/2 of an odd base, or a fractional cap, is not passed.
      const ceiling = Math.min(maxDelay, reconnectionTime * 2 ** Math.min(failures - 1, 52));
      return Math.floor(random() * (Math.floor(ceiling) + 1));
    },
    get failures() {
      return failures;
    },
    opened() {
      failures = 0;
      open = true;
    },
  };
}

/**
 * `Retry-After` in ms from now: delay-seconds or an HTTP date (RFC 9110 §10.2.3); `undefined`
 * when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_TIMER_DELAY);
  // Every HTTP date format names its month; Date.parse alone would read "-5" as a year.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  // NaN is below nothing (and Number.isNaN is missing in the ES5 build's browsers).
  if (!(date > Number.NEGATIVE_INFINITY)) return undefined;
  return Math.max(0, date - now);
}
