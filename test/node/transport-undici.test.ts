/**
 * Edge cases of the undici transport against a real local server: what undici refuses while
 * the request is being dispatched (before any byte leaves) is reported like any other failure,
 * later and once, never from inside the constructor [C16].
 */
import { Agent } from "undici";
import { describe, expect, it } from "vitest";
import { EventSource } from "../../src/entries/node.js";
import type { EventSourceErrorEvent } from "../../src/error-event.js";
import { serverForEachTest } from "../helpers/server.js";

describe("undici transport: failures while dispatching", () => {
  let source: EventSource | undefined;
  const server = serverForEachTest(() => source);

  it.each([
    [
      "a header value undici refuses (a control character)",
      () => ({ headers: { "x-a": "a\u0001b" } }),
    ],
    [
      "a dispatcher already closed",
      () => {
        const agent = new Agent();
        void agent.close();
        return { dispatcher: agent };
      },
    ],
  ])(
    "[C16] %s: no event inside the constructor; later one error, CLOSED, no retry",
    async (_kind, init) => {
      const log: string[] = [];
      const options = init();
      let closed!: () => void;
      const done = new Promise<void>((resolve) => {
        closed = resolve;
      });
      const Watched = class extends EventSource {
        override dispatchEvent(event: Event): boolean {
          log.push(`${event.type} ${this.readyState}`);
          if (this.readyState === EventSource.CLOSED) closed();
          return super.dispatchEvent(event);
        }
      };
      const errors: string[] = [];
      source = new Watched(server.url("/counter"), { ...options, reconnect: { maxAttempts: 2 } });
      log.push("constructed");
      source.onerror = (event) => errors.push((event as EventSourceErrorEvent).message);
      await done;
      expect(log).toEqual(["constructed", "error 2"]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^request failed: /);
      expect(server.requests).toHaveLength(0);
    },
  );
});
