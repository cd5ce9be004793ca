/**
 * Unusual but legal HTTP from a server, on both Node transports, mostly written by hand so
 * that node:http cannot tidy it up: the client must do what fetch does with it.
 */
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { EventSource } from "../../src/entries/node.js";
import { nextEvent } from "../helpers/events.js";
import { startServer } from "../helpers/server.js";
import { type RawRequest, type RawServer, startRawServer } from "./raw-server.js";
import { transports } from "./transports.js";

const EVENT_STREAM_HEAD = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n";

describe.each(transports)("unusual HTTP over %s", (_name, init) => {
  let server: RawServer | undefined;
  let source: EventSource | undefined;
  afterEach(async () => {
    source?.close();
    await server?.close();
    server = undefined;
  });

  it("[C15] a redirect is followed at its headers, as fetch does: a redirect body that never ends does not hold the source", async () => {
    server = await startRawServer((request: RawRequest, socket: Socket) => {
      if (request.path === "/target") {
        socket.write(`${EVENT_STREAM_HEAD}data: redirected\n\n`);
        return;
      }
      // A body announced as 100 bytes, of which 3 come: it never completes.
      socket.write("HTTP/1.1 302 Found\r\nlocation: /target\r\ncontent-length: 100\r\n\r\nabc");
    });
    source = new EventSource(server.url("/start"), init);
    const event = await nextEvent<MessageEvent>(source, "message");
    expect(event.data).toBe("redirected");
    expect(event.origin).toBe(server.origin);
  });

  it("[C15] a Location of raw UTF-8 bytes is read as UTF-8, as fetch reads it", async () => {
    const paths: string[] = [];
    server = await startRawServer((request: RawRequest, socket: Socket) => {
      paths.push(request.path);
      if (request.path !== "/start") {
        socket.write(`${EVENT_STREAM_HEAD}data: redirected\n\n`);
        return;
      }
      socket.end(
        Buffer.from(
          "HTTP/1.1 302 Found\r\nlocation: /caf\u00e9\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
          "utf8",
        ),
      );
    });
    source = new EventSource(server.url("/start"), init);
    await nextEvent(source, "message");
    expect(paths).toEqual(["/start", "/caf%C3%A9"]);
  });

  it("[NON-SPEC] a redirect that turns a POST into a GET drops the body and every request-body header, as fetch does", async () => {
    const test = await startServer();
    try {
      source = new EventSource(test.url("/redirect?status=303&to=/counter?count=1"), {
        ...init,
        method: "POST",
        body: "{}",
        headers: {
          "content-type": "application/json",
          "content-encoding": "identity",
          "content-language": "en",
          "content-location": "/body",
          "x-kept": "1",
        },
      });
      const [redirected] = await test.waitForRequests("/counter", 1);
      expect(redirected?.method).toBe("GET");
      const headers = redirected?.headers ?? {};
      expect(Object.keys(headers).filter((name) => name.startsWith("content-"))).toEqual([]);
      expect(headers["x-kept"]).toBe("1");
    } finally {
      source?.close();
      await test.close();
    }
  });
});
