/**
 * The `npm start` demo's page in real Chromium: served by the demo server, it loads the built
 * script-tag polyfill and shows the live event log, through the server's deliberate drops,
 * with no event lost or repeated (the ids on the page are consecutive).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killAll, spawnBuilt } from "../cli/child.js";
import { type Chromium, chromiumAvailable, launchChromium } from "./chromium.js";

describe.runIf(chromiumAvailable("demo page"))("the demo page in Chromium", () => {
  let chromium: Chromium;
  beforeAll(async () => {
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium.close();
    await killAll();
  });

  it("shows the events across reconnections, ids consecutive, on the polyfill", async () => {
    const demo = spawnBuilt("demo.js", [
      "--no-client",
      "--rate",
      "40",
      "--disconnect-every",
      "300ms",
    ]);
    await demo.waitFor(({ stdout }) => /browser page: +http:\/\/127\.0\.0\.1:\d+\//.test(stdout));
    const url = /browser page: +(http:\/\/127\.0\.0\.1:\d+\/)/.exec(demo.stdout)?.[1] as string;

    const page = await chromium.context.newPage();
    try {
      await page.goto(url);
      // Enough events to span several of the server's drops (one every 300 ms at 40/s).
      await page.waitForFunction(
        () => document.querySelectorAll("li[data-event-id]").length >= 40,
        undefined,
        {
          timeout: 15_000,
        },
      );
      const ids = await page.$$eval("li[data-event-id]", (items) =>
        items.map((item) => Number(item.getAttribute("data-event-id"))),
      );
      const implementation = await page.getAttribute("body", "data-implementation");
      const state = await page.getAttribute("#state", "data-state");
      // Newest first: reversed, they must count up by one.
      const ascending = ids.reverse();
      const first = ascending[0] as number;
      expect(ascending).toEqual(ascending.map((_id, i) => first + i));
      expect(implementation).toBe("universal-eventsource");
      expect(["open", "connecting"]).toContain(state);
    } finally {
      await page.close();
      demo.process.kill("SIGINT");
      expect(await demo.exited).toBe(0);
    }
  });
});
