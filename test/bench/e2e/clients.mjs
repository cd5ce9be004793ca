/**
 * The clients the end-to-end benchmarks compare: ours (built package, undici and fetch
 * transports) and the anchors. Each factory is loaded once and returns `open(url, onMessage,
 * onFatal)` → `close()`. "raw http.get" parses nothing: it calls onMessage once per complete
 * event's worth of bytes, so it is the ceiling any client can reach on the same socket.
 */
import { get } from "node:http";

import { pathToFileURL } from "node:url";

// The benchmark's copy of dist/ (see snapshotDist), or dist/ itself when a child runs alone.
const dist = process.env.BENCH_DIST
  ? pathToFileURL(process.env.BENCH_DIST)
  : new URL("../../../dist/", import.meta.url);

/** `init` is a function so that `globalThis.fetch` (which loads Node's own undici) is read only by the client that uses it. */
function eventSourceClient(load, init = () => ({})) {
  return async () => {
    const EventSource = await load();
    return (url, onMessage, onFatal) => {
      const source = new EventSource(url, init());
      source.addEventListener("message", onMessage);
      source.addEventListener("error", () => {
        if (source.readyState === 2) onFatal(new Error(`${url}: the source failed`));
      });
      return () => source.close();
    };
  };
}

const ours = async () => (await import(new URL("node.js", dist).href)).EventSource;

export const CLIENTS = {
  "ours (undici)": eventSourceClient(ours),
  "ours (fetch)": eventSourceClient(ours, () => ({ fetch: globalThis.fetch })),
  "eventsource@4": eventSourceClient(async () => (await import("eventsource")).EventSource),
  "undici@7 EventSource": eventSourceClient(async () => (await import("undici")).EventSource),
  "raw http.get":
    async () =>
    (url, onMessage, onFatal, eventBytes = 1) => {
      let bytes = 0;
      let delivered = 0;
      const request = get(url, (response) => {
        response.on("data", (chunk) => {
          bytes += chunk.length;
          const complete = Math.floor(bytes / eventBytes);
          for (; delivered < complete; delivered++) onMessage(undefined);
        });
      });
      request.on("error", (error) => {
        if (!request.destroyed || error.code !== "ECONNRESET") onFatal(error);
      });
      return () => request.destroy();
    },
};

export const CLIENT_NAMES = Object.keys(CLIENTS);
