/**
 * The CLI's `run` in this process, for what a child process cannot show deterministically:
 * Ctrl-C while `--data @-` is still reading stdin.
 */
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../src/cli/run.js";
import { startServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

/** An output stream that keeps what is written. */
const sink = () => {
  const stream = { text: "", write: (text: string) => (stream.text += text) };
  return stream;
};

describe("cli: run", () => {
  it("[NON-SPEC] Ctrl-C while --data @- reads stdin: exit 0 at once, no request sent", async () => {
    const stdin = new PassThrough();
    stdin.write('{"partial":'); // the user is still typing: stdin stays open
    const stop = new AbortController();
    const stderr = sink();
    const status = run([server.url("/counter"), "-d", "@-"], {
      stdout: sink(),
      stderr,
      env: {},
      version: "0",
      signal: stop.signal,
      stdin,
    });
    stop.abort();
    expect(await status).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(stderr.text).toBe("* interrupted\n");
  });

  it("[NON-SPEC] --data @- sends stdin as it was read, multi-byte characters split across chunks", async () => {
    server.route("/echo", (request, response) => {
      let body = "";
      request.setEncoding("utf8").on("data", (chunk: string) => {
        body += chunk;
      });
      request.on("end", () => {
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.end(`data: ${body}\n\n`);
      });
    });
    const stdin = new PassThrough();
    const euro = Buffer.from("€ ok", "utf8");
    stdin.write(euro.subarray(0, 1));
    stdin.end(euro.subarray(1));
    const stdout = sink();
    const status = run([server.url("/echo"), "-d", "@-", "--max-events", "1"], {
      stdout,
      stderr: sink(),
      env: {},
      version: "0",
      stdin,
    });
    expect(await status).toBe(0);
    expect(stdout.text).toBe("message € ok\n");
  });
});
