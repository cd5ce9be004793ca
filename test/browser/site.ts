/**
 * The site the browser suites load: server A serves the pages, the built files (dist/) and
 * same-origin event streams; server B, on another port, is a second origin for the CORS cases.
 * Both are test/helpers/server.ts servers with the routes below added, so every request is
 * recorded. The pages load the library as a user would, in one of four modes.
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, resolve } from "node:path";
import { type RouteHandler, sseHeaders, startServer, type TestServer } from "../helpers/server.js";

const root = resolve(import.meta.dirname, "../..");

/**
 * - `esm`: the browser entry, dist/index.js, imported by a module script (it imports chunks).
 * - `extended`: the extended fetch build (`universal-eventsource/extended`), dist/extended.js,
 *   the same way: the one whose NON-SPEC options the extension suites try.
 * - `iife`: dist/universal-eventsource.iife.js by `<script>` after `delete window.EventSource`.
 * - `xhr-only`: an old browser: EventSource, fetch, streams, TextDecoder, AbortController and the
 *   fetch classes deleted before the IIFE loads, so only XMLHttpRequest is left.
 */
export type Mode = "esm" | "extended" | "iife" | "xhr-only";
/** The standard builds, which the conformance suites run. */
export const modes: Mode[] = ["esm", "iife", "xhr-only"];

/** The globals an old browser lacks (mode `xhr-only`). */
const modernGlobals = [
  "EventSource",
  "fetch",
  "ReadableStream",
  "TextDecoder",
  "AbortController",
  "Headers",
  "Request",
  "Response",
];

/**
 * A page loading the library in `mode`, then `extra` (more HTML). Each page keeps the native
 * class as `NativeEventSource` and the one under test as `TestedEventSource`.
 */
export function page(mode: Mode, extra = ""): string {
  const head =
    '<!doctype html><meta charset="utf-8"><title>ues</title><script src="/page/recorder.js"></script>';
  const saveNative = "<script>window.NativeEventSource = window.EventSource;</script>";
  if (mode === "esm" || mode === "extended") {
    return `${head}${saveNative}<script type="module">
import { EventSource } from "/dist/${mode === "esm" ? "index" : "extended"}.js";
window.TestedEventSource = EventSource;
window.pageReady = true;
</script>${extra}`;
  }
  const deleted = mode === "iife" ? ["EventSource"] : modernGlobals;
  return `${head}${saveNative}<script>
${deleted.map((name) => `delete window.${name};`).join("\n")}
window.missingAfterDelete = ${JSON.stringify(deleted)}.filter(function (n) { return n in window; });
</script>
<script src="/dist/universal-eventsource.iife.js"></script>
<script>
window.TestedEventSource = window.EventSource;
window.pageReady = true;
</script>${extra}`;
}

const types: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".html": "text/html; charset=utf-8",
};

function serveFile(response: ServerResponse, path: string): void {
  let body: Buffer;
  try {
    body = readFileSync(path);
  } catch {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, {
    "content-type": types[extname(path)] ?? "application/octet-stream",
    "cache-control": "no-store",
  });
  response.end(body);
}

/** Files under `folder` by the rest of the URL path after `prefix`; nothing outside it. */
function staticFolder(prefix: string, folder: string): RouteHandler {
  return (_request, response, url) => {
    const relative = normalize(decodeURIComponent(url.pathname.slice(prefix.length)));
    if (relative.startsWith("..")) {
      response.writeHead(403).end();
      return;
    }
    serveFile(response, join(folder, relative));
  };
}

/**
 * CORS answers for a cross-origin client: the request's Origin echoed (so credentialed requests
 * work too; "null" after a cross-origin redirect), and preflights answered, since a polyfill's
 * `Last-Event-ID` is an author header that needs one (digest §4).
 */
function withCors(handler: RouteHandler): RouteHandler {
  return (request, response, url) => {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      response.setHeader("access-control-allow-origin", origin);
      response.setHeader("access-control-allow-credentials", "true");
      response.setHeader("vary", "origin");
    }
    if (request.method === "OPTIONS") {
      response.writeHead(204, {
        "access-control-allow-methods": "GET",
        "access-control-allow-headers": request.headers["access-control-request-headers"] ?? "",
        "access-control-max-age": "0",
      });
      response.end();
      return;
    }
    handler(request, response, url);
  };
}

/** The `?chunks=` parameter: a JSON array of base64 strings, one write each. */
export function chunksParam(chunks: Uint8Array[]): string {
  return encodeURIComponent(
    JSON.stringify(chunks.map((chunk) => Buffer.from(chunk).toString("base64"))),
  );
}

/**
 * Writes `chunks` one by one, `delay` ms apart (or `delay[i]` ms after chunk i), so the client
 * reads them as separate chunks.
 */
export function writeChunks(
  response: ServerResponse,
  chunks: Buffer[],
  delay: number | number[],
  end: boolean,
): void {
  let index = 0;
  const next = (): void => {
    if (response.destroyed) return;
    const chunk = chunks[index++];
    if (chunk === undefined) {
      if (end) response.end();
      return;
    }
    response.write(chunk);
    setTimeout(next, typeof delay === "number" ? delay : (delay[index - 1] ?? 0));
  };
  next();
}

const sseRoutes: Record<string, RouteHandler> = {
  /** Events `id: n` from Last-Event-ID + 1, `?count=` per connection, `?retry=` first; then ends. */
  "/sse/counter": (request: IncomingMessage, response, url) => {
    const last = Number(request.headers["last-event-id"] ?? 0) || 0;
    const count = Number(url.searchParams.get("count") ?? 3);
    sseHeaders(response);
    const retry = url.searchParams.get("retry");
    if (retry !== null) response.write(`retry: ${retry}\n\n`);
    for (let n = last + 1; n <= last + count; n++) response.write(`id: ${n}\ndata: ${n}\n\n`);
    response.end();
  },
  /** `?chunks=` (see chunksParam) written `?delay=` ms apart (default 20); `?hold` keeps it open. */
  "/sse/chunks": (_request, response, url) => {
    sseHeaders(response);
    const chunks = (JSON.parse(url.searchParams.get("chunks") ?? "[]") as string[]).map((chunk) =>
      Buffer.from(chunk, "base64"),
    );
    writeChunks(
      response,
      chunks,
      Number(url.searchParams.get("delay") ?? 20),
      !url.searchParams.has("hold"),
    );
  },
  /** One event whose data is the Cookie header ("" when none), then held open. */
  "/sse/cookie": (request, response) => {
    sseHeaders(response);
    response.write(`data: ${request.headers.cookie ?? ""}\n\n`);
  },
  /** `?to=` with a 302, with CORS headers (a cross-origin redirect's first hop). */
  "/sse/redirect": (_request, response, url) => {
    response.writeHead(302, { location: url.searchParams.get("to") ?? "/sse/counter" });
    response.end();
  },
};

export interface Site {
  /** Serves the pages and dist/; the same origin as the pages. */
  a: TestServer;
  /** Another origin (another port) with CORS. */
  b: TestServer;
  close(): Promise<void>;
}

export async function startSite(): Promise<Site> {
  const [a, b] = await Promise.all([startServer(), startServer()]);
  for (const server of [a, b]) {
    for (const [path, handler] of Object.entries(sseRoutes)) server.route(path, withCors(handler));
  }
  a.route("/dist", staticFolder("/dist/", join(root, "dist")));
  a.route("/vendor", (_request, response, url) => {
    const files: Record<string, string> = {
      "/vendor/htmx.js": "node_modules/htmx.org/dist/htmx.js",
      "/vendor/htmx-ext-sse.js": "node_modules/htmx-ext-sse/sse.js",
    };
    const file = files[url.pathname];
    if (file === undefined) response.writeHead(404).end();
    else serveFile(response, join(root, file));
  });
  a.route("/page", (_request, response, url) => {
    const name = url.pathname.slice("/page/".length);
    if (name === "recorder.js") {
      serveFile(response, join(import.meta.dirname, "page", "recorder.js"));
      return;
    }
    if (!(modes as string[]).includes(name) && name !== "extended") {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      "content-type": types[".html"] as string,
      "cache-control": "no-store",
    });
    response.end(page(name as Mode));
  });
  return {
    a,
    b,
    close: async () => {
      await Promise.all([a.close(), b.close()]);
    },
  };
}
