/**
 * The browser suite, in real Chromium, in each of the three ways a page loads the library
 * (site.ts: the ESM entry, the IIFE after `delete window.EventSource`, and the IIFE in a page
 * with only XMLHttpRequest left). Same cases in every mode, named after the WPT tests
 * (digest §11) and spec steps they mirror.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../helpers/server.js";
import { chromiumAvailable } from "./chromium.js";
import { type Entry, type RecordOptions, recordIn, useBrowser } from "./fixture.js";
import { chunksParam, modes } from "./site.js";

const utf8 = (text: string) => new TextEncoder().encode(text);
const BOM = Uint8Array.of(0xef, 0xbb, 0xbf);
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));

describe.skipIf(!chromiumAvailable("browser conformance"))("browser conformance", () => {
  const browser = useBrowser();

  describe.each(modes)("Chromium, %s", (mode) => {
    let page: Page;
    let a: TestServer;
    let b: TestServer;
    let serial = 0;
    beforeAll(async () => {
      page = await browser.open(mode);
      a = browser.site.a;
      b = browser.site.b;
    });
    afterAll(async () => {
      await page.close();
    });

    /** A query tag unique to this call, so a test finds its own requests among the recorded ones. */
    const tag = () => `tag=${mode}-${++serial}`;
    const tagged = (server: TestServer, t: string, method = "GET") =>
      server.requests.filter((request) => request.path.includes(t) && request.method === method);
    const record = (url: string, options: RecordOptions, init?: { withCredentials?: boolean }) =>
      recordIn(page, url, init, options);
    const chunks = (server: TestServer, parts: Uint8Array[], extra = "") =>
      server.url(`/sse/chunks?chunks=${chunksParam(parts)}${extra}&${tag()}`);
    const message = (data: string, origin: string, lastEventId = "", type = "message"): Entry => ({
      type,
      readyState: 1,
      data,
      lastEventId,
      origin,
    });
    const open: Entry = { type: "open", readyState: 1 };
    const reconnecting: Entry = { type: "error", readyState: 0 };
    const failed: Entry = { type: "error", readyState: 2 };

    it("loads as a user loads it (the IIFE installs window.EventSource only where missing)", async () => {
      const globals = await page.evaluate(() => {
        const scope = window as unknown as Record<string, unknown>;
        return {
          isNative: scope.TestedEventSource === scope.NativeEventSource,
          isUniversal: scope.TestedEventSource === scope.UniversalEventSource,
          stillPresent: scope.missingAfterDelete,
        };
      });
      expect(globals.isNative).toBe(false);
      if (mode === "esm") expect(globals.isUniversal).toBe(false);
      else expect(globals).toEqual({ isNative: false, isUniversal: true, stillPresent: [] });
    });

    it("eventsource-onopen, eventsource-readyState: open, messages, error, reconnection with Last-Event-ID [C15.4][R1][R5.3]", async () => {
      const t = tag();
      const result = await record(a.url(`/sse/counter?count=2&retry=50&${t}`), { until: 7 });
      expect(result.initialReadyState).toBe(0);
      expect(result.log).toEqual([
        open,
        message("1", a.origin, "1"),
        message("2", a.origin, "2"),
        reconnecting,
        open,
        message("3", a.origin, "3"),
        message("4", a.origin, "4"),
      ]);
      expect(result.readyState).toBe(2);
      const requests = tagged(a, t);
      expect(requests[0]?.headers["last-event-id"]).toBeUndefined();
      expect(requests[0]?.headers.accept).toBe("text/event-stream");
      expect(requests[1]?.headers["last-event-id"]).toBe("2");
    });

    it("format-field-event, eventsource-onmessage: a custom type reaches its listeners, onmessage only `message` [P-event][D6]", async () => {
      const body = "event: add\ndata: 1\n\ndata: 2\n\nevent: message\ndata: 3\n\n";
      const result = await record(chunks(a, [utf8(body)]), {
        types: ["add"],
        onmessage: true,
        stopOnError: true,
      });
      expect(result.log).toEqual([
        open,
        message("1", a.origin, "", "add"),
        message("2", a.origin),
        { ...message("2", a.origin), via: "onmessage" },
        message("3", a.origin),
        { ...message("3", a.origin), via: "onmessage" },
        reconnecting,
      ]);
    });

    it("format-field-retry: `retry` sets the reconnection time [P-retry][R2]", async () => {
      const result = await record(chunks(a, [utf8("retry: 400\ndata: x\n\n")]), {
        until: 5,
        times: true,
      });
      const log = result.log.map(({ at: _at, ...entry }) => entry);
      expect(log).toEqual([
        open,
        message("x", a.origin),
        reconnecting,
        open,
        message("x", a.origin),
      ]);
      const [error, reopen] = [result.log[2]?.at ?? 0, result.log[3]?.at ?? 0];
      // A lower bound only: a loaded machine can make the wait longer, never shorter.
      expect(reopen - error).toBeGreaterThanOrEqual(390);
    });

    it.each([
      ["request-status-error: 204", "/status/204"],
      ["request-status-error: 500", "/status/500"],
      ["format-mime-valid-bogus: text/plain", "/content-type?type=text%2Fplain"],
    ])("%s fails the connection, no reconnection [C15.3]", async (_name, path) => {
      const t = tag();
      const url = a.url(`${path}${path.includes("?") ? "&" : "?"}${t}`);
      const result = await record(url, {});
      expect(result.log).toEqual([failed]);
      expect(result.readyState).toBe(2);
      expect(tagged(a, t)).toHaveLength(1);
    });

    // Over fetch only: the xhr-only page's XMLHttpRequest sends the request.
    if (mode !== "xhr-only") {
      it("a URL with credentials fails at once over fetch, as Chromium's own EventSource does [C15.2]", async () => {
        const t = tag();
        const url = a.url(`/sse/counter?count=1&${t}`).replace("http://", "http://user:pass@");
        const result = await record(url, {});
        expect(result.log).toEqual([failed]);
        expect(result.readyState).toBe(2);
        // The native source, for comparison: failed, no request either.
        const native = await page.evaluate(
          (nativeURL) =>
            new Promise<number>((resolve) => {
              const Native = (window as unknown as { NativeEventSource: typeof EventSource })
                .NativeEventSource;
              const source = new Native(nativeURL);
              source.onerror = () => resolve(source.readyState);
            }),
          `${url}&native`,
        );
        expect(native).toBe(2);
        expect(tagged(a, t)).toHaveLength(0);
      });
    }

    it.each([
      ["ws:", () => a.url("/sse/counter").replace("http:", "ws:")],
      ["ftp:", () => "ftp://127.0.0.1:9/x"],
      ["about:", () => "about:blank"],
    ])(
      "a %s URL fails at once, as Chromium's own EventSource does, instead of retrying forever [C15.2]",
      async (_scheme, url) => {
        const result = await record(url(), {});
        expect(result.log).toEqual([failed]);
        expect(result.readyState).toBe(2);
        const native = await recordIn(page, url(), undefined, {}, "NativeEventSource");
        expect(native.log).toEqual([failed]);
      },
    );
    it("request-redirect: a same-origin redirect is followed; url keeps the given URL [C15]", async () => {
      const target = `/sse/counter?count=1&${tag()}`;
      const url = a.url(`/redirect?to=${encodeURIComponent(target)}`);
      const result = await record(url, { until: 2 });
      expect(result.log).toEqual([open, message("1", a.origin, "1")]);
      expect(result.url).toBe(url);
    });

    it("eventsource-cross-origin: a cross-origin redirect with CORS; origin is the final URL's; reconnects there with Last-Event-ID [D5]", async () => {
      const t = tag();
      const target = b.url(`/sse/counter?count=1&retry=50&${t}`);
      const result = await record(a.url(`/redirect?to=${encodeURIComponent(target)}`), {
        until: 5,
      });
      expect(result.log).toEqual([
        open,
        message("1", b.origin, "1"),
        reconnecting,
        open,
        message("2", b.origin, "2"),
      ]);
      expect(tagged(b, t)[1]?.headers["last-event-id"]).toBe("1");
    });

    it("eventsource-cross-origin-preflight: a cross-origin reconnection sends Last-Event-ID after a preflight the server allows (digest §4)", async () => {
      const t = tag();
      const result = await record(b.url(`/sse/counter?count=1&retry=50&${t}`), { until: 5 });
      expect(result.log).toEqual([
        open,
        message("1", b.origin, "1"),
        reconnecting,
        open,
        message("2", b.origin, "2"),
      ]);
      expect(tagged(b, t)[1]?.headers["last-event-id"]).toBe("1");
      // A polyfill's Last-Event-ID is an author header, not CORS-safelisted: it is preflighted.
      const preflights = tagged(b, t, "OPTIONS");
      expect(preflights.length).toBeGreaterThanOrEqual(1);
      expect(preflights[0]?.headers["access-control-request-headers"]).toContain("last-event-id");
    });

    it("request-credentials: cookies go cross-origin only with withCredentials; same-origin always [C7][C8]", async () => {
      // A cookie of host 127.0.0.1: both origins (two ports of one host) are the same site.
      await browser.chromium.context.addCookies([{ name: "ues", value: "1", url: a.origin }]);
      try {
        const cases = [
          [b.url(`/sse/cookie?${tag()}`), {}, ""],
          [b.url(`/sse/cookie?${tag()}`), { withCredentials: true }, "ues=1"],
          [a.url(`/sse/cookie?${tag()}`), {}, "ues=1"],
        ] as const;
        for (const [url, init, cookie] of cases) {
          const origin = new URL(url).origin;
          const result = await record(url, { until: 2 }, init);
          expect(result.withCredentials).toBe(init === cases[1][1]);
          expect(result.log).toEqual([open, message(cookie, origin)]);
        }
      } finally {
        await browser.chromium.context.clearCookies();
      }
    });

    it("eventsource-close: close() inside a handler stops the events of the same chunk; no error [D8][§8]", async () => {
      const result = await record(chunks(a, [utf8("data: 1\n\ndata: 2\n\ndata: 3\n\n")], "&hold"), {
        closeAtMessage: 1,
      });
      expect(result.log).toEqual([open, message("1", a.origin)]);
      expect(result.readyState).toBe(2);
    });

    it("format-utf-8: multi-byte characters split across chunks are decoded whole [§7.1]", async () => {
      const bytes = utf8("data: é日😀\n\n");
      const parts = Array.from(bytes, (byte) => Uint8Array.of(byte));
      const result = await record(chunks(a, parts, "&hold&delay=5"), { until: 2 });
      expect(result.log).toEqual([open, message("é日😀", a.origin)]);
    });

    it("format-bom: one leading BOM is stripped, even split across chunks [§7.1]", async () => {
      const parts = [BOM.subarray(0, 1), concat(BOM.subarray(1), utf8("data: a\n\n"))];
      const result = await record(chunks(a, parts, "&hold"), { until: 2 });
      expect(result.log).toEqual([open, message("a", a.origin)]);
    });

    it("format-bom-2: a second BOM is part of the field name [§7.1][P-other]", async () => {
      const parts = [concat(BOM, BOM, utf8("data: b\n\ndata: c\n\n"))];
      const result = await record(chunks(a, parts, "&hold"), { until: 2 });
      expect(result.log).toEqual([open, message("c", a.origin)]);
    });

    it("streams over the transport the mode implies (XMLHttpRequest only where fetch is gone)", async () => {
      const xhrOpens = await page.evaluate(
        () => (window as unknown as { xhrOpens: number }).xhrOpens,
      );
      if (mode === "xhr-only") expect(xhrOpens).toBeGreaterThan(10);
      else expect(xhrOpens).toBe(0);
    });
  });
});
