/**
 * DESIGN "Decisions": in Node an open or reconnecting source keeps the process alive, as a
 * browser tab would, and after close() nothing of it does. A child process reconnects (only
 * the reconnection timer can keep it alive across the gap), then closes and must exit alone.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { bundleEntry } from "../helpers/bundle.js";
import { serverForEachTest } from "../helpers/server.js";

describe.each([
  ["undici", "{}"],
  ["fetch", "{ fetch: globalThis.fetch }"],
])("process lifetime over %s", (_name, init) => {
  const server = serverForEachTest();

  it("a reconnecting source keeps Node alive; after close() the process exits by itself", async () => {
    const module = await bundleEntry("src/entries/node.ts", "node-entry-lifetime");
    const script = `
      import { EventSource } from ${JSON.stringify(module)};
      const source = new EventSource(${JSON.stringify(server.url("/counter?count=1&retry=50"))}, ${init});
      let opens = 0;
      source.onopen = () => {
        opens++;
        console.log("open " + opens);
        if (opens === 2) source.close();
      };
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    // Bounded: if something kept the process alive after close(), fail instead of hanging.
    const timeout = setTimeout(() => child.kill(), 10_000);
    const code = await exited;
    clearTimeout(timeout);
    expect(stdout).toBe("open 1\nopen 2\n");
    expect(code).toBe(0);
    expect(server.requestsTo("/counter")).toHaveLength(2);
  });
});
