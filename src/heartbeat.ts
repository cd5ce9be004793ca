/**
 * NON-SPEC: the `heartbeatTimeout` watchdog (§9 "Heartbeat": servers send a comment every
 * ~15 s; a silent connection may be dead without the socket knowing). Every chunk only records
 * the time; the one timer re-arms itself for what is left instead of being cleared and set
 * again per chunk. Times are `performance.now()`'s, which a change of the wall clock does not
 * move (with `Date.now()`, setting the clock back delayed the timeout by as much).
 */
import type { TransportSink } from "./transports/transport.js";

export interface Watchdog {
  /** The sink with the response and every chunk counted as a sign of life. */
  watch(sink: TransportSink): TransportSink;
  /** Start watching a new attempt (the request counts as the first sign of life). */
  start(): void;
  /** Stop the timer: the attempt is over. */
  stop(): void;
}

export function createWatchdog(timeout: number, onTimeout: () => void): Watchdog {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const check = (): void => {
    const idle = performance.now() - last;
    if (idle >= timeout) {
      timer = undefined;
      onTimeout();
    } else {
      timer = setTimeout(check, timeout - idle);
    }
  };

  return {
    watch(sink) {
      // Whatever else the sink carries passes through unchanged.
      return {
        ...sink,
        response(response) {
          last = performance.now();
          sink.response(response);
        },
        chunk(data) {
          last = performance.now();
          sink.chunk(data);
        },
      };
    },
    start() {
      if (timer !== undefined) clearTimeout(timer);
      last = performance.now();
      timer = setTimeout(check, timeout);
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
