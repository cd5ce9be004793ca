/**
 * A real node:http server on 127.0.0.1, port 0, for network tests. Named endpoints cover the
 * usual cases; tests add their own with `route`. Every request is recorded, and `close()`
 * destroys open connections, so no test leaves a socket behind.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach } from "vitest";

export type RouteHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => void;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
}

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Absolute URL of a path on this server. */
  url(path: string): string;
  requests: RecordedRequest[];
  /** Requests to one path (query string ignored). */
  requestsTo(pathname: string): RecordedRequest[];
  route(pathname: string, handler: RouteHandler): void;
  /** Resolves when the next request to `pathname` arrives (or has arrived `count` times). */
  waitForRequests(pathname: string, count: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

export function sseHeaders(response: ServerResponse, extra: Record<string, string> = {}): void {
  response.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    ...extra,
  });
  response.flushHeaders();
}

const builtinRoutes: Record<string, RouteHandler> = {
  /** `?body=` (URL-encoded) sent as is, then the stream ends. `?chunk=N` splits it into N-byte writes. */
  "/stream": (_request, response, url) => {
    sseHeaders(response);
    const body = Buffer.from(url.searchParams.get("body") ?? "", "utf8");
    const size = Number(url.searchParams.get("chunk") ?? body.length) || body.length || 1;
    for (let i = 0; i < body.length; i += size) response.write(body.subarray(i, i + size));
    if (url.searchParams.get("hold") === null) response.end();
  },
  /** Events `id: n` from Last-Event-ID + 1, `?count=` per connection (default 3), then closes. */
  "/counter": (request, response, url) => {
    const last = Number(request.headers["last-event-id"] ?? 0) || 0;
    const count = Number(url.searchParams.get("count") ?? 3);
    const retry = url.searchParams.get("retry");
    sseHeaders(response);
    if (retry !== null) response.write(`retry: ${retry}\n\n`);
    for (let n = last + 1; n <= last + count; n++) response.write(`id: ${n}\ndata: ${n}\n\n`);
    response.end();
  },
  /** `/status/404` etc.: that status, with an event-stream content type and a body. */
  "/status": (_request, response, url) => {
    const code = Number(url.pathname.split("/")[2]);
    response.writeHead(code, { "content-type": "text/event-stream" });
    response.end(code === 204 || code === 304 ? undefined : "data: should not be seen\n\n");
  },
  /** `?type=` as the Content-Type (absent: no header), a valid stream body. */
  "/content-type": (_request, response, url) => {
    const type = url.searchParams.get("type");
    response.writeHead(200, type === null ? {} : { "content-type": type });
    response.end("data: typed\n\n");
  },
  /** `?to=` (absolute or relative) with `?status=` (default 302). */
  "/redirect": (_request, response, url) => {
    response.writeHead(Number(url.searchParams.get("status") ?? 302), {
      location: url.searchParams.get("to") ?? "/counter",
    });
    response.end();
  },
  /** Sends headers, then nothing, forever (until the client or the server closes). */
  "/stalled": (_request, response) => {
    sseHeaders(response);
  },
};

export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, RouteHandler>(Object.entries(builtinRoutes));
  const requests: RecordedRequest[] = [];
  const waiters: { pathname: string; count: number; resolve: (r: RecordedRequest[]) => void }[] =
    [];
  const requestsTo = (pathname: string) =>
    requests.filter((request) => new URL(request.path, "http://x").pathname === pathname);

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    requests.push({
      method: request.method ?? "GET",
      path: request.url ?? "/",
      headers: request.headers,
    });
    for (const waiter of [...waiters]) {
      const seen = requestsTo(waiter.pathname);
      if (seen.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(seen);
      }
    }
    const handler = routes.get(url.pathname) ?? routes.get(`/${url.pathname.split("/")[1] ?? ""}`);
    if (handler === undefined) {
      response.writeHead(404).end();
      return;
    }
    handler(request, response, url);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    url: (path) => `${origin}${path}`,
    requests,
    requestsTo,
    route: (pathname, handler) => {
      routes.set(pathname, handler);
    },
    waitForRequests: (pathname, count) => {
      const seen = requestsTo(pathname);
      if (seen.length >= count) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ pathname, count, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The setup most network tests share, for the calling `describe` (or file): a fresh server
 * before each test; after each, the source `opened()` returns is closed (closing is
 * idempotent), then the server. Returns a stand-in that forwards to the current test's server.
 */
export function serverForEachTest(
  opened: () => { close(): void } | undefined = () => undefined,
): TestServer {
  let current: TestServer | undefined;
  beforeEach(async () => {
    current = await startServer();
  });
  afterEach(async () => {
    opened()?.close();
    await current?.close();
  });
  return new Proxy({} as TestServer, {
    get(_target, key) {
      if (current === undefined) throw new Error("the test server exists only inside a test");
      const value = current[key as keyof TestServer];
      return typeof value === "function" ? value.bind(current) : value;
    },
  });
}
