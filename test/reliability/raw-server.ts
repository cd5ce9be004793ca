/**
 * A TCP server that speaks HTTP/1.1 by hand, for faults node:http will not produce: a response
 * cut at any byte (inside the status line, a header, a chunk-size line, a UTF-8 character), a
 * connection that is accepted and never answered. Listens on 127.0.0.1, port 0; `close()`
 * destroys every socket it accepted.
 */

import type { AddressInfo } from "node:net";
import { createServer, type Socket } from "node:net";

export interface RawRequest {
  method: string;
  path: string;
  /** Lowercase names. */
  headers: Record<string, string>;
}

export interface RawServer {
  origin: string;
  url(path: string): string;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** Calls `onRequest` once the request head has arrived (request bodies are not read). */
export async function startRawServer(
  onRequest: (request: RawRequest, socket: Socket) => void,
  { parse = true }: { parse?: boolean } = {},
): Promise<RawServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    // A reset the client causes (close() mid-response) is expected here.
    socket.on("error", () => {});
    if (!parse) return;
    let head = "";
    const onData = (data: Buffer) => {
      head += data.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end === -1) return;
      socket.off("data", onData);
      const [requestLine = "", ...lines] = head.slice(0, end).split("\r\n");
      const [method = "", path = ""] = requestLine.split(" ");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      onRequest({ method, path, headers }, socket);
    };
    socket.on("data", onData);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A deterministic PRNG (mulberry32): the same seed gives the same faults on every run. */
export function seededRandom(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}
