/**
 * A real client library on the polyfill, with the native EventSource deleted: htmx 2 and its SSE
 * extension (htmx-ext-sse, from npm) drive a page in Chromium. `sse-connect` opens the source
 * with `new EventSource(url, { withCredentials: true })`, `sse-swap` swaps event data into the
 * DOM, `sse-close` closes the source on a named event.
 */
import { describe, expect, it } from "vitest";
import { chromiumAvailable } from "./chromium.js";
import { useBrowser } from "./fixture.js";
import { chunksParam, type Mode, page } from "./site.js";

const events = [
  "event: price\ndata: <b>42</b>\n\n",
  "data: <li>a</li>\n\n",
  "event: price\ndata: <b>43</b>\n\n",
  "data: <li>b</li>\n\n",
  "event: done\ndata: bye\n\n",
];

/** The htmx page: the library (per mode), htmx, the extension, and elements wired to a stream. */
function htmxPage(mode: Mode, stream: string): string {
  return page(
    mode,
    `<script src="/vendor/htmx.js"></script>
<script src="/vendor/htmx-ext-sse.js"></script>
<div id="feed" hx-ext="sse" sse-connect="${stream}" sse-close="done">
  <div id="price" sse-swap="price">waiting</div>
  <ul id="log" sse-swap="message" hx-swap="beforeend"></ul>
</div>
<script>
window.swaps = [];
document.body.addEventListener("htmx:sseMessage", function (event) {
  window.swaps.push([event.target.id, event.target.textContent, event.target.children.length]);
});
document.body.addEventListener("htmx:sseClose", function (event) {
  window.closedBy = event.detail.type;
});
</script>`,
  );
}

describe.skipIf(!chromiumAvailable("htmx on the polyfill"))(
  "htmx SSE extension on the polyfill",
  () => {
    const browser = useBrowser();

    // Only the script-tag modes: htmx uses the global EventSource, which the ESM entry leaves alone.
    it.each(["iife", "xhr-only"] as const)(
      "Chromium, %s: sse-connect, sse-swap and sse-close update the page with the native EventSource deleted",
      async (mode) => {
        const { a } = browser.site;
        const stream = `/sse/chunks?chunks=${chunksParam(events.map((text) => new TextEncoder().encode(text)))}&hold&tag=htmx-${mode}`;
        a.route(`/htmx-${mode}`, (_request, response) => {
          response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          response.end(htmxPage(mode, stream));
        });
        const tab = await browser.open(mode, `/htmx-${mode}`);
        try {
          await tab.waitForFunction(
            () => (window as { closedBy?: string }).closedBy !== undefined,
            null,
            {
              timeout: 10_000,
            },
          );
          const state = await tab.evaluate(() => {
            const scope = window as unknown as Record<string, unknown>;
            return {
              polyfilled:
                scope.EventSource === scope.UniversalEventSource &&
                scope.EventSource !== scope.NativeEventSource,
              swaps: scope.swaps,
              closedBy: scope.closedBy,
              price: document.querySelector("#price > b")?.textContent,
              log: Array.from(document.querySelectorAll("#log > li"), (item) => item.textContent),
            };
          });
          expect(state).toEqual({
            polyfilled: true,
            swaps: [
              ["price", "42", 1],
              ["log", "a", 1],
              ["price", "43", 1],
              ["log", "ab", 2],
            ],
            closedBy: "message",
            price: "43",
            log: ["a", "b"],
          });
          const requests = a.requests.filter((request) =>
            request.path.includes(`tag=htmx-${mode}`),
          );
          expect(requests).toHaveLength(1);
          expect(requests[0]?.headers.accept).toBe("text/event-stream");
        } finally {
          await tab.close();
        }
      },
    );
  },
);
