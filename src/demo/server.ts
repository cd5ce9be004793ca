/**
 * The demo's HTTP server on 127.0.0.1: `/events` streams the price feed, resuming after
 * `Last-Event-ID` and dropping each connection on purpose after a while; `/` is the browser page,
 * which loads the IIFE build from `/universal-eventsource.iife.min.js`.
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { formatDuration } from "../cli/duration.js";
import type { PriceFeed } from "./feed.js";
import { EVENTS_PATH, IIFE_PATH, PAGE } from "./page.js";

export interface DemoServerOptions {
  port: number;
  feed: PriceFeed;
  /** ms a connection lives before the server drops it; 0: never. */
  disconnectEvery: number;
  /** The built IIFE polyfill. */
  iife: URL;
  log(text: string): void;
}

export interface DemoServer {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  close(): Promise<void>;
}

/** What the server asks clients to wait before reconnecting: short, so the demo stays lively. */
const RETRY_MS = 1000;
const HEARTBEAT_MS = 2000;

export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  let connections = 0;

  const stream = (request: IncomingMessage, response: ServerResponse) => {
    const connection = ++connections;
    const header = request.headers["last-event-id"];
    const lastId = typeof header === "string" && /^\d+$/.test(header) ? Number(header) : undefined;
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    response.write(`retry: ${RETRY_MS}\n\n`);
    let sent = lastId ?? 0;
    const send = (event: { id: number; text: string }) => {
      response.write(event.text);
      sent = event.id;
    };
    if (lastId === undefined) {
      options.log(`connection ${connection}: new client, live events from now on`);
    } else {
      const missed = options.feed.since(lastId);
      const range =
        missed.length === 0 ? "" : ` (${missed[0]?.id}–${missed[missed.length - 1]?.id})`;
      options.log(
        `connection ${connection}: Last-Event-ID ${lastId}, replaying ${missed.length} missed event${missed.length === 1 ? "" : "s"}${range}`,
      );
      for (const event of missed) send(event);
    }
    // A client may know an id the feed has not reached yet (the feed restarted): skip to it.
    const unsubscribe = options.feed.subscribe((event) => {
      if (event.id > sent) send(event);
    });
    // A comment line: keeps proxies from timing the stream out, and clients ignore it.
    const heartbeat = setInterval(() => response.write(": heartbeat\n\n"), HEARTBEAT_MS);
    const stop = () => {
      unsubscribe();
      clearInterval(heartbeat);
      clearTimeout(drop);
    };
    const drop =
      options.disconnectEvery > 0
        ? setTimeout(() => {
            options.log(
              `connection ${connection}: dropping it after id ${sent} (on purpose, every ${formatDuration(options.disconnectEvery)})`,
            );
            // Stop writing first: "close" comes a little after end(), and a feed event or a
            // heartbeat written in between is a write after end, which crashes the server.
            stop();
            response.end();
          }, options.disconnectEvery)
        : undefined;
    response.on("close", stop);
  };

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (path === EVENTS_PATH) {
      stream(request, response);
    } else if (path === "/") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
    } else if (path === IIFE_PATH) {
      readFile(options.iife).then(
        (script) => response.writeHead(200, { "content-type": "text/javascript" }).end(script),
        () => response.writeHead(404).end("// not built yet: run npm run build\n"),
      );
    } else {
      // Browsers ask for /favicon.ico: a 204 keeps their console free of a 404.
      response.writeHead(path === "/favicon.ico" ? 204 : 404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
