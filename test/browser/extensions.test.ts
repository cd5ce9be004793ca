/**
 * [NON-SPEC] The request options in a real browser. The extended build
 * (`universal-eventsource/extended`): an async headers function, a POST body, the resume ID as
 * a query parameter, and a heartbeat timeout reach the server. The standard builds (the ESM
 * entry, the script tag, an old browser's XHR view of it) ignore them, as the platform's
 * EventSource ignores unknown init members.
 */
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { sseHeaders } from "../helpers/server.js";
import { chromiumAvailable } from "./chromium.js";
import { useBrowser } from "./fixture.js";
import { modes } from "./site.js";

const run = chromiumAvailable("extensions") ? describe : describe.skip;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => resolve(body));
  });
}

run("[NON-SPEC] request options in Chromium", () => {
  const browser = useBrowser();

  it.each(["extended"] as const)(
    "[NON-SPEC] %s: async headers, POST body, lastEventIdQueryParameter, heartbeatTimeout",
    async (mode) => {
      const path = `/ext/${mode}`;
      const bodies: string[] = [];
      browser.site.a.route(path, async (request, response) => {
        bodies.push(await readBody(request));
        sseHeaders(response);
        // The first stream goes silent after one event: the heartbeat reestablishes it.
        response.write(`retry: 1\nid: ${bodies.length + 10}\ndata: ${bodies.length}\n\n`);
      });
      const page = await browser.open(mode);
      const log = await page.evaluate((url) => {
        const scope = window as unknown as Record<string, unknown>;
        const Tested = scope.TestedEventSource as typeof EventSource;
        let calls = 0;
        const init = {
          headers: () => Promise.resolve({ "x-token": `t${++calls}` }),
          method: "POST",
          body: "question",
          lastEventId: "5",
          lastEventIdQueryParameter: "lastEventID",
          heartbeatTimeout: 300,
        };
        const source = new Tested(url, init as EventSourceInit);
        const seen: string[] = [];
        return new Promise<string[]>((done) => {
          source.onmessage = (event) => {
            seen.push(`${event.data} ${event.lastEventId}`);
            if (event.data === "2") {
              source.close();
              done(seen);
            }
          };
          source.onerror = (event) =>
            seen.push(`error ${(event as Event & { message?: string }).message}`);
        });
      }, browser.site.a.url(path));
      expect(log).toEqual(["1 11", "error no data for 300 ms (heartbeatTimeout)", "2 12"]);
      const [first, second] = browser.site.a.requestsTo(path);
      expect(first?.method).toBe("POST");
      expect(first?.headers["x-token"]).toBe("t1");
      expect(second?.headers["x-token"]).toBe("t2");
      expect(bodies).toEqual(["question", "question"]);
      expect(new URL(first?.path ?? "", "http://x").searchParams.get("lastEventID")).toBe("5");
      expect(new URL(second?.path ?? "", "http://x").searchParams.get("lastEventID")).toBe("11");
      expect(first?.headers["last-event-id"]).toBeUndefined();
      await page.close();
    },
  );

  it.each(modes)(
    "[NON-SPEC] %s: the standard build ignores the extension options (a GET, no extra header)",
    async (mode) => {
      const path = `/ext-ignored/${mode}`;
      browser.site.a.route(path, (_request, response) => {
        sseHeaders(response);
        response.end("data: only\n\n");
      });
      const page = await browser.open(mode);
      const data = await page.evaluate((url) => {
        const scope = window as unknown as Record<string, unknown>;
        const Tested = scope.TestedEventSource as typeof EventSource;
        const init = { headers: { "x-token": "t" }, method: "POST", body: "question" };
        const source = new Tested(url, init as EventSourceInit);
        return new Promise<string>((done) => {
          source.onmessage = (event) => {
            source.close();
            done(event.data);
          };
        });
      }, browser.site.a.url(path));
      expect(data).toBe("only");
      const [request] = browser.site.a.requestsTo(path);
      expect(request?.method).toBe("GET");
      expect(request?.headers["x-token"]).toBeUndefined();
      await page.close();
    },
  );
});
