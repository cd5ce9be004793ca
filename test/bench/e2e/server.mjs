/**
 * The local event-stream server the end-to-end benchmarks read from, on 127.0.0.1 port 0.
 * Streams are built once as one Buffer and written in 64 KiB slices as fast as the socket
 * takes them (each write waits for `drain` when the socket buffer is full), then held open:
 * clients close when they have counted every event, so no reconnection muddles the timing.
 */
import { createServer } from "node:http";

export const SMALL = { name: "200,000 small events", count: 200_000, event: 'data: {"n":123}\n\n' };
export const LARGE = {
  name: "2,000 events of 16 KiB",
  count: 2_000,
  event: `data: ${"x".repeat(16 * 1024)}\n\n`,
};

const SLICE = 64 * 1024;
const HEADERS = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache",
  "access-control-allow-origin": "*",
};

/** `extraRoutes`: pathname → handler(request, response), tried before the built-in streams. */
export async function startServer(extraRoutes = {}) {
  const bodies = new Map(
    [SMALL, LARGE].map((stream) => [stream, Buffer.from(stream.event.repeat(stream.count))]),
  );
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const route = extraRoutes[url.pathname];
    if (route !== undefined) {
      route(request, response, url);
      return;
    }
    const stream = url.pathname === "/small" ? SMALL : url.pathname === "/large" ? LARGE : null;
    if (stream === null) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, HEADERS);
    writeAll(response, bodies.get(stream), () => {
      // Held open: the client closes once it has every event.
    });
  });
  // Idle benchmarks keep a thousand sockets open for a while.
  server.keepAliveTimeout = 60_000;
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  const sockets = new Set();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    streamBytes: (stream) => bodies.get(stream).length,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export { HEADERS as SSE_HEADERS };

function writeAll(response, body, done) {
  let offset = 0;
  const next = () => {
    while (offset < body.length) {
      const slice = body.subarray(offset, offset + SLICE);
      offset += slice.length;
      if (!response.write(slice)) {
        response.once("drain", next);
        return;
      }
    }
    done();
  };
  response.on("close", () => response.off("drain", next));
  next();
}
