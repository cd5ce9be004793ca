/**
 * NON-SPEC `heartbeatTimeout` against a server that sends its headers and a first line, then
 * nothing: without the option the source stays OPEN (faults.test.ts); with it, the silent
 * connection is reestablished.
 */
import { describe, expect, it } from "vitest";
import { EventSource } from "../../src/entries/node.js";
import type { EventSourceErrorEvent } from "../../src/error-event.js";
import { nextEvent } from "../helpers/events.js";
import { serverForEachTest, sseHeaders } from "../helpers/server.js";
import { runChild } from "./child.js";
import { transports } from "./transports.js";

describe.each(transports)("heartbeatTimeout over %s", (name, init) => {
  let source: EventSource | undefined;
  const server = serverForEachTest(() => source);

  it("[NON-SPEC] headers then a stall: reestablished once nothing arrived for heartbeatTimeout", async () => {
    const dropped: Promise<void>[] = [];
    server.route("/stall-after-retry", (_request, response) => {
      dropped.push(new Promise((resolve) => response.on("close", () => resolve())));
      sseHeaders(response);
      // A short reconnection time, then silence.
      response.write("retry: 10\n\n");
    });
    source = new EventSource(server.url("/stall-after-retry"), { ...init, heartbeatTimeout: 100 });
    await nextEvent(source, "open");
    const error = await nextEvent<EventSourceErrorEvent>(source, "error");
    expect(source.readyState).toBe(EventSource.CONNECTING);
    expect(error.willReconnect).toBe(true);
    await server.waitForRequests("/stall-after-retry", 2);
    await nextEvent(source, "open");
    // The silent connection was dropped, not left open beside the new one.
    await dropped[0];
  });

  it("[NON-SPEC] nothing keeps Node alive after close() on the error of a heartbeatTimeout", async () => {
    const result = await runChild(
      "test/reliability/children/exit.ts",
      [server.url("/stalled"), name, "heartbeat"],
      { timeout: 15_000 },
    );
    expect(result.killed).toBe(false);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("open\nerror\n");
  });
});
