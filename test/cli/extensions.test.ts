/**
 * The built CLI's flags for the library's NON-SPEC options (method and body, reconnect policy,
 * heartbeat), as a user runs them: a child process against a local server.
 */
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sseHeaders } from "../helpers/server.js";
import { cli, lines, serverPerTest } from "./child.js";

const server = serverPerTest();

describe("cli: flags for the extension options", () => {
  /** Answers with the request's method and body as one event, then holds the stream open. */
  const echo = () =>
    server().route("/echo", (request, response) => {
      let body = "";
      request.setEncoding("utf8").on("data", (chunk: string) => {
        body += chunk;
      });
      request.on("end", () => {
        sseHeaders(response);
        response.write(`data: ${request.method} ${JSON.stringify(body)}\n\n`);
      });
    });

  it("[NON-SPEC] -d sends the body with POST by default (method, body)", async () => {
    echo();
    const child = cli([server().url("/echo"), "-d", '{"q":1}', "--max-events", "1"]);
    expect(await child.exited).toBe(0);
    expect(child.stdout).toBe('message POST "{\\"q\\":1}"\n');
  });

  it("[NON-SPEC] -X with --data @file sends that method and the file's content", async () => {
    echo();
    const file = join(tmpdir(), `ues-cli-${process.pid}-body.json`);
    writeFileSync(file, "from a file\n");
    try {
      const child = cli([
        server().url("/echo"),
        "-X",
        "put",
        "--data",
        `@${file}`,
        "--max-events",
        "1",
      ]);
      expect(await child.exited).toBe(0);
      expect(child.stdout).toBe('message PUT "from a file\\n"\n');
    } finally {
      rmSync(file);
    }
  });

  it("[NON-SPEC] --data @- reads the body from stdin", async () => {
    echo();
    const child = cli([server().url("/echo"), "-d", "@-", "--max-events", "1"], { stdin: "piped" });
    expect(await child.exited).toBe(0);
    expect(child.stdout).toBe('message POST "piped"\n');
  });

  it("[NON-SPEC] --retry-max N: after N failed attempts in a row, exit 1 with the reason", async () => {
    server().route("/flaky", (request, response) => {
      // The first connection works; every later one fails at the network level.
      if (server().requestsTo("/flaky").length > 1) {
        request.socket.destroy();
        return;
      }
      sseHeaders(response);
      response.end("retry: 10\nid: 1\ndata: only\n\n");
    });
    const child = cli([server().url("/flaky"), "--retry-max", "2"]);
    expect(await child.exited).toBe(1);
    expect(child.stdout).toBe("message [1] only\n");
    // How attempts are counted is the library's business (its own tests); here: N reached it,
    // the source gave up by itself, and the reason is the last line.
    expect(server().requestsTo("/flaky").length).toBeLessThanOrEqual(3);
    expect(lines(child.stderr).at(-1)).toMatch(/^\* failed for good: .*\b2\b.*maxAttempts/);
  });

  it("[NON-SPEC] --heartbeat-timeout: a silent stream is dropped and reconnected", async () => {
    // --max-delay keeps the wait after the drop short (the default reconnection time is 3 s).
    const child = cli([
      server().url("/stalled"),
      "--heartbeat-timeout",
      "300ms",
      "--max-delay",
      "10ms",
    ]);
    await server().waitForRequests("/stalled", 2);
    child.process.kill("SIGINT");
    expect(await child.exited).toBe(0);
    expect(child.stderr).toMatch(/^\* no data for 300 ms.*; reconnecting in /m);
  });

  it("[NON-SPEC] --retry-on: a listed status reconnects (after Retry-After) instead of failing", async () => {
    server().route("/busy", (_request, response) => {
      if (server().requestsTo("/busy").length === 1) {
        response.writeHead(503, { "retry-after": "0" }).end();
        return;
      }
      sseHeaders(response);
      response.write("data: back\n\n");
    });
    const child = cli([server().url("/busy"), "--retry-on", "502,503", "--max-events", "1"]);
    expect(await child.exited).toBe(0);
    expect(child.stdout).toBe("message back\n");
    expect(lines(child.stderr)).toContain("* HTTP 503; reconnecting in 0 ms");
  });

  it("[NON-SPEC] --backoff exponential with --max-delay: jittered waits under the cap", async () => {
    server().route("/short", (_request, response) => {
      sseHeaders(response);
      // The server asks for 5 s; the cap must win.
      response.end("retry: 5000\ndata: x\n\n");
    });
    const child = cli([server().url("/short"), "--backoff", "exponential", "--max-delay", "50ms"]);
    await server().waitForRequests("/short", 4);
    child.process.kill("SIGINT");
    expect(await child.exited).toBe(0);
    const delays = [...child.stderr.matchAll(/reconnecting in (\d+) ms/g)].map((m) => Number(m[1]));
    expect(delays.length).toBeGreaterThanOrEqual(3);
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(50);
    // Fixed backoff would wait exactly the cap every time; full jitter almost never does.
    expect(delays.every((delay) => delay === 50)).toBe(false);
  });

  it("[NON-SPEC] --max-event-size: an oversized event fails the connection, exit 1", async () => {
    const body = `data: ${"x".repeat(100)}\n\n`;
    const child = cli([
      server().url(`/stream?body=${encodeURIComponent(body)}`),
      "--max-event-size",
      "10",
    ]);
    expect(await child.exited).toBe(1);
    expect(child.stdout).toBe("");
    expect(lines(child.stderr).at(-1)).toMatch(/^\* failed for good: .*\b10\b/);
  });
});
