/**
 * NON-SPEC: the `heartbeatTimeout` watchdog (§9 "Heartbeat": servers send a comment every
 * ~15 s; a silent connection may be dead without the socket knowing). Every chunk only records
 * the time; the one timer re-arms itself for what is left instead of being cleared and set
 * again per chunk.
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
    const idle = Date.now() - last;
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
          last = Date.now();
          sink.response(response);
        },
        chunk(data) {
          last = Date.now();
          sink.chunk(data);
        },
      };
    },
    start() {
      if (timer !== undefined) clearTimeout(timer);
      last = Date.now();
      timer = setTimeout(check, timeout);
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
