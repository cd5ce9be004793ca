/**
 * The `npm start` demo (dist/demo.js) as a child process: the stream, the deliberate drop, the
 * reconnection with Last-Event-ID and the resumed stream with no id missing; the page and the
 * IIFE it loads; Ctrl-C.
 */
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { killAll, spawnBuilt } from "./child.js";

afterEach(killAll);

/** The ids of the events the client printed (`type [id] data`), in order. */
function printedIds(stdout: string): number[] {
  return [...stdout.matchAll(/^(?:price|message) \[(\d+)\] /gm)].map((match) => Number(match[1]));
}

describe("demo (npm start)", () => {
  it("package.json start builds, then runs dist/demo.js", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(pkg.scripts.start).toBe("npm run build && node dist/demo.js");
  });

  it("--help lists its options, exit 0", async () => {
    const child = spawnBuilt("demo.js", ["--help"]);
    expect(await child.exited).toBe(0);
    for (const flag of ["--port", "--rate", "--disconnect-every", "--no-client"]) {
      expect(child.stdout).toContain(flag);
    }
  });

  it("a bad option: one-line error and the usage, exit 2", async () => {
    const child = spawnBuilt("demo.js", ["--rate", "fast"]);
    expect(await child.exited).toBe(2);
    expect(child.stderr.split("\n")[0]).toBe("demo: --rate: expected 0 < N ≤ 1000, got fast");
    expect(child.stderr).toContain("Usage: npm start -- [options]");
  });

  it("--rate far below 1: no timer overflow, so no flood of events at 1 ms", async () => {
    const child = spawnBuilt("demo.js", ["--no-client", "--rate", "0.0000001"]);
    await child.waitFor(({ stdout }) => stdout.includes("Ctrl-C to stop."));
    child.process.kill("SIGINT");
    expect(await child.exited).toBe(0);
    // Node sets a timer past 2^31-1 ms to 1 ms, and warns (before the banner is printed).
    expect(child.stderr).not.toContain("TimeoutOverflowWarning");
  });

  it("--port that is taken: a one-line error, no stack, exit 1", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = taken.address() as AddressInfo;
      const child = spawnBuilt("demo.js", ["--port", String(port)]);
      expect(await child.exited).toBe(1);
      expect(child.stderr).toBe(
        `demo: cannot listen on 127.0.0.1:${port}: EADDRINUSE (--port 0 picks a free port)\n`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it("shows events, the drop, the reconnection with Last-Event-ID and the stream resuming with nothing lost; Ctrl-C exits 0", async () => {
    const child = spawnBuilt("demo.js", ["--rate", "20", "--disconnect-every", "500ms"]);
    let dropped = 0;
    await child.waitFor(({ stdout, stderr }) => {
      const drop = /connection 1: dropping it after id (\d+)/.exec(stderr);
      if (drop === null) return false;
      dropped = Number(drop[1]);
      // Resumed: the second connection replayed, and the client printed events after the drop.
      return (
        /connection 2: Last-Event-ID \d+, replaying/.test(stderr) &&
        printedIds(stdout).some((id) => id > dropped + 2)
      );
    });
    expect(child.stderr).toContain(
      `* the server closed the stream; reconnecting in 1 s with Last-Event-ID: ${dropped}\n`,
    );
    expect(child.stderr).toContain(`[server] connection 2: Last-Event-ID ${dropped}, replaying`);
    const ids = printedIds(child.stdout);
    expect(ids).toContain(dropped);
    expect(ids).toContain(dropped + 1);
    // Nothing lost, nothing twice: consecutive ids across the reconnection.
    ids.forEach((id, index) => {
      if (index > 0) expect(id).toBe((ids[index - 1] as number) + 1);
    });
    // A custom type and the default type, with multi-line data.
    expect(child.stdout).toMatch(/^price \[\d+\] \{"symbol":"[A-Z]+","price":[\d.]+,"change":/m);
    expect(child.stdout).toMatch(/^message \[\d+\] market summary\n {2,}ACME \d+\.\d\d\n/m);

    // The page and the IIFE build it loads, from the same server.
    const page = /browser page: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(child.stdout)?.[1];
    expect(page).toBeDefined();
    const html = await (await fetch(page as string)).text();
    expect(html).toContain('<script src="/universal-eventsource.iife.min.js"></script>');
    expect(html).toContain('new Source("/events")');
    const script = await fetch(new URL("/universal-eventsource.iife.min.js", page));
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript");
    expect(await script.text()).toBe(
      readFileSync(
        new URL("../../dist/universal-eventsource.iife.min.js", import.meta.url),
        "utf8",
      ),
    );

    child.process.kill("SIGINT");
    expect(await child.exited).toBe(0);
    expect(child.stderr.trimEnd().split("\n").at(-1)).toBe("* interrupted; closing");
  });

  it("stops quietly, with status 0, when the reader of stdout goes away (`npm start | head`)", async () => {
    const child = spawnBuilt("demo.js", ["--rate", "50"]);
    await child.waitFor(({ stdout }) => printedIds(stdout).length > 0);
    // The client prints an event every 20 ms: the next one finds no reader (EPIPE).
    child.process.stdout?.destroy();
    expect(await child.exited).toBe(0);
    expect(child.stderr).not.toMatch(/Error|EPIPE/);
  });

  it("--no-client only serves; the stream resumes after Last-Event-ID", async () => {
    const child = spawnBuilt("demo.js", ["--no-client", "--rate", "50"]);
    await child.waitFor(({ stdout }) => stdout.includes("Ctrl-C to stop."));
    const stream = /stream: +(\S+)/.exec(child.stdout)?.[1] as string;
    // Wait until the feed has a history, then ask to resume after id 1.
    const controller = new AbortController();
    const response = await fetch(stream, {
      headers: { "last-event-id": "1" },
      signal: controller.signal,
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!/id: 3\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    controller.abort();
    expect(text.startsWith("retry: 1000\n\n")).toBe(true);
    expect(text).toMatch(/^id: 2$/m);
    expect(text).not.toMatch(/^id: 1$/m);
    child.process.kill("SIGINT");
    expect(await child.exited).toBe(0);
  });
});
