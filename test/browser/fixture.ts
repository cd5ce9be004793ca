/**
 * One Chromium and one site (two origins) per test file, opened in beforeAll and closed in
 * afterAll, and pages that load the library in a given mode. Browser suites need the built
 * files: `npm test` builds before vitest runs; a missing file fails with a clear message.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { type Chromium, launchChromium } from "./chromium.js";
import { type Mode, type Site, startSite } from "./site.js";

const dist = resolve(import.meta.dirname, "../../dist");
const builtFiles: Record<Mode, string[]> = {
  esm: ["index.js"],
  extended: ["extended.js"],
  iife: ["universal-eventsource.iife.js"],
  "xhr-only": ["universal-eventsource.iife.js"],
};

export interface Entry {
  type: string;
  readyState: number;
  data?: string;
  lastEventId?: string;
  origin?: string;
  via?: string;
  at?: number;
}

export interface Recording {
  initialReadyState: number;
  url: string;
  withCredentials: boolean;
  log: Entry[];
  readyState: number;
  timedOut: boolean;
}

export interface RecordOptions {
  types?: string[];
  onmessage?: boolean;
  until?: number;
  closeAtMessage?: number;
  quiet?: number;
  stopOnError?: boolean;
  timeout?: number;
  times?: boolean;
}

export interface Browser {
  site: Site;
  chromium: Chromium;
  /**
   * A new page on origin A with the library loaded in `mode` (at `path`, default the plain page
   * of site.ts); closed by the caller.
   */
  open(mode: Mode, path?: string): Promise<Page>;
}

export function useBrowser(): Browser {
  const state = {} as Browser;
  beforeAll(async () => {
    for (const files of Object.values(builtFiles)) {
      for (const file of files) {
        if (!existsSync(resolve(dist, file)))
          throw new Error(`dist/${file} is missing: run \`npm run build\``);
      }
    }
    state.site = await startSite();
    state.chromium = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await state.chromium?.close();
    await state.site?.close();
  });
  state.open = async (mode, path = `/page/${mode}`) => {
    const page = await state.chromium.context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(state.site.a.url(path));
    await page.waitForFunction(() => (window as { pageReady?: boolean }).pageReady === true, null, {
      timeout: 10_000,
    });
    if (errors.length > 0) throw new Error(`page errors in ${mode}: ${errors.join("; ")}`);
    return page;
  };
  return state;
}

/** Records what the page's EventSource under test (or the native one) dispatches for `url`. */
export function recordIn(
  page: Page,
  url: string,
  init: { withCredentials?: boolean } | undefined,
  options: RecordOptions,
  which: "TestedEventSource" | "NativeEventSource" = "TestedEventSource",
): Promise<Recording> {
  return page.evaluate(
    ([which, url, init, options]) => {
      const scope = window as unknown as Record<string, unknown> & {
        recordSource(
          ctor: unknown,
          url: string,
          init: unknown,
          options: unknown,
        ): Promise<Recording>;
      };
      return scope.recordSource(scope[which], url, init, options);
    },
    [which, url, init, options] as const,
  );
}
