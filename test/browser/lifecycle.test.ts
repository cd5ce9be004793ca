/**
 * [NON-SPEC] `browserLifecycle` in real Chromium: back online, a source waiting to reconnect
 * reconnects at once instead of after its reconnection time ([R3] allows waiting for the
 * network; this skips the rest of the wait). Offline/online come from the devtools protocol
 * (playwright's `setOffline`). And a hidden page keeps its stream.
 */
import { describe, expect, it } from "vitest";
import { sseHeaders } from "../helpers/server.js";
import { chromiumAvailable } from "./chromium.js";
import { useBrowser } from "./fixture.js";

/** Poll on a timer: a hidden page runs no animation frames, playwright's default. */
const poll = { polling: 50 };

const run = chromiumAvailable("lifecycle") ? describe : describe.skip;

run("[NON-SPEC] browserLifecycle in Chromium", () => {
  const browser = useBrowser();

  /** One event, then the stream ends with a reconnection time of 10 minutes. */
  const routeOnce = (path: string) => {
    browser.site.a.route(path, (_request, response) => {
      sseHeaders(response);
      response.end(`retry: 600000\ndata: ${browser.site.a.requestsTo(path).length}\n\n`);
    });
  };

  it("[NON-SPEC] back online: the waiting source reconnects at once; one without the option keeps waiting", async () => {
    routeOnce("/life/on");
    routeOnce("/life/off");
    const page = await browser.open("extended");
    await page.evaluate(
      ([on, off]) => {
        const scope = window as unknown as Record<string, unknown>;
        const Tested = scope.TestedEventSource as typeof EventSource;
        const log: string[] = [];
        scope.lifecycleLog = log;
        const watch = (name: string, source: EventSource) => {
          source.onopen = () => log.push(`${name} open`);
          source.onerror = () => log.push(`${name} error ${source.readyState}`);
        };
        const init = { browserLifecycle: true } as EventSourceInit;
        scope.withOption = new Tested(on as string, init);
        scope.withoutOption = new Tested(off as string);
        watch("on", scope.withOption as EventSource);
        watch("off", scope.withoutOption as EventSource);
        window.addEventListener("online", () => log.push("online"));
      },
      [browser.site.a.url("/life/on"), browser.site.a.url("/life/off")],
    );
    // Both connected once and are now waiting out `retry: 600000`.
    await page.waitForFunction(
      () => {
        const log = (window as unknown as { lifecycleLog: string[] }).lifecycleLog;
        return log.includes("on error 0") && log.includes("off error 0");
      },
      null,
      poll,
    );
    await browser.chromium.context.setOffline(true);
    await browser.chromium.context.setOffline(false);
    await browser.site.a.waitForRequests("/life/on", 2);
    // The reconnection opened (and, the stream ending again, waits anew).
    await page.waitForFunction(
      () =>
        (window as unknown as { lifecycleLog: string[] }).lifecycleLog.filter(
          (e) => e === "on open",
        ).length === 2,
      null,
      poll,
    );
    const log = await page.evaluate(
      () => (window as unknown as { lifecycleLog: string[] }).lifecycleLog,
    );
    expect(log.indexOf("online")).toBeLessThan(log.lastIndexOf("on open"));
    expect(browser.site.a.requestsTo("/life/off")).toHaveLength(1);
    expect(
      await page.evaluate(
        () => (window as unknown as Record<string, EventSource>).withoutOption?.readyState,
      ),
    ).toBe(0);
    await page.evaluate(() => {
      const scope = window as unknown as Record<string, EventSource>;
      scope.withOption?.close();
      scope.withoutOption?.close();
    });
    await page.close();
  });

  it("[NON-SPEC] a page restored from the back/forward cache reconnects a waiting source at once", async () => {
    // Playwright's Chromium runs without a back/forward cache, so the restore is emulated: the
    // `pageshow` event with `persisted` that a restore fires. A plain pageshow changes nothing.
    routeOnce("/life/bfcache");
    const page = await browser.open("extended");
    await page.evaluate((url) => {
      const scope = window as unknown as Record<string, unknown>;
      const Tested = scope.TestedEventSource as typeof EventSource;
      const log: string[] = [];
      scope.bfcacheLog = log;
      const source = new Tested(url, { browserLifecycle: true } as EventSourceInit);
      scope.bfcacheSource = source;
      source.onopen = () => log.push("open");
      source.onerror = () => log.push(`error ${source.readyState}`);
    }, browser.site.a.url("/life/bfcache"));
    const logged = (entries: string[]) =>
      page.waitForFunction(
        (expected) =>
          JSON.stringify((window as unknown as { bfcacheLog: string[] }).bfcacheLog) === expected,
        JSON.stringify(entries),
        poll,
      );
    await logged(["open", "error 0"]);
    await page.evaluate(() => {
      window.dispatchEvent(new PageTransitionEvent("pageshow", { persisted: false }));
      window.dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true }));
    });
    await logged(["open", "error 0", "open", "error 0"]);
    expect(browser.site.a.requestsTo("/life/bfcache")).toHaveLength(2);
    await page.evaluate(() =>
      (window as unknown as Record<string, EventSource>).bfcacheSource?.close(),
    );
    await page.close();
  });

  it("[NON-SPEC] a hidden page keeps its stream", async () => {
    // Headless Chromium keeps every page visible, so hiding is emulated: visibilityState
    // "hidden" and the visibilitychange event a hidden tab gets.
    let write: ((text: string) => void) | undefined;
    browser.site.a.route("/life/hidden", (_request, response) => {
      sseHeaders(response);
      write = (text) => response.write(text);
      write("data: visible\n\n");
    });
    const page = await browser.open("extended");
    await page.evaluate((url) => {
      const scope = window as unknown as Record<string, unknown>;
      const Tested = scope.TestedEventSource as typeof EventSource;
      const seen: string[] = [];
      scope.hiddenSeen = seen;
      const source = new Tested(url, { browserLifecycle: true } as EventSourceInit);
      scope.hiddenSource = source;
      source.onmessage = (event) => seen.push(`${document.visibilityState} ${event.data}`);
    }, browser.site.a.url("/life/hidden"));
    const seenCount = (count: number) =>
      page.waitForFunction(
        (n) => (window as unknown as { hiddenSeen: string[] }).hiddenSeen.length === n,
        count,
        poll,
      );
    await seenCount(1);
    await page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
      Object.defineProperty(document, "hidden", { value: true, configurable: true });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    write?.("data: while hidden\n\n");
    await seenCount(2);
    const result = await page.evaluate(() => {
      const scope = window as unknown as Record<string, unknown>;
      const source = scope.hiddenSource as EventSource;
      const state = source.readyState;
      source.close();
      return { seen: scope.hiddenSeen as string[], state };
    });
    expect(result).toEqual({ seen: ["visible visible", "hidden while hidden"], state: 1 });
    expect(browser.site.a.requestsTo("/life/hidden")).toHaveLength(1);
    await page.close();
  });
});
