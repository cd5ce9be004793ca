/** Waiting for events without sleeps: every wait is bounded by the test's timeout. */

/** Resolves with the next event of `type` dispatched on `target`. */
export function nextEvent<T extends Event = Event>(target: EventTarget, type: string): Promise<T> {
  return new Promise((resolve) => {
    target.addEventListener(type, (event) => resolve(event as T), { once: true });
  });
}

export interface Recorded {
  type: string;
  data?: string;
  lastEventId?: string;
  origin?: string;
  readyState: number;
}

/**
 * Records every event of the given types (with the readyState seen inside the listener) and
 * resolves once `done(log)` returns true, with the log as it was then (later events still go
 * into `log`).
 */
export function record(
  source: EventTarget & { readyState: number },
  types: string[],
  done: (log: Recorded[]) => boolean,
): { log: Recorded[]; finished: Promise<Recorded[]> } {
  const log: Recorded[] = [];
  let resolve!: (log: Recorded[]) => void;
  const finished = new Promise<Recorded[]>((r) => {
    resolve = r;
  });
  for (const type of types) {
    source.addEventListener(type, (event) => {
      const entry: Recorded = { type: event.type, readyState: source.readyState };
      if (event instanceof MessageEvent) {
        entry.data = event.data;
        entry.lastEventId = event.lastEventId;
        entry.origin = event.origin;
      }
      log.push(entry);
      if (done(log)) resolve(log.slice());
    });
  }
  return { log, finished };
}
