/**
 * The demo's server in this process, for what a child process cannot show deterministically:
 * a feed event that comes right after the deliberate drop, before the response has closed.
 */
import { expect, it } from "vitest";
import type { FeedEvent, PriceFeed } from "../../src/demo/feed.js";
import { startDemoServer } from "../../src/demo/server.js";

it("an event published between the drop and the response's close is not written after its end", async () => {
  const listeners = new Set<(event: FeedEvent) => void>();
  const feed: PriceFeed = {
    since: () => [],
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => {},
  };
  const server = await startDemoServer({
    port: 0,
    feed,
    disconnectEvery: 10,
    iife: new URL("file:///nonexistent.js"),
    log: (text) => {
      // The drop logs, then ends the response; the feed's next tick (at --rate 1000, in the
      // same round of timers) publishes before the response has closed.
      if (!text.includes("dropping")) return;
      process.nextTick(() => {
        for (const listener of listeners) listener({ id: 1, text: "id: 1\ndata: late\n\n" });
      });
    },
  });
  try {
    const response = await fetch(new URL("/events", server.url));
    // The stream ends at the drop; before, the late event was written after the end, and the
    // error that makes (emitted on the response, which nobody listens to) crashed the server.
    expect(await response.text()).toBe("retry: 1000\n\n");
  } finally {
    await server.close();
  }
});
