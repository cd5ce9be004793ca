/**
 * [NON-SPEC] The reconnect policy on its own: [R3] backoff bounds with a scripted random,
 * maxAttempts, retryOn and Retry-After parsing.
 */
import { describe, expect, it } from "vitest";
import { createReconnectPolicy, parseRetryAfter } from "../../src/reconnect-policy.js";

describe("[NON-SPEC] reconnect policy", () => {
  it("[NON-SPEC] fixed: the reconnection time as it is now, capped by maxDelay", () => {
    const policy = createReconnectPolicy({ maxDelay: 5000 });
    expect(policy.next(3000)).toBe(3000);
    expect(policy.next(1000)).toBe(1000);
    expect(policy.next(60_000)).toBe(5000);
  });

  it("[NON-SPEC] exponential full jitter: random × min(maxDelay, base · 2^(n-1))", () => {
    const top = createReconnectPolicy({ backoff: "exponential", maxDelay: 10_000 }, () => 0.999999);
    expect([1, 2, 3, 4, 5, 6].map(() => top.next(1000))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    const bottom = createReconnectPolicy({ backoff: "exponential" }, () => 0);
    expect(bottom.next(1000)).toBe(0);
    const half = createReconnectPolicy({ backoff: "exponential" }, () => 0.5);
    expect(half.next(1000)).toBe(500);
    expect(half.next(1000)).toBe(1000);
  });

  it("[NON-SPEC] exponential: the end of a stream that opened waits within [0, base/2] (n = 0)", () => {
    const policy = createReconnectPolicy({ backoff: "exponential" }, () => 0.999999);
    expect(policy.next(1000)).toBe(1000);
    policy.opened();
    expect(policy.next(1000)).toBe(500);
    // The attempt after it that fails to open is the first failure again.
    expect(policy.next(1000)).toBe(1000);
  });

  it("[NON-SPEC] exponential: a bound that is not a whole number is never passed (an odd base's half, a fractional maxDelay)", () => {
    const policy = createReconnectPolicy({ backoff: "exponential" }, () => 0.999999);
    policy.opened();
    // n = 0 after a stream that opened: [0, 3/2], so at most 1 ms, not 2.
    expect(policy.next(3)).toBe(1);
    const capped = createReconnectPolicy({ backoff: "exponential", maxDelay: 7.5 }, () => 0.999999);
    expect(capped.next(1000)).toBe(7);
  });

  it("[NON-SPEC] exponential without maxDelay is capped at 60 s; a huge failure count stays finite", () => {
    const policy = createReconnectPolicy({ backoff: "exponential" }, () => 0.999999);
    let delay = 0;
    for (let i = 0; i < 2000; i++) delay = policy.next(3000) as number;
    expect(delay).toBe(60_000);
  });

  it("[NON-SPEC] the server's retry: is the base: a new reconnection time scales the next delays", () => {
    const policy = createReconnectPolicy({ backoff: "exponential", maxDelay: 1e6 }, () => 0.999999);
    expect(policy.next(100)).toBe(100);
    expect(policy.next(5000)).toBe(10_000);
  });

  it("[NON-SPEC] maxAttempts: undefined after that many consecutive failures; opened() resets", () => {
    const policy = createReconnectPolicy({ maxAttempts: 3 });
    expect(policy.next(10)).toBe(10);
    expect(policy.next(10)).toBe(10);
    policy.opened();
    expect(policy.failures).toBe(0);
    // The end of the stream that opened is no failed attempt...
    expect(policy.next(10)).toBe(10);
    expect(policy.failures).toBe(0);
    // ...the attempts after it that fail to open are.
    expect(policy.next(10)).toBe(10);
    expect(policy.next(10)).toBe(10);
    expect(policy.next(10)).toBeUndefined();
    expect(policy.failures).toBe(3);
  });

  it("[NON-SPEC] Retry-After replaces the computed delay", () => {
    const policy = createReconnectPolicy({ backoff: "exponential", maxDelay: 10 }, () => 0);
    expect(policy.next(3000, 20_000)).toBe(20_000);
  });

  it("[NON-SPEC] retryOn: a list matches statuses only; a function sees every failure", () => {
    const list = createReconnectPolicy({ retryOn: [502, 503] });
    expect(list.retries({ message: "HTTP 503", status: 503 })).toBe(true);
    expect(list.retries({ message: "HTTP 500", status: 500 })).toBe(false);
    expect(list.retries({ message: "headers function failed: x" })).toBe(false);
    const fn = createReconnectPolicy({ retryOn: (failure) => failure.status === undefined });
    expect(fn.retries({ message: "headers function failed: x" })).toBe(true);
    expect(fn.retries({ message: "HTTP 401", status: 401 })).toBe(false);
    const throwing = createReconnectPolicy({
      retryOn: () => {
        throw new Error("bug");
      },
    });
    expect(throwing.retries({ message: "HTTP 503", status: 503 })).toBe(false);
    expect(createReconnectPolicy({}).retries({ message: "HTTP 503", status: 503 })).toBe(false);
  });

  it("[NON-SPEC] Retry-After: delay-seconds or an HTTP date; anything else is ignored", () => {
    const now = Date.parse("Tue, 24 Nov 2026 05:00:00 GMT");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Tue, 24 Nov 2026 05:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Tue, 24 Nov 2026 04:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("99999999999", now)).toBe(2147483647);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
