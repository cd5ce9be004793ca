/**
 * Hostile servers. With NON-SPEC `maxEventSize`, one endless line or one endless event fails
 * the connection with a clear error while memory stays bounded, and a burst of a million small
 * events streams through in bounded memory. Without it, the spec's behaviour: no limit (a 32 MB
 * line arrives whole), so an endless line grows until memory runs out. Each client runs in a
 * child process that samples its own memory; the figures are printed.
 */
import type { ServerResponse } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sseHeaders, startServer, type TestServer } from "../helpers/server.js";
import { lastJsonLine, runChild } from "./child.js";
import { transports } from "./transports.js";

const CHILD = "test/reliability/children/hostile.ts";
const MB = 1024 * 1024;
/** What the server stops at, so a client that never gives up cannot run the test forever. */
const SERVER_CAP = 512 * MB;
const BURST = 1_000_000;

interface HostileReport {
  outcome: string;
  events: number;
  longest: number;
  rssGrowth: number;
  heapGrowth: number;
}

/** Writes `next()` chunks with backpressure until the client goes or `cap` bytes are out. */
function pump(response: ServerResponse, next: () => string | null, sent: { bytes: number }) {
  const write = () => {
    while (!response.destroyed && sent.bytes < SERVER_CAP) {
      const chunk = next();
      if (chunk === null) {
        response.end();
        return;
      }
      sent.bytes += chunk.length;
      if (!response.write(chunk)) {
        response.once("drain", write);
        return;
      }
    }
  };
  write();
}

describe.each(transports)("hostile server over %s", (name) => {
  let server: TestServer;
  const sent = { bytes: 0 };
  beforeEach(async () => {
    sent.bytes = 0;
    server = await startServer();
    const block = "a".repeat(64 * 1024);
    server.route("/endless-line", (_request, response) => {
      sseHeaders(response);
      response.write("data: ");
      pump(response, () => block, sent);
    });
    const line = `data: ${"b".repeat(1023)}\n`;
    server.route("/endless-event", (_request, response) => {
      sseHeaders(response);
      pump(response, () => line.repeat(64), sent);
    });
    server.route("/burst", (_request, response) => {
      sseHeaders(response);
      let n = 0;
      pump(
        response,
        () => {
          if (n >= BURST) return null;
          let chunk = "";
          for (const end = n + 1000; n < end; n++) chunk += `data: ${n}\n\n`;
          return chunk;
        },
        sent,
      );
    });
    server.route("/big-line", (_request, response) => {
      sseHeaders(response);
      let left = 32;
      response.write("data: ");
      pump(response, () => (left-- > 0 ? "c".repeat(MB) : left === -1 ? "\n\n" : null), sent);
    });
  });
  afterEach(async () => {
    await server.close();
  });

  const run = async (path: string, limit: string, events = 0) => {
    const result = await runChild(CHILD, [server.url(path), name, limit, String(events)], {
      timeout: 90_000,
    });
    expect(result.stderr).toBe("");
    expect(result.killed).toBe(false);
    expect(result.code).toBe(0);
    const report = lastJsonLine<HostileReport>(result.stdout);
    console.info(
      `hostile ${name} ${path} maxEventSize=${limit}: ${report.outcome}; server sent ${(sent.bytes / MB).toFixed(1)} MB; peak RSS +${(report.rssGrowth / MB).toFixed(1)} MB, heap +${(report.heapGrowth / MB).toFixed(1)} MB`,
    );
    return report;
  };

  it("[NON-SPEC] one endless line with maxEventSize 1 MB: fails with a clear error, memory bounded", async () => {
    const report = await run("/endless-line", String(MB));
    expect(report.outcome).toMatch(/^failed: .*maxEventSize/);
    expect(report.events).toBe(0);
    // The client stopped reading: the server never got near its cap.
    expect(sent.bytes).toBeLessThan(64 * MB);
    expect(report.heapGrowth).toBeLessThan(64 * MB);
    expect(report.rssGrowth).toBeLessThan(128 * MB);
  }, 100_000);

  it("[NON-SPEC] one endless event (data lines, no blank line) with maxEventSize 1 MB: fails, memory bounded", async () => {
    const report = await run("/endless-event", String(MB));
    expect(report.outcome).toMatch(/^failed: .*maxEventSize/);
    expect(sent.bytes).toBeLessThan(64 * MB);
    expect(report.heapGrowth).toBeLessThan(64 * MB);
    expect(report.rssGrowth).toBeLessThan(128 * MB);
  }, 100_000);

  it(`[NON-SPEC] a burst of ${BURST} events with maxEventSize set: all delivered, memory bounded`, async () => {
    const report = await run("/burst", "1024", BURST);
    expect(report.outcome).toBe("received");
    expect(report.events).toBe(BURST);
    expect(report.heapGrowth).toBeLessThan(64 * MB);
    expect(report.rssGrowth).toBeLessThan(128 * MB);
  }, 100_000);

  it("without maxEventSize, the spec's behaviour: no limit, a 32 MB line arrives as one event", async () => {
    const report = await run("/big-line", "none", 1);
    expect(report.outcome).toBe("received");
    expect(report.longest).toBe(32 * MB);
  }, 100_000);
});
