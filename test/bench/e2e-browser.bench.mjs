/**
 * In Chromium (Debian's, headless, fresh profile): events/s receiving the same streams as the
 * Node benchmark with the native EventSource, our fetch path (dist/index.js), our XHR path (the
 * IIFE with `transport: "xhr"`), the extended build (dist/extended.js, which makes its
 * MessageEvents the cheap way) and, on small events, event-source-polyfill. Each run gets a
 * fresh page; the page times from `new EventSource` to the last event.
 * `node test/bench/e2e-browser.bench.mjs` after `npm run build`.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { header, median, rounds, spread, table } from "./e2e/report.mjs";
import { LARGE, SMALL, startServer } from "./e2e/server.mjs";

const CHROMIUM = "/usr/bin/chromium";
if (!existsSync(CHROMIUM)) {
  console.log(`e2e-browser: no Chromium at ${CHROMIUM}; skipped (apt-get install chromium)`);
  process.exit(process.env.CI === "true" ? 1 : 0);
}

const root = new URL("../../", import.meta.url);
const serve = (type, body) => (_request, response) => {
  response.writeHead(200, { "content-type": type });
  response.end(body);
};
const routes = { "/": serve("text/html", "<!doctype html><title>bench</title>") };
// Every script is read once, here: a rebuild during the run (tsup empties dist/ first) cannot
// pull files from under it. dist/index.js imports its chunks by relative path.
for (const name of readdirSync(new URL("dist/", root))) {
  if (name.endsWith(".js"))
    routes[`/dist/${name}`] = serve("text/javascript", readFileSync(new URL(`dist/${name}`, root)));
}
routes["/iife.js"] = routes["/dist/universal-eventsource.iife.js"];
routes["/polyfill.js"] = serve(
  "text/javascript",
  readFileSync(new URL("node_modules/event-source-polyfill/src/eventsource.js", root)),
);
const server = await startServer(routes);

/** Runs in the page: opens the client, counts `count` events, returns ms. */
async function receive({ client, url, count }) {
  let make;
  if (client === "native EventSource") make = (u) => new EventSource(u);
  if (client === "ours (fetch, dist/index.js)") {
    const { EventSource: Ours } = await import("/dist/index.js");
    make = (u) => new Ours(u);
  }
  if (client === "ours extended (fetch, dist/extended.js)") {
    const { EventSource: Ours } = await import("/dist/extended.js");
    make = (u) => new Ours(u);
  }
  if (client === "ours (XHR, IIFE)")
    make = (u) => new window.UniversalEventSource(u, { transport: "xhr" });
  if (client === "event-source-polyfill") make = (u) => new window.EventSourcePolyfill(u);
  return new Promise((resolve, reject) => {
    let received = 0;
    let chars = 0;
    const t0 = performance.now();
    const source = make(url);
    source.addEventListener("message", (event) => {
      chars += event.data.length;
      if (++received === count) {
        const ms = performance.now() - t0;
        source.close();
        resolve({ ms, chars });
      }
    });
    source.addEventListener("error", () => {
      if (source.readyState === 2) reject(new Error(`${client}: the source failed`));
    });
  });
}

const CLIENTS = [
  "native EventSource",
  "ours (fetch, dist/index.js)",
  "ours extended (fetch, dist/extended.js)",
  "ours (XHR, IIFE)",
  "event-source-polyfill",
];
const profile = mkdtempSync(join(tmpdir(), "ues-bench-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
const browserVersion = context.browser()?.version() ?? "?";

try {
  const origin = server.origin;
  for (const stream of [SMALL, LARGE]) {
    const clients =
      stream === SMALL ? CLIENTS : CLIENTS.filter((c) => c !== "event-source-polyfill");
    const results = new Map(clients.map((client) => [client, []]));
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < clients.length; i++) {
        const client = clients[(i + round) % clients.length];
        const page = await context.newPage();
        try {
          await page.goto(`${origin}/`);
          if (client === "ours (XHR, IIFE)") await page.addScriptTag({ url: "/iife.js" });
          if (client === "event-source-polyfill") await page.addScriptTag({ url: "/polyfill.js" });
          const result = await page.evaluate(receive, {
            client,
            url: `${origin}${stream === SMALL ? "/small" : "/large"}`,
            count: stream.count,
          });
          results.get(client).push(result.ms);
        } finally {
          await page.close();
        }
      }
    }
    console.log(header(`Chromium ${browserVersion}, ${stream.name}`));
    const rate = (client) => median(results.get(client).map((ms) => stream.count / (ms / 1000)));
    const native = rate("native EventSource");
    const polyfill = stream === SMALL ? rate("event-source-polyfill") : Number.NaN;
    console.log(
      `\n${table(
        ["client", "ms, median (min–max)", "events/s", "vs native", "vs event-source-polyfill"],
        clients.map((client) => [
          client,
          spread(results.get(client), 0),
          `${(rate(client) / 1000).toFixed(0)}k`,
          `${(rate(client) / native).toFixed(2)}x`,
          Number.isNaN(polyfill) ? "–" : `${(rate(client) / polyfill).toFixed(2)}x`,
        ]),
      )}`,
    );
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  await server.close();
}
