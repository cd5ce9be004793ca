/**
 * The WebIDL and HTML details of the standard surface, side by side with Chromium's own
 * EventSource (kept as `NativeEventSource` by every page): each case runs the same script on
 * both classes, in each of the three ways a page loads the library, and expects the same answer.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable } from "./chromium.js";
import { useBrowser } from "./fixture.js";
import { modes } from "./site.js";

type Which = "NativeEventSource" | "TestedEventSource";

describe.skipIf(!chromiumAvailable("browser IDL"))("browser IDL surface", () => {
  const browser = useBrowser();

  describe.each(modes)("Chromium, %s", (mode) => {
    let page: Page;
    let url: string;
    beforeAll(async () => {
      page = await browser.open(mode);
      // A stream that is never answered: the cases below only need a source that exists.
      url = browser.site.a.url("/sse/chunks?hold");
    });
    afterAll(async () => {
      await page.close();
    });

    /** What `script` returns for the native class and for the one under test. */
    const both = async <T>(
      script: (args: [Which, string]) => T | Promise<T>,
    ): Promise<{ native: T; tested: T }> => ({
      native: await page.evaluate(script, ["NativeEventSource", url] as [Which, string]),
      tested: await page.evaluate(script, ["TestedEventSource", url] as [Which, string]),
    });

    it("eventsource-prototype: Object.prototype.toString names an instance EventSource (script tag: known difference)", async () => {
      const { native, tested } = await both(([which, url]) => {
        const Source = (window as unknown as Record<Which, typeof EventSource>)[which];
        const source = new Source(url);
        source.close();
        return Object.prototype.toString.call(source);
      });
      expect(native).toBe("[object EventSource]");
      // The script tag leaves the tag out for its size ceiling (src/class-string.ts).
      expect(tested).toBe(mode === "esm" ? native : "[object EventTarget]");
    });

    it("[C1] the arguments are converted before the URL is parsed: a throwing init getter is thrown, not SyntaxError", async () => {
      const { native, tested } = await both(([which]) => {
        const Source = (window as unknown as Record<Which, typeof EventSource>)[which];
        const init = {
          get withCredentials(): boolean {
            throw new RangeError("getter");
          },
        };
        try {
          new Source("http://[::1/", init).close();
          return "no exception";
        } catch (error) {
          return (error as Error).name;
        }
      });
      expect(native).toBe("RangeError");
      expect(tested).toBe(native);
    });

    it("a handler returning false cancels a cancelable event dispatched on the source (HTML event handler processing)", async () => {
      const { native, tested } = await both(([which, url]) => {
        const Source = (window as unknown as Record<Which, typeof EventSource>)[which];
        const source = new Source(url);
        source.close();
        const results: boolean[] = [];
        source.onmessage = () => false;
        results.push(source.dispatchEvent(new Event("message", { cancelable: true })));
        source.onerror = () => false;
        results.push(source.dispatchEvent(new Event("error", { cancelable: true })));
        source.onopen = () => undefined;
        results.push(source.dispatchEvent(new Event("open", { cancelable: true })));
        return results;
      });
      expect(native).toEqual([false, false, true]);
      expect(tested).toEqual(native);
    });
  });
});
