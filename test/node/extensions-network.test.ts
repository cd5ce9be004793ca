/**
 * [NON-SPEC] The network around the source: an HTTP proxy given as an undici `dispatcher`
 * (or through a custom fetch), and user credential headers on redirects. Real servers and a
 * real proxy on 127.0.0.1.
 */
import { createServer, request as httpRequest, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import { ProxyAgent, fetch as undiciFetch } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventSource, type NodeEventSourceInit } from "../../src/entries/node.js";
import { nextEvent } from "../helpers/events.js";
import { serverForEachTest, startServer, type TestServer } from "../helpers/server.js";
import { transports } from "../reliability/transports.js";

interface Proxy {
  url: string;
  /** What went through: `CONNECT host:port` or `GET http://host/path`. */
  log: string[];
  close(): Promise<void>;
}

/** A small forward proxy: CONNECT tunnels, and absolute-URI requests forwarded as they are. */
async function startProxy(): Promise<Proxy> {
  const log: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    log.push(`${request.method} ${request.url}`);
    const target = new URL(request.url ?? "");
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: request.method,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on("error", () => response.destroy());
    request.pipe(upstream);
  });
  server.on("connect", (request, client: Socket, head: Buffer) => {
    log.push(`CONNECT ${request.url}`);
    const [host, port] = (request.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("[NON-SPEC] proxy", () => {
  let server: TestServer;
  let proxy: Proxy;
  let agent: ProxyAgent | undefined;
  let source: EventSource | undefined;
  beforeEach(async () => {
    server = await startServer();
    proxy = await startProxy();
  });
  afterEach(async () => {
    source?.close();
    await agent?.close();
    agent = undefined;
    await proxy.close();
    await server.close();
  });

  const viaProxy = (init: NodeEventSourceInit) => {
    source = new EventSource(server.url("/counter?count=2"), init);
    return source;
  };

  it("[NON-SPEC] dispatcher: new ProxyAgent(url) tunnels the stream through the proxy (undici transport)", async () => {
    agent = new ProxyAgent(proxy.url);
    const es = viaProxy({ dispatcher: agent });
    const event = await nextEvent<MessageEvent>(es, "message");
    expect(event.data).toBe("1");
    expect(event.origin).toBe(server.origin);
    expect(proxy.log).toContain(`CONNECT ${new URL(server.origin).host}`);
    expect(server.requestsTo("/counter")[0]?.headers.accept).toBe("text/event-stream");
  });

  it("[NON-SPEC] dispatcher: a ProxyAgent without tunnelling forwards absolute-URI requests (undici transport)", async () => {
    agent = new ProxyAgent({ uri: proxy.url, proxyTunnel: false });
    const es = viaProxy({ dispatcher: agent });
    const event = await nextEvent<MessageEvent>(es, "message");
    expect(event.data).toBe("1");
    expect(proxy.log).toContain(`GET ${server.url("/counter?count=2")}`);
  });

  it("[NON-SPEC] fetch: undici's fetch with a ProxyAgent dispatcher goes through the proxy (fetch transport)", async () => {
    agent = new ProxyAgent(proxy.url);
    const dispatcher = agent;
    const es = viaProxy({
      fetch: (url, init) => undiciFetch(url, { ...init, dispatcher }),
    });
    const event = await nextEvent<MessageEvent>(es, "message");
    expect(event.data).toBe("1");
    expect(proxy.log).toContain(`CONNECT ${new URL(server.origin).host}`);
  });
});

/**
 * Cross-origin redirects dropping `Authorization`, `Cookie` and `Proxy-Authorization` (given as
 * an object, a Headers or a function), reconnections included, are tested on both transports in
 * test/reliability/security.test.ts; here, the other side: a same-origin redirect keeps them.
 */
describe.each(transports)("[NON-SPEC] credentials and redirects over %s", (_name, base) => {
  let source: EventSource | undefined;
  const server = serverForEachTest(() => source);

  it("[NON-SPEC] a same-origin redirect keeps Authorization and Cookie", async () => {
    source = new EventSource(server.url("/redirect?status=307&to=/counter?count=1"), {
      ...base,
      headers: { authorization: "Bearer secret", cookie: "session=1" },
    });
    await nextEvent(source, "message");
    const [redirected] = server.requestsTo("/counter");
    expect(redirected?.headers.authorization).toBe("Bearer secret");
    expect(redirected?.headers.cookie).toBe("session=1");
  });
});
