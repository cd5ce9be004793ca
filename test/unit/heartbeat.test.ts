/**
 * [NON-SPEC] The heartbeatTimeout watchdog with fake timers: every chunk (and the response)
 * counts as a sign of life, silence for the whole timeout fires once, stop() leaves no timer.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createWatchdog } from "../../src/heartbeat.js";
import type { TransportSink } from "../../src/transports/transport.js";

describe("[NON-SPEC] heartbeat watchdog", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const sink = (): TransportSink & { chunks: unknown[] } => {
    const chunks: unknown[] = [];
    return {
      chunks,
      response: () => chunks.push("response"),
      chunk: (data) => chunks.push(data),
      end: () => chunks.push("end"),
      error: () => chunks.push("error"),
      restart: () => false,
    };
  };

  it("[NON-SPEC] the wall clock set back does not delay the timeout (monotonic time)", () => {
    let fired = 0;
    const watchdog = createWatchdog(1000, () => fired++);
    watchdog.start();
    vi.advanceTimersByTime(500);
    vi.setSystemTime(Date.now() - 3_600_000);
    vi.advanceTimersByTime(500);
    expect(fired).toBe(1);
  });

  it("[NON-SPEC] fires after the timeout of silence, once", () => {
    let fired = 0;
    const watchdog = createWatchdog(1000, () => fired++);
    watchdog.start();
    vi.advanceTimersByTime(999);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(1);
    vi.advanceTimersByTime(10_000);
    expect(fired).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("[NON-SPEC] every chunk and the response reset the wait; the sink still hears everything", () => {
    let fired = 0;
    const watchdog = createWatchdog(1000, () => fired++);
    const inner = sink();
    const watched = watchdog.watch(inner);
    watchdog.start();
    vi.advanceTimersByTime(900);
    watched.response({ status: 200, url: "http://x/", headers: new Headers() });
    vi.advanceTimersByTime(900);
    watched.chunk(":\n");
    vi.advanceTimersByTime(900);
    watched.chunk(new Uint8Array([58, 10]));
    vi.advanceTimersByTime(999);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(1);
    watched.end();
    expect(inner.chunks).toEqual(["response", ":\n", new Uint8Array([58, 10]), "end"]);
  });

  it("[NON-SPEC] a single timer re-arms itself: chunks set no timers", () => {
    const watchdog = createWatchdog(1000, () => {});
    const watched = watchdog.watch(sink());
    watchdog.start();
    for (let i = 0; i < 100; i++) watched.chunk("x");
    expect(vi.getTimerCount()).toBe(1);
  });

  it("[NON-SPEC] stop() clears the timer; start() begins a fresh wait", () => {
    let fired = 0;
    const watchdog = createWatchdog(1000, () => fired++);
    watchdog.start();
    vi.advanceTimersByTime(500);
    watchdog.stop();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5000);
    expect(fired).toBe(0);
    watchdog.start();
    vi.advanceTimersByTime(1000);
    expect(fired).toBe(1);
  });
});
