/**
 * Security on the Node transports: credentials stay with their origin (across a redirect and
 * across the reconnection that follows it), an event ID cannot inject or wedge anything,
 * non-http(s) URLs fail without touching a local file, redirect loops end. (withCredentials
 * and cookies cross-origin are browser matters: the Chromium suite tests them.)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventSource } from "../../src/entries/node.js";
import type { EventSourceErrorEvent } from "../../src/error-event.js";
import { nextEvent } from "../helpers/events.js";
import { sseHeaders, startServer, type TestServer } from "../helpers/server.js";
import { transports } from "./transports.js";

describe.each(transports)("security over %s", (_name, init) => {
  let first: TestServer;
  let second: TestServer;
  let source: EventSource | undefined;
  beforeEach(async () => {
    first = await startServer();
    second = await startServer();
  });
  afterEach(async () => {
    source?.close();
    await first.close();
    await second.close();
  });

  const credentials = () => {
    const headers = new Headers();
    headers.set("AUTHORIZATION", "Bearer secret");
    headers.set("Cookie", "session=1");
    headers.set("Proxy-Authorization", "Basic cHJveHk=");
    headers.set("X-Trace", "kept");
    return headers;
  };

  it.each([
    ["a Headers object", () => credentials()],
    ["a headers function", () => () => credentials()],
  ])(
    "[NON-SPEC] credentials from %s reach neither the redirect's other origin nor its reconnections",
    async (_label, make) => {
      const to = second.url("/counter?count=1&retry=1");
      source = new EventSource(first.url(`/redirect?status=307&to=${encodeURIComponent(to)}`), {
        ...init,
        headers: make(),
      });
      // The redirected request, then two reconnections straight to the final URL.
      const requests = await second.waitForRequests("/counter", 3);
      source.close();
      expect(first.requestsTo("/redirect")[0]?.headers.authorization).toBe("Bearer secret");
      for (const request of requests) {
        expect(request.headers.authorization).toBeUndefined();
        expect(request.headers.cookie).toBeUndefined();
        expect(request.headers["proxy-authorization"]).toBeUndefined();
        expect(request.headers["x-trace"]).toBe("kept");
      }
    },
  );

  /** `server`'s URL for `path`, with `userinfo` (as written in a URL) before the host. */
  const withUserinfo = (server: TestServer, path: string, userinfo: string) =>
    server.url(path).replace("http://", `http://${userinfo}@`);
  const basic = (credentials: string) =>
    `Basic ${Buffer.from(credentials, "utf8").toString("base64")}`;

  it("[NON-SPEC] credentials in the URL go as Basic authorization, on every attempt; the URL keeps them", async () => {
    const url = withUserinfo(first, "/counter?count=1&retry=1", "us%20er:p%C3%A4ss");
    source = new EventSource(url, init);
    expect(source.url).toBe(url);
    // The first request and two reconnections, all authorized (fetch refused the URL itself:
    // every attempt failed before).
    const requests = await first.waitForRequests("/counter", 3);
    for (const request of requests) {
      expect(request.headers.authorization).toBe(basic("us er:päss"));
    }
  });

  it("[NON-SPEC] a user name alone goes as `user:` with an empty password (RFC 7617 user-pass), as curl sends it", async () => {
    source = new EventSource(withUserinfo(first, "/counter?count=1", "token"), init);
    await nextEvent(source, "message");
    expect(first.requestsTo("/counter")[0]?.headers.authorization).toBe(basic("token:"));
  });

  it("[NON-SPEC] an authorization header given wins over credentials in the URL", async () => {
    source = new EventSource(withUserinfo(first, "/counter?count=1", "user:pass"), {
      ...init,
      headers: { Authorization: "Bearer token" },
    });
    await nextEvent(source, "message");
    expect(first.requestsTo("/counter")[0]?.headers.authorization).toBe("Bearer token");
  });

  it("[NON-SPEC] credentials in the URL reach neither a redirect's other origin nor its reconnections", async () => {
    const to = second.url("/counter?count=1&retry=1");
    source = new EventSource(
      withUserinfo(first, `/redirect?status=307&to=${encodeURIComponent(to)}`, "user:pass"),
      init,
    );
    const requests = await second.waitForRequests("/counter", 3);
    source.close();
    expect(first.requestsTo("/redirect")[0]?.headers.authorization).toBe(basic("user:pass"));
    for (const request of requests) expect(request.headers.authorization).toBeUndefined();
  });

  it("[P-id] an id containing NUL is ignored: neither lastEventId nor Last-Event-ID change", async () => {
    first.route("/nul-id", (request, response) => {
      sseHeaders(response);
      if (request.headers["last-event-id"] === undefined) {
        response.end("retry: 1\nid: 1\ndata: a\n\nid: 2\0evil\ndata: b\n\n");
      } else {
        response.end();
      }
    });
    source = new EventSource(first.url("/nul-id"), init);
    const ids: string[] = [];
    source.onmessage = (event) => ids.push(event.lastEventId);
    await first.waitForRequests("/nul-id", 2);
    expect(ids).toEqual(["1", "1"]);
    expect(first.requestsTo("/nul-id")[1]?.headers["last-event-id"]).toBe("1");
  });

  it("[I2] an id cannot inject a header line: CR and LF end the line, the rest is another field", async () => {
    first.route("/inject", (request, response) => {
      sseHeaders(response);
      if (request.headers["last-event-id"] === undefined) {
        response.end(
          "retry: 1\nid: 1\rX-Injected: yes\ndata: a\n\nid: 2\r\nSet-Cookie: x=1\ndata: b\n\n",
        );
      } else {
        response.end();
      }
    });
    source = new EventSource(first.url("/inject"), init);
    const [, reconnection] = await first.waitForRequests("/inject", 2);
    expect(reconnection?.headers["last-event-id"]).toBe("2");
    expect(reconnection?.headers["x-injected"]).toBeUndefined();
    expect(reconnection?.headers["set-cookie"]).toBeUndefined();
  });

  it("[NON-SPEC] a lastEventId option with CR LF injects nothing and is left out", async () => {
    source = new EventSource(first.url("/counter?count=1"), {
      ...init,
      lastEventId: "1\r\nX-Injected: yes",
    });
    await nextEvent(source, "message");
    const [request] = first.requestsTo("/counter");
    expect(request?.headers["x-injected"]).toBeUndefined();
    expect(request?.headers["last-event-id"]).toBeUndefined();
  });

  it("an id that is not a valid header value (a control character) does not wedge the source", async () => {
    first.route("/control-id", (_request, response) => {
      sseHeaders(response);
      const attempt = first.requestsTo("/control-id").length;
      response.end(
        attempt === 1 ? "retry: 1\nid: a\u0001b\ndata: one\n\n" : `data: again ${attempt}\n\n`,
      );
    });
    source = new EventSource(first.url("/control-id"), init);
    const data: string[] = [];
    source.onmessage = (event) => data.push(event.data);
    const requests = await first.waitForRequests("/control-id", 3);
    await nextEvent(source, "message");
    // Reconnected, twice, and kept receiving; the ID was never sent.
    expect(data.slice(0, 2)).toEqual(["one", "again 2"]);
    expect(requests.every((request) => request.headers["last-event-id"] === undefined)).toBe(true);
  });

  it("[C15.2] a redirect loop fails after 20 redirects with a clear error, no retry", async () => {
    first.route("/loop", (_request, response) => {
      response.writeHead(302, { location: "/loop" });
      response.end();
    });
    source = new EventSource(first.url("/loop"), init);
    const error = await nextEvent<EventSourceErrorEvent>(source, "error");
    expect(source.readyState).toBe(EventSource.CLOSED);
    expect(error.willReconnect).toBe(false);
    expect(error.message).toMatch(/redirect/);
    // The first request and 20 redirects followed.
    expect(first.requestsTo("/loop")).toHaveLength(21);
  });

  describe("URLs that are not http(s)", () => {
    let directory: string;
    beforeEach(() => {
      directory = mkdtempSync(join(tmpdir(), "ues-file-"));
      writeFileSync(join(directory, "secret.txt"), "data: local file content\n\n");
    });
    afterEach(() => {
      rmSync(directory, { recursive: true, force: true });
    });

    it("[C15.2] a redirect to a file: URL fails, and the file is never read", async () => {
      const file = pathToFileURL(join(directory, "secret.txt")).href;
      source = new EventSource(first.url(`/redirect?to=${encodeURIComponent(file)}`), init);
      const messages: string[] = [];
      source.onmessage = (event) => messages.push(event.data);
      const error = await nextEvent<EventSourceErrorEvent>(source, "error");
      expect(source.readyState).toBe(EventSource.CLOSED);
      expect(error.message).toMatch(/non-http|scheme/i);
      expect(messages).toEqual([]);
    });

    it.each(["file:", "ftp:", "ws:"])(
      "[C15.2] the constructor accepts a %s URL (it parses); the connection fails, no retry, no file read",
      async (scheme) => {
        const file = pathToFileURL(join(directory, "secret.txt"));
        const url =
          scheme === "file:" ? file.href : `${scheme}//127.0.0.1:${new URL(first.origin).port}/`;
        source = new EventSource(url, init);
        expect(source.url).toBe(url);
        const messages: string[] = [];
        source.onmessage = (event) => messages.push(event.data);
        const error = await nextEvent<EventSourceErrorEvent>(source, "error");
        expect(source.readyState).toBe(EventSource.CLOSED);
        expect(error.willReconnect).toBe(false);
        expect(error.message).toContain(scheme);
        expect(messages).toEqual([]);
        // Nothing reached the server either.
        expect(first.requests).toEqual([]);
      },
    );
  });
});
