/**
 * NON-SPEC: async iteration over a source's messages, `for await (const event of source)`.
 *
 * Slow consumers: messages that arrive while the loop body runs wait in a queue of at most
 * `maxQueued` (default 1024). One more fails the iteration with a `RangeError` saying so and
 * closes the source: silently dropping messages (a token of an LLM answer, a trade) is worse
 * than stopping, and a consumer that cannot keep up would otherwise grow memory without bound.
 *
 * Written without async generators, so the ES5 build stays free of generator helpers.
 */

import type { StringMessageEvent } from "./dom-types.js";

/** What iteration needs from a source; the EventSource provides `_whenClosed`. */
export interface IterableSource extends EventTarget {
  readonly readyState: number;
  close(): void;
  /** @internal Run `hook` once when the source closes for good; returns the unsubscribe. */
  _whenClosed(hook: () => void): () => void;
}

export interface MessagesOptions {
  /** Event types to yield. Default `["message"]` (events without an `event:` field). */
  types?: string[];
  /** Messages held while the loop body is busy before the iteration fails. Default 1024. */
  maxQueued?: number;
}

const CLOSED = 2;
const DEFAULT_MAX_QUEUED = 1024;

/**
 * The messages of `source` as an async iterator. It ends when the source closes for good
 * (`close()`, the `signal`, a failed connection; listen to `error` for why); leaving the loop
 * early (`break`, `return`, a throw) closes the source.
 */
export function messages(
  source: IterableSource,
  options: MessagesOptions = {},
): AsyncIterableIterator<StringMessageEvent> {
  const types = options.types ?? ["message"];
  const maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
  if (!Array.isArray(types) || types.some((type) => typeof type !== "string")) {
    throw new TypeError("messages(): types must be an array of event type strings");
  }
  if (!(typeof maxQueued === "number" && maxQueued >= 0)) {
    throw new TypeError("messages(): maxQueued must be a number, at least 0");
  }

  const queue: StringMessageEvent[] = [];
  // The next() calls not yet answered, oldest first: a caller may make several without
  // awaiting each (the async iterator protocol answers them in order), and none may be lost.
  const waiting: ((result: IteratorResult<StringMessageEvent>) => void)[] = [];
  let failure: Error | undefined;
  let ended = false;

  const onMessage = (event: Event): void => {
    if (ended) return;
    const message = event as StringMessageEvent;
    const resolve = waiting.shift();
    if (resolve !== undefined) {
      resolve({ value: message, done: false });
    } else if (queue.length < maxQueued) {
      queue.push(message);
    } else {
      failure = new RangeError(
        `messages(): more than ${maxQueued} messages arrived while the loop was busy; ` +
          "the source was closed (raise maxQueued, or process messages faster)",
      );
      finish(true);
    }
  };

  const unsubscribe = (): void => {
    for (const type of types) source.removeEventListener(type, onMessage);
    stopWatching();
  };

  /**
   * No more messages: settle the waiting `next()` calls (none waits on an overflow: the queue
   * was full), and with `close`, close the source.
   */
  const finish = (close: boolean): void => {
    if (ended) return;
    ended = true;
    unsubscribe();
    if (close) source.close();
    for (const resolve of waiting.splice(0)) resolve({ value: undefined, done: true });
  };

  for (const type of types) source.addEventListener(type, onMessage);
  const stopWatching = source._whenClosed(() => finish(false));
  if (source.readyState === CLOSED) finish(false);

  const done = (): Promise<IteratorResult<StringMessageEvent>> =>
    Promise.resolve({ value: undefined, done: true });

  const iterator: AsyncIterableIterator<StringMessageEvent> = {
    next() {
      // Queued messages first; an overflow is reported where the lost message would have been.
      const message = queue.shift();
      if (message !== undefined) return Promise.resolve({ value: message, done: false });
      if (failure !== undefined) {
        const error = failure;
        failure = undefined;
        return Promise.reject(error);
      }
      if (ended) return done();
      return new Promise((resolve) => {
        waiting.push(resolve);
      });
    },
    return() {
      // The loop was left early: the source has no reader any more.
      queue.length = 0;
      finish(true);
      return done();
    },
    throw(error?: unknown) {
      queue.length = 0;
      finish(true);
      return Promise.reject(error);
    },
  } as AsyncIterableIterator<StringMessageEvent>;
  // Old browsers have no Symbol: there the iterator still works through next().
  if (typeof Symbol === "function" && Symbol.asyncIterator !== undefined) {
    iterator[Symbol.asyncIterator] = () => iterator;
  }
  return iterator;
}
