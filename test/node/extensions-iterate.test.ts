/**
 * [NON-SPEC] Async iteration, `for await (const event of source)`, on both Node transports:
 * what it yields, when it ends, that leaving the loop closes the source, and the bounded queue
 * for a slow consumer.
 */
import { describe, expect, it } from "vitest";
import { EventSource, messages, type NodeEventSourceInit } from "../../src/entries/node.js";
import { nextEvent } from "../helpers/events.js";
import { serverForEachTest, sseHeaders } from "../helpers/server.js";
import { transports } from "../reliability/transports.js";

describe.each(transports)("[NON-SPEC] async iteration over %s", (_name, base) => {
  let source: EventSource | undefined;
  const server = serverForEachTest(() => source);
  const open = (path: string, init: NodeEventSourceInit = {}) => {
    source = new EventSource(server.url(path), { ...base, ...init });
    return source;
  };

  /** First connection: `body`, then the stream ends; the reconnection gets a 204 (stop). */
  const once = (path: string, body: string) => {
    server.route(path, (_request, response) => {
      if (server.requestsTo(path).length > 1) {
        response.writeHead(204).end();
        return;
      }
      sseHeaders(response);
      response.end(`retry: 1\n${body}`);
    });
  };

  it("[NON-SPEC] for await yields the message events, and ends when the source closes for good", async () => {
    once("/three", "data: a\n\nevent: other\ndata: skipped\n\ndata: b\n\nid: 9\ndata: c\n\n");
    const es = open("/three");
    const seen: [string, string, string][] = [];
    for await (const event of es) seen.push([event.type, event.data, event.lastEventId]);
    expect(seen).toEqual([
      ["message", "a", ""],
      ["message", "b", ""],
      ["message", "c", "9"],
    ]);
    expect(es.readyState).toBe(EventSource.CLOSED);
  });

  it("[NON-SPEC] messages(source, { types }) yields the given event types", async () => {
    once("/typed", "event: add\ndata: 1\n\ndata: plain\n\nevent: remove\ndata: 2\n\n");
    const es = open("/typed");
    const seen: string[] = [];
    for await (const event of messages(es, { types: ["add", "remove"] })) {
      seen.push(`${event.type}:${event.data}`);
    }
    expect(seen).toEqual(["add:1", "remove:2"]);
  });

  it("[NON-SPEC] break closes the source and its connection", async () => {
    let disconnected!: Promise<void>;
    server.route("/endless", (request, response) => {
      disconnected = new Promise((resolve) => request.on("close", () => resolve()));
      sseHeaders(response);
      response.write("data: 1\n\ndata: 2\n\ndata: 3\n\n");
    });
    const es = open("/endless");
    const seen: string[] = [];
    for await (const event of es) {
      seen.push(event.data);
      if (event.data === "2") break;
    }
    expect(seen).toEqual(["1", "2"]);
    expect(es.readyState).toBe(EventSource.CLOSED);
    await disconnected;
  });

  it("[NON-SPEC] a throw in the loop body closes the source and propagates", async () => {
    server.route("/endless", (_request, response) => {
      sseHeaders(response);
      response.write("data: boom\n\n");
    });
    const es = open("/endless");
    const run = async () => {
      for await (const event of es) throw new Error(`failed on ${event.data}`);
    };
    await expect(run()).rejects.toThrow("failed on boom");
    expect(es.readyState).toBe(EventSource.CLOSED);
  });

  it("[NON-SPEC] close() elsewhere ends a loop that is waiting", async () => {
    const es = open("/stalled");
    await nextEvent(es, "open");
    const loop = (async () => {
      let count = 0;
      for await (const _ of es) count++;
      return count;
    })();
    es.close();
    expect(await loop).toBe(0);
  });

  it("[NON-SPEC] close() ends every loop over the source, not only the first", async () => {
    const es = open("/stalled");
    await nextEvent(es, "open");
    const loop = async (types: string[]) => {
      let count = 0;
      for await (const _ of messages(es, { types })) count++;
      return count;
    };
    const loops = [loop(["a"]), loop(["b"]), loop(["c"])];
    es.close();
    expect(await Promise.all(loops)).toEqual([0, 0, 0]);
  }, 5000);

  it("[NON-SPEC] next() called again before the last one settled: answered in order, none lost", async () => {
    server.route("/two", (_request, response) => {
      sseHeaders(response);
      response.write("data: 1\n\ndata: 2\n\n");
    });
    const es = open("/two");
    const iterator = es[Symbol.asyncIterator]();
    const [first, second] = await Promise.all([iterator.next(), iterator.next()]);
    expect([first.value?.data, second.value?.data]).toEqual(["1", "2"]);
    // Two waiting at close(): both end.
    const pending = [iterator.next(), iterator.next()];
    es.close();
    expect((await Promise.all(pending)).map((result) => result.done)).toEqual([true, true]);
  }, 5000);

  it("[NON-SPEC] iterating a closed source ends at once", async () => {
    const es = open("/stalled");
    es.close();
    const result = await es[Symbol.asyncIterator]().next();
    expect(result.done).toBe(true);
  });

  it("[NON-SPEC] a slow consumer: past maxQueued the iteration fails with a RangeError and the source closes", async () => {
    server.route("/burst", (_request, response) => {
      sseHeaders(response);
      response.write("data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\ndata: 5\n\n");
    });
    const es = open("/burst");
    const iterator = messages(es, { maxQueued: 2 });
    // One next() waits: event 1 goes to it, 2 and 3 are queued, 4 overflows.
    const first = await iterator.next();
    expect(first.value?.data).toBe("1");
    expect(es.readyState).toBe(EventSource.CLOSED);
    expect((await iterator.next()).value?.data).toBe("2");
    expect((await iterator.next()).value?.data).toBe("3");
    await expect(iterator.next()).rejects.toThrow(RangeError);
    expect((await iterator.next()).done).toBe(true);
  });

  it("[NON-SPEC] a consumer that keeps up never hits the limit", async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `data: ${i}\n\n`).join("");
    once("/many", lines);
    const es = open("/many");
    let count = 0;
    for await (const _ of messages(es, { maxQueued: 50 })) count++;
    expect(count).toBe(50);
  });
});
