/**
 * The script tag in a service worker, in real Chromium: `importScripts` it, and
 * `UniversalEventSource` streams over fetch, since a service worker has no XMLHttpRequest. It
 * leaves the worker's own EventSource (Chromium has one there) in place, and resolves a relative
 * URL against the worker's location, having no document.
 */
import { describe, expect, it } from "vitest";
import { chromiumAvailable } from "./chromium.js";
import { useBrowser } from "./fixture.js";

const run = chromiumAvailable("service worker") ? describe : describe.skip;

/**
 * The worker: on a message with a URL, it records the first `count` messages of a source for it
 * (then closes the source) and posts what it saw back on the message's port. `waitUntil` keeps
 * the worker alive meanwhile; a stream that goes wrong posts its error state instead.
 */
const workerScript = `
var nativeBefore = typeof self.EventSource;
importScripts("/dist/universal-eventsource.iife.js");
self.addEventListener("message", function (event) {
  var port = event.ports[0];
  var want = event.data.count;
  event.waitUntil(new Promise(function (resolve) {
    var seen = { nativeBefore: nativeBefore, nativeKept: self.EventSource !== self.UniversalEventSource,
      hasXHR: typeof XMLHttpRequest !== "undefined", messages: [], errors: [] };
    var source = new UniversalEventSource(event.data.url);
    var finish = function () { source.close(); port.postMessage(seen); resolve(); };
    source.onmessage = function (message) {
      seen.messages.push(message.data + "@" + message.lastEventId);
      if (seen.messages.length === want) finish();
    };
    source.onerror = function () {
      seen.errors.push(source.readyState);
      if (source.readyState === source.CLOSED) finish();
    };
    setTimeout(finish, 10000);
  }));
});
`;

run("the script tag in a service worker (Chromium)", () => {
  const browser = useBrowser();

  it("UniversalEventSource streams over fetch (no XHR there), reconnects with Last-Event-ID, and resolves a relative URL", async () => {
    browser.site.a.route("/ues-sw.js", (_request, response) => {
      response.writeHead(200, {
        "content-type": "text/javascript; charset=utf-8",
        "cache-control": "no-store",
      });
      response.end(workerScript);
    });
    const page = await browser.open("esm");
    try {
      const seen = await page.evaluate(async (url) => {
        // Scoped to a path no other request uses: the worker controls nothing the suite loads.
        const registration = await navigator.serviceWorker.register("/ues-sw.js", {
          scope: "/ues-sw-scope/",
        });
        try {
          const worker =
            registration.installing ??
            registration.waiting ??
            (registration.active as ServiceWorker);
          if (worker.state !== "activated") {
            await new Promise<void>((resolve) => {
              worker.addEventListener("statechange", () => {
                if (worker.state === "activated") resolve();
              });
            });
          }
          const channel = new MessageChannel();
          const answer = new Promise((resolve) => {
            channel.port1.onmessage = (event) => resolve(event.data);
          });
          worker.postMessage({ url, count: 4 }, [channel.port2]);
          return await answer;
        } finally {
          await registration.unregister();
        }
      }, "../sse/counter?count=2&retry=10");

      expect(seen).toEqual({
        nativeBefore: "function",
        nativeKept: true,
        hasXHR: false,
        messages: ["1@1", "2@2", "3@3", "4@4"],
        // The first stream ended: one reconnection, from CONNECTING.
        errors: [0],
      });
      const requests = browser.site.a.requestsTo("/sse/counter");
      expect(requests.map((request) => request.headers["last-event-id"])).toEqual([undefined, "2"]);
    } finally {
      await page.close();
    }
  });
});
