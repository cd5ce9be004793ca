/**
 * [NON-SPEC] The script tag's XHR transport recycles a response past 1 MiB of text (xhr.ts): a
 * fresh request resumes from the last event ID, unseen. In real Chromium, in the page that has
 * only XMLHttpRequest left, it recycles without a gap or a repeat.
 */
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { sseHeaders } from "../helpers/server.js";
import { chromiumAvailable } from "./chromium.js";
import { useBrowser } from "./fixture.js";

const run = chromiumAvailable("xhr recycling") ? describe : describe.skip;

/** Events of 64 KiB: 40 make 2.5 MiB, so every stream crosses the 1 MiB threshold. */
const LAST = 40;
const filler = "x".repeat(64 * 1024);

/** Events from Last-Event-ID + 1 up to LAST, 5 ms apart (each its own progress event), then held. */
function writeEvents(response: ServerResponse, lastEventId: string | undefined): void {
  let id = Number(lastEventId ?? 0);
  const timer = setInterval(() => {
    if (response.destroyed || id >= LAST) {
      clearInterval(timer);
      return;
    }
    id++;
    response.write(`id: ${id}\ndata: ${id} ${filler}\n\n`);
  }, 5);
  response.on("close", () => clearInterval(timer));
}

run("[NON-SPEC] XHR recycling in Chromium", () => {
  const browser = useBrowser();

  /** What the script tag's source dispatches until event LAST (bounded by a timeout). */
  const receive = async (url: string): Promise<string[]> => {
    const page = await browser.open("xhr-only");
    const log = await page.evaluate(
      ([url, last]) =>
        new Promise<string[]>((done) => {
          const Source = (window as unknown as { TestedEventSource: typeof EventSource })
            .TestedEventSource;
          const source = new Source(url as string);
          const seen: string[] = [];
          const finish = () => {
            source.close();
            clearTimeout(bound);
            done(seen);
          };
          const bound = setTimeout(() => {
            seen.push("timeout");
            finish();
          }, 10_000);
          source.onopen = () => seen.push("open");
          source.onerror = () => seen.push(`error ${source.readyState}`);
          source.onmessage = (event) => {
            const id = event.data.split(" ")[0] as string;
            seen.push(id === event.lastEventId ? id : `${id} with id ${event.lastEventId}`);
            if (id === String(last)) finish();
          };
        }),
      [url, LAST] as const,
    );
    await page.close();
    return log;
  };
  const expected = ["open", ...Array.from({ length: LAST }, (_, index) => String(index + 1))];

  it("[NON-SPEC] same-origin: a response past 1 MiB is recycled, resuming with Last-Event-ID; no event lost, repeated or added", async () => {
    const path = "/recycle/same-origin";
    browser.site.a.route(path, (request, response) => {
      sseHeaders(response);
      writeEvents(response, request.headers["last-event-id"] as string | undefined);
    });
    expect(await receive(browser.site.a.url(path))).toEqual(expected);
    const requests = browser.site.a.requestsTo(path);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests[0]?.headers["last-event-id"]).toBeUndefined();
    expect(Number(requests[1]?.headers["last-event-id"])).toBeGreaterThan(0);
  });
});
