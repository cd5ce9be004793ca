/**
 * The built CLI (dist/cli.js) as a user runs it: a child process against local servers.
 */
import { execFile, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { sseHeaders, startServer } from "../helpers/server.js";
import { builtFile, cli, lines, serverPerTest } from "./child.js";

const server = serverPerTest();

describe("cli: printing events", () => {
  it("prints type, id and data of each event, then exits 0 at --max-events", async () => {
    const child = cli([server().url("/counter?count=3"), "--max-events", "3"]);
    expect(await child.exited).toBe(0);
    expect(child.stdout).toBe("message [1] 1\nmessage [2] 2\nmessage [3] 3\n");
    expect(lines(child.stderr)).toEqual([
      `* connecting to ${server().url("/counter?count=3")}`,
      "* open (HTTP 200)",
      "* received 3 events (--max-events); closing",
    ]);
  });

  it("prints custom event types, multi-line data indented, no id, and escapes control characters", async () => {
    const body =
      "event: price\nid: 7\ndata: a\ndata: b\n\ndata: no id here\n\nid:\ndata: \u001b[31mred\n\n";
    const child = cli([
      server().url(`/stream?body=${encodeURIComponent(body)}`),
      "--max-events",
      "3",
    ]);
    expect(await child.exited).toBe(0);
    // Colour only on a terminal: piped output has no escape sequences.
    expect(child.stdout).toBe(
      "price [7] a\n          b\nmessage [7] no id here\nmessage \\u001b[31mred\n",
    );
  });

  it.each([
    // C1 controls (here CSI) go out in the header: the status line shows them escaped.
    ["a\u009b31mb", "with Last-Event-ID: a\\u009b31mb"],
    // C0 controls (here ESC) are left out of the request, and the status line says so.
    ["\u001b]0;title\u0007", "(Last-Event-ID left out: the ID has control characters)"],
  ])(
    "a server's event ID %j: the reconnection status line says %s, nothing raw",
    async (id, said) => {
      const body = `retry: 10\nid: ${id}\ndata: a\n\n`;
      const child = cli([
        server().url(`/stream?body=${encodeURIComponent(body)}`),
        "--max-events",
        "2",
      ]);
      expect(await child.exited).toBe(0);
      for (const raw of ["\u001b", "\u0007", "\u009b"]) expect(child.stderr).not.toContain(raw);
      expect(child.stderr).toContain(`reconnecting in 10 ms ${said}`);
    },
  );

  it("--json prints one object per line with type, data, lastEventId, origin and time", async () => {
    const body = 'event: tick\nid: 1\ndata: {"n":1}\n\ndata: two\ndata: lines\n\n';
    const child = cli([
      server().url(`/stream?body=${encodeURIComponent(body)}`),
      "--json",
      "--max-events",
      "2",
    ]);
    expect(await child.exited).toBe(0);
    const objects = lines(child.stdout).map((line) => JSON.parse(line));
    expect(objects).toEqual([
      {
        type: "tick",
        data: '{"n":1}',
        lastEventId: "1",
        origin: server().origin,
        time: expect.any(String),
      },
      {
        type: "message",
        data: "two\nlines",
        lastEventId: "1",
        origin: server().origin,
        time: expect.any(String),
      },
    ]);
    for (const { time } of objects) expect(new Date(time).toISOString()).toBe(time);
  });
});

describe("cli: on a terminal", () => {
  // script(1) runs the CLI on a pseudo-terminal; it ships with util-linux.
  const hasScript = spawnSync("script", ["--version"]).status === 0;
  const onTerminal = (env: string) =>
    new Promise<string>((resolve, reject) => {
      const command = `${env} '${process.execPath}' '${builtFile("cli.js")}' --max-events 1 '${server().url("/counter?count=1")}'`;
      // Bounded: execFile kills script(1), and with it the CLI, if it outlives the timeout.
      execFile("script", ["-qc", command, "/dev/null"], { timeout: 15_000 }, (error, output) =>
        error === null ? resolve(output) : reject(error),
      );
    });

  it.skipIf(!hasScript && process.env.CI !== "true")(
    "colour on a terminal; none with NO_COLOR",
    async () => {
      expect(await onTerminal("")).toContain("\x1b[1;36mmessage\x1b[0m\x1b[33m [1]\x1b[0m 1\r\n");
      expect(await onTerminal("NO_COLOR=1")).toContain("\r\nmessage [1] 1\r\n");
      expect(await onTerminal("NO_COLOR=1")).not.toContain("\x1b[");
    },
  );
});

describe("cli: connection state and exit status", () => {
  it("reconnects with Last-Event-ID, showing the reason and the delay in force", async () => {
    const child = cli([server().url("/counter?retry=20&count=2"), "--max-events", "5"]);
    expect(await child.exited).toBe(0);
    expect(lines(child.stdout)).toEqual([1, 2, 3, 4, 5].map((n) => `message [${n}] ${n}`));
    const stderr = lines(child.stderr);
    expect(stderr).toContain(
      "* the server closed the stream; reconnecting in 20 ms with Last-Event-ID: 2",
    );
    expect(stderr).toContain(
      "* the server closed the stream; reconnecting in 20 ms with Last-Event-ID: 4",
    );
    expect(stderr.filter((line) => line === "* open (HTTP 200)")).toHaveLength(3);
    const requests = server().requestsTo("/counter");
    expect(requests.map((r) => r.headers["last-event-id"])).toEqual([undefined, "2", "4"]);
  });

  it("exits 1 with the reason when the server answers 401", async () => {
    const child = cli([server().url("/status/401")]);
    expect(await child.exited).toBe(1);
    expect(child.stdout).toBe("");
    expect(lines(child.stderr).at(-1)).toBe("* failed for good: HTTP 401");
  });

  it("exits 1 with the reason when the response is not an event stream", async () => {
    const child = cli([server().url("/content-type?type=text/html")]);
    expect(await child.exited).toBe(1);
    expect(lines(child.stderr).at(-1)).toBe(
      "* failed for good: content-type text/html is not text/event-stream",
    );
  });

  it("--no-reconnect: exits 0 when an open stream ends, without a second request", async () => {
    const child = cli([server().url("/counter?count=2"), "--no-reconnect"]);
    expect(await child.exited).toBe(0);
    expect(lines(child.stdout)).toEqual(["message [1] 1", "message [2] 2"]);
    expect(lines(child.stderr).at(-1)).toBe(
      "* the server closed the stream; not reconnecting (--no-reconnect)",
    );
    expect(server().requestsTo("/counter")).toHaveLength(1);
  });

  it("--no-reconnect: exits 1 when the connection never opened", async () => {
    const closed = await startServer();
    const url = closed.url("/gone");
    await closed.close();
    const child = cli([url, "--no-reconnect"]);
    expect(await child.exited).toBe(1);
    expect(lines(child.stderr).at(-1)).toMatch(
      /^\* network error: .*ECONNREFUSED.*; not reconnecting \(--no-reconnect\)$/,
    );
  });

  it("--timeout: exits 0 when the time is up", async () => {
    const child = cli([server().url("/stalled"), "--timeout", "300ms"]);
    expect(await child.exited).toBe(0);
    // Whether the stream opened within 300 ms is up to a loaded machine: first and last lines only.
    const stderr = lines(child.stderr);
    expect(stderr[0]).toBe(`* connecting to ${server().url("/stalled")}`);
    expect(stderr.at(-1)).toBe("* 300 ms elapsed (--timeout); closing");
  });

  it("Ctrl-C (SIGINT): closes and exits 0", async () => {
    const child = cli([server().url("/stalled")]);
    await child.waitFor(({ stderr }) => stderr.includes("open (HTTP 200)"));
    child.process.kill("SIGINT");
    expect(await child.exited).toBe(0);
    expect(lines(child.stderr).at(-1)).toBe("* interrupted; closing");
  });

  it("stops quietly, with status 0, when the reader of stdout goes away", async () => {
    // An event every 10 ms, until the client goes: some write always comes after the reader left.
    server().route("/ticks", (_request, response) => {
      sseHeaders(response);
      let n = 0;
      const tick = setInterval(() => response.write(`data: ${n++}\n\n`), 10);
      response.on("close", () => clearInterval(tick));
    });
    const child = cli([server().url("/ticks")]);
    await child.waitFor(({ stdout }) => stdout.length > 0);
    child.process.stdout?.destroy();
    expect(await child.exited).toBe(0);
    expect(child.stderr).not.toMatch(/Error|EPIPE/);
  });
});

describe("cli: a closed stderr", () => {
  it("keeps printing events when the reader of stderr goes away (`2>&1 | head`), exit 0", async () => {
    let go!: () => void;
    const ready = new Promise<void>((resolve) => {
      go = resolve;
    });
    server().route("/later", async (_request, response) => {
      await ready;
      sseHeaders(response);
      response.write("data: 1\n\ndata: 2\n\n");
    });
    const child = cli([server().url("/later"), "--max-events", "2"]);
    await child.waitFor(({ stderr }) => stderr.includes("* connecting to"));
    // Status lines written from now on find no reader (EPIPE).
    child.process.stderr?.destroy();
    go();
    expect(await child.exited).toBe(0);
    expect(child.stdout).toBe("message 1\nmessage 2\n");
  });
});

describe("cli: request options", () => {
  it("-H sends headers (repeatable); --last-event-id resumes the first request", async () => {
    const child = cli([
      server().url("/counter?count=1"),
      "-H",
      "Authorization: Bearer t0ken",
      "--header",
      "X-Trace:  a:b ",
      "--last-event-id",
      "41",
      "--max-events",
      "1",
    ]);
    expect(await child.exited).toBe(0);
    expect(child.stdout).toBe("message [42] 42\n");
    const [first] = server().requestsTo("/counter");
    expect(first?.headers.authorization).toBe("Bearer t0ken");
    expect(first?.headers["x-trace"]).toBe("a:b");
    expect(first?.headers["last-event-id"]).toBe("41");
    expect(child.stderr).toContain("* connecting to");
    expect(child.stderr).toContain("with Last-Event-ID: 41\n");
  });

  it("credentials in the URL are sent, but the password is not printed", async () => {
    const url = server().url("/counter?count=1").replace("://", "://user:s3cret@");
    const child = cli([url, "--max-events", "1"]);
    expect(await child.exited).toBe(0);
    const [request] = server().requestsTo("/counter");
    expect(request?.headers.authorization).toBe(`Basic ${btoa("user:s3cret")}`);
    expect(child.stderr).not.toContain("s3cret");
    expect(lines(child.stderr)[0]).toBe(`* connecting to ${url.replace("s3cret", "***")}`);
  });

  it("a token given as the URL's user name (https://TOKEN@host, no password) is not printed", async () => {
    const url = server().url("/counter?count=1").replace("://", "://sk_live_s3cret@");
    const child = cli([url, "--max-events", "1"]);
    expect(await child.exited).toBe(0);
    expect(server().requestsTo("/counter")[0]?.headers.authorization).toMatch(/^Basic /);
    expect(child.stderr).not.toContain("s3cret");
    expect(lines(child.stderr)[0]).toBe(`* connecting to ${url.replace("sk_live_s3cret", "***")}`);
  });

  it("--proxy sends the requests through the proxy (undici ProxyAgent)", async () => {
    const proxied: string[] = [];
    const proxy = createServer((request, response) => {
      // A plain-HTTP forward proxy: absolute-form request line.
      proxied.push(`${request.method} ${request.url}`);
      const upstream = httpRequest(
        request.url ?? "",
        { method: request.method, headers: request.headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      request.pipe(upstream);
    });
    proxy.on("connect", (request, socket, head) => {
      // A tunnelling proxy: CONNECT host:port, then raw bytes both ways.
      proxied.push(`CONNECT ${request.url}`);
      const [host, port] = (request.url ?? "").split(":");
      const upstream = connect(Number(port), host, () => {
        socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(socket).pipe(upstream);
      });
      upstream.on("error", () => socket.destroy());
      socket.on("error", () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = proxy.address() as AddressInfo;
      const child = cli([
        server().url("/counter?count=2"),
        "--proxy",
        `http://127.0.0.1:${port}`,
        "--max-events",
        "2",
      ]);
      expect(await child.exited).toBe(0);
      expect(child.stdout).toBe("message [1] 1\nmessage [2] 2\n");
      expect(proxied).toHaveLength(1);
      expect(proxied[0]).toMatch(
        new RegExp(
          `^(CONNECT 127\\.0\\.0\\.1:${new URL(server().origin).port}|GET ${server().url("/counter")})`,
        ),
      );
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("--data @file: a missing file is a usage error (exit 2)", async () => {
    const child = cli([server().url("/counter"), "--data", "@/nonexistent/body.json"]);
    expect(await child.exited).toBe(2);
    expect(lines(child.stderr)[0]).toBe(
      "universal-eventsource: --data: cannot read /nonexistent/body.json: ENOENT",
    );
    expect(server().requests).toHaveLength(0);
  });
});

describe("cli: arguments", () => {
  it.each([
    [[], "missing <url>"],
    [["--bogus", "http://127.0.0.1/"], "Unknown option '--bogus'"],
    [["not a url"], "not an absolute URL: not a url"],
    [["ftp://127.0.0.1/"], "not an http(s) URL: ftp://127.0.0.1/"],
    [["http://127.0.0.1/", "http://127.0.0.2/"], "one URL only, got 2"],
    [["http://127.0.0.1/", "-H", "no colon"], "--header: expected 'Name: value', got 'no colon'"],
    [["http://127.0.0.1/", "--max-events", "0"], "--max-events: expected an integer ≥ 1, got '0'"],
    [
      ["http://127.0.0.1/", "--timeout", "soon"],
      "--timeout: expected a duration like 30s, got 'soon'",
    ],
    // A duration under half a millisecond rounds to 0, which is no duration either.
    [
      ["http://127.0.0.1/", "--heartbeat-timeout", "0.4ms"],
      "--heartbeat-timeout: expected a duration like 30s, got '0.4ms'",
    ],
    [["http://127.0.0.1/", "-X", "GET", "-d", "x"], "--data: a GET request cannot have a body"],
    // What the library's constructor refuses is a usage error too, not a crash with a stack.
    [["http://127.0.0.1/", "-X", "connect"], "--method: a client cannot send connect"],
    [
      ["http://127.0.0.1/", "-H", "X-Name: 日本"],
      "--header: a value cannot have a control character (tab aside) or one above U+00FF, got 'X-Name: 日本'",
    ],
    // What was typed is quoted escaped, so the error stays one line.
    [
      ["http://127.0.0.1/", "--backoff", "a\nb"],
      "--backoff: expected fixed or exponential, got 'a\\u000ab'",
    ],
    // RFC 9110 field values: undici refuses any control character but tab, so the request fails.
    [
      ["http://127.0.0.1/", "-H", "X-Name: a\u0001b"],
      "--header: a value cannot have a control character (tab aside) or one above U+00FF, got 'X-Name: a\\u0001b'",
    ],
  ])("%j → one-line error, the usage, exit 2", async (args, message) => {
    const child = cli(args);
    expect(await child.exited).toBe(2);
    const [first, blank, usage] = child.stderr.split("\n");
    expect(first).toBe(`universal-eventsource: ${message}`);
    expect(blank).toBe("");
    expect(usage).toBe("Usage: universal-eventsource [options] <url>");
    expect(child.stdout).toBe("");
  });

  it("--help prints the usage with every option, exit 0", async () => {
    const child = cli(["--help"]);
    expect(await child.exited).toBe(0);
    for (const flag of [
      "--header",
      "--last-event-id",
      "--method",
      "--data",
      "--proxy",
      "--retry-max",
      "--backoff",
      "--max-delay",
      "--retry-on",
      "--heartbeat-timeout",
      "--max-event-size",
      "--no-reconnect",
      "--max-events",
      "--timeout",
      "--json",
      "--version",
    ]) {
      expect(child.stdout).toContain(flag);
    }
  });

  it("--version prints the package version, exit 0", async () => {
    const { version } = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    );
    const child = cli(["--version"]);
    expect(await child.exited).toBe(0);
    expect(child.stdout).toBe(`${version}\n`);
  });

  it("package.json bin points at the built CLI, which starts with a shebang", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(pkg.bin).toEqual({ "universal-eventsource": "dist/cli.js" });
    const built = readFileSync(new URL("../../dist/cli.js", import.meta.url), "utf8");
    expect(built.startsWith("#!/usr/bin/env node\n")).toBe(true);
  });
});
