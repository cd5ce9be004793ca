import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventSource } from "../../src/entries/node.js";
import { record } from "../helpers/events.js";
import { startServer, type TestServer } from "../helpers/server.js";

const transports = {
  undici: {},
  fetch: { fetch: globalThis.fetch },
};

describe.each(Object.entries(transports))("smoke over %s", (_name, extra) => {
  let server: TestServer;
  let source: EventSource | undefined;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    source?.close();
    await server.close();
  });

  it("opens, receives, reconnects with Last-Event-ID", async () => {
    source = new EventSource(server.url("/counter?retry=10"), extra);
    const { finished } = record(
      source,
      ["open", "message", "error"],
      (log) => log.filter((e) => e.type === "message").length >= 6,
    );
    const log = await finished;
    expect(log.slice(0, 5)).toEqual([
      { type: "open", readyState: 1 },
      { type: "message", data: "1", lastEventId: "1", origin: server.origin, readyState: 1 },
      { type: "message", data: "2", lastEventId: "2", origin: server.origin, readyState: 1 },
      { type: "message", data: "3", lastEventId: "3", origin: server.origin, readyState: 1 },
      { type: "error", readyState: 0 },
    ]);
    const requests = server.requestsTo("/counter");
    expect(requests[0]?.headers["last-event-id"]).toBeUndefined();
    expect(requests[1]?.headers["last-event-id"]).toBe("3");
    expect(requests[0]?.headers.accept).toBe("text/event-stream");
  });
});
