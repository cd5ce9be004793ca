/**
 * The demo's data: a ticking price feed. Every event gets the next numeric `id` and is kept in
 * a bounded history, so a client that comes back with `Last-Event-ID` gets what it missed.
 * Most events are `event: price` (JSON); every eighth is an unnamed multi-line `message`.
 */
import { MAX_TIMER_DELAY } from "../event-source.js";

export interface FeedEvent {
  id: number;
  /** The event as it goes on the wire, blank line included. */
  text: string;
}

export interface PriceFeed {
  /** Events after `id` still in the history, oldest first. */
  since(id: number): FeedEvent[];
  /** Calls `listener` with each new event; returns the unsubscribe function. */
  subscribe(listener: (event: FeedEvent) => void): () => void;
  stop(): void;
}

const HISTORY = 1000;
const SUMMARY_EVERY = 8;

export function startPriceFeed(ratePerSecond: number): PriceFeed {
  const prices = new Map([
    ["ACME", 101.5],
    ["GLOBEX", 48.2],
    ["INITECH", 12.75],
  ]);
  const symbols = [...prices.keys()];
  const history: FeedEvent[] = [];
  const listeners = new Set<(event: FeedEvent) => void>();
  let id = 0;

  const next = (): string => {
    id++;
    if (id % SUMMARY_EVERY === 0) {
      const lines = symbols.map((symbol) => `${symbol} ${prices.get(symbol)?.toFixed(2)}`);
      return `id: ${id}\n${["market summary", ...lines].map((line) => `data: ${line}\n`).join("")}\n`;
    }
    const symbol = symbols[id % symbols.length] as string;
    const before = prices.get(symbol) as number;
    // A small random walk, in cents.
    const price = Math.max(0.01, Math.round(before * 100 + (Math.random() - 0.5) * 40) / 100);
    prices.set(symbol, price);
    const change = Math.round((price - before) * 100) / 100;
    return `event: price\nid: ${id}\ndata: ${JSON.stringify({ symbol, price, change })}\n\n`;
  };

  const tick = setInterval(
    () => {
      const text = next();
      const event = { id, text };
      history.push(event);
      if (history.length > HISTORY) history.shift();
      for (const listener of listeners) listener(event);
    },
    // Node runs a timer longer than it can hold (a tiny --rate) every 1 ms instead: cap it.
    Math.min(MAX_TIMER_DELAY, Math.max(1, Math.round(1000 / ratePerSecond))),
  );

  return {
    since: (after) => history.filter((event) => event.id > after),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => clearInterval(tick),
  };
}
