/**
 * A listener that throws: the platform reports the exception (Node: an uncaught exception,
 * as its EventTarget does) and the stream goes on, in order. Run in a child process so the
 * reported exception reaches a process of its own rather than the test runner.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { bundleEntry } from "../helpers/bundle.js";
import { serverForEachTest, sseHeaders } from "../helpers/server.js";

describe("listener exceptions", () => {
  const server = serverForEachTest();

  it("are reported, never swallowed, and do not break the stream", async () => {
    server.route("/three", (_request, response) => {
      sseHeaders(response);
      response.write("data: 1\n\ndata: 2\n\ndata: 3\n\n");
    });
    const module = await bundleEntry("src/entries/node.ts", "node-entry");
    const script = `
      import { EventSource } from ${JSON.stringify(module)};
      const reported = [];
      const seen = [];
      // After close() nothing keeps the process alive: it exits by itself, and says what it saw.
      process.on("exit", () => console.log(JSON.stringify({ seen, reported })));
      process.on("uncaughtException", (error) => reported.push(error.message));
      const source = new EventSource(${JSON.stringify(server.url("/three"))});
      source.addEventListener("message", (event) => { seen.push(event.data); throw new Error("boom " + event.data); });
      source.addEventListener("message", (event) => {
        seen.push("second " + event.data);
        if (event.data === "3") source.close();
      });
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      seen: ["1", "second 1", "2", "second 2", "3", "second 3"],
      reported: ["boom 1", "boom 2", "boom 3"],
    });
  });
});
