/**
 * DESIGN "Decisions": after close(), and after the connection fails, nothing of the source
 * keeps Node alive. Each case is a child process that must exit by itself, with code 0, on
 * both transports. (test/node/event-source.process-lifetime.test.ts covers close() during the
 * reconnection gap of a server that ended the stream.)
 */
import { createGzip } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sseHeaders, startServer, type TestServer } from "../helpers/server.js";
import { runChild } from "./child.js";
import { type RawServer, startRawServer } from "./raw-server.js";
import { transports } from "./transports.js";

const CHILD = "test/reliability/children/exit.ts";

describe.each(transports)("nothing keeps Node alive over %s", (name) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
    // An open stream that never ends by itself.
    server.route("/open", (_request, response) => {
      sseHeaders(response);
      response.write("data: 1\n\n");
    });
    server.route("/open-gzip", (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream", "content-encoding": "gzip" });
      const gzip = createGzip();
      gzip.pipe(response);
      gzip.write("data: 1\n\n");
      gzip.flush();
    });
  });
  afterEach(async () => {
    await server.close();
  });

  const run = async (url: string, mode: string) => {
    const result = await runChild(CHILD, [url, name, mode], { timeout: 15_000 });
    expect(result.stderr).toBe("");
    expect(result.killed).toBe(false);
    expect(result.code).toBe(0);
    return result.stdout;
  };

  it("after close() on an open stream with more to come", async () => {
    expect(await run(server.url("/open"), "close-after-message")).toBe("open\nmessage 1\n");
  });

  it("[NON-SPEC] after close() on an open gzip stream (the decoder is released too)", async () => {
    expect(await run(server.url("/open-gzip"), "close-after-message")).toBe("open\nmessage 1\n");
  });

  it("§3.3 after the connection fails (HTTP 500), with no close()", async () => {
    expect(await run(server.url("/status/500"), "none")).toBe("failed\n");
  });

  it("§3.3 after the connection fails (wrong Content-Type), with no close()", async () => {
    expect(await run(server.url("/content-type?type=text/plain"), "none")).toBe("failed\n");
  });

  it("after close() on a reconnecting source (connection refused)", async () => {
    const port = Number(new URL(server.origin).port);
    await server.close();
    expect(await run(`http://127.0.0.1:${port}/`, "close-on-error")).toBe("error\n");
    server = await startServer();
  });

  it("after close() while the request waits for a server that never answers", async () => {
    let raw: RawServer | undefined;
    try {
      raw = await startRawServer(() => {});
      expect(await run(raw.url("/"), "close-while-connecting")).toBe("");
    } finally {
      await raw?.close();
    }
  });
});
