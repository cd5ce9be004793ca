/**
 * [NON-SPEC] msw in the browser: a page that mocks an SSE endpoint with msw 2's `sse()` handler
 * and its service worker drives the EventSource under test with no setup at all (its default
 * transport is fetch, which the worker intercepts), in the ESM build and in the script-tag
 * build (where it is the page's only EventSource). msw is loaded as its users load it without
 * a bundler: its IIFE build, and the worker script at the site's root.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { chromiumAvailable } from "./chromium.js";
import { useBrowser } from "./fixture.js";

const root = resolve(import.meta.dirname, "../..");
const run = chromiumAvailable("msw") ? describe : describe.skip;

run("[NON-SPEC] msw's sse() handler in Chromium", () => {
  const browser = useBrowser();

  const serve = (path: string, file: string) =>
    browser.site.a.route(path, (_request, response) => {
      response.writeHead(200, {
        "content-type": "text/javascript; charset=utf-8",
        "cache-control": "no-store",
      });
      response.end(readFileSync(resolve(root, file)));
    });

  it.each(["esm", "extended", "iife"] as const)(
    "[NON-SPEC] %s: a mocked stream reaches the EventSource under test",
    async (mode) => {
      serve("/mockServiceWorker.js", "node_modules/msw/lib/mockServiceWorker.js");
      serve("/vendor/msw.js", "node_modules/msw/lib/iife/index.js");
      const page = await browser.open(mode);
      const result = await page.evaluate(async () => {
        const scope = window as unknown as Record<string, unknown>;
        await new Promise<void>((done, fail) => {
          const script = document.createElement("script");
          script.src = "/vendor/msw.js";
          script.onload = () => done();
          script.onerror = () => fail(new Error("msw did not load"));
          document.head.appendChild(script);
        });
        interface Msw {
          sse(
            path: string,
            resolver: (info: {
              client: { send(message: { id?: string; event?: string; data: string }): void };
            }) => void,
          ): unknown;
          setupWorker(...handlers: unknown[]): {
            start(options: object): Promise<unknown>;
            stop(): void;
          };
        }
        const { sse, setupWorker } = scope.MockServiceWorker as Msw;
        const worker = setupWorker(
          sse("/mocked/stream", ({ client }) => {
            client.send({ data: "hello" });
            client.send({ id: "7", event: "update", data: "42" });
          }),
        );
        await worker.start({ quiet: true, onUnhandledRequest: "bypass" });
        const Tested = scope.TestedEventSource as typeof EventSource;
        const source = new Tested("/mocked/stream");
        const seen: string[] = [];
        await new Promise<void>((done) => {
          source.onmessage = (event) => seen.push(`message ${event.data}`);
          source.addEventListener("update", (event) => {
            seen.push(
              `update ${(event as MessageEvent).data} ${(event as MessageEvent).lastEventId}`,
            );
            done();
          });
        });
        source.close();
        worker.stop();
        return { seen, tested: Tested !== scope.NativeEventSource };
      });
      expect(result).toEqual({ seen: ["message hello", "update 42 7"], tested: true });
      // The worker answered: the site never saw the stream's request.
      expect(browser.site.a.requestsTo("/mocked/stream")).toHaveLength(0);
      await page.close();
    },
  );
});
