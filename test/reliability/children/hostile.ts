/**
 * Hostile-server child: one source against a server that sends too much, with or without
 * maxEventSize; samples its own memory every 10 ms and prints one JSON line when the source
 * fails or has received `events` messages.
 */
import { EventSource } from "../../../src/entries/node.js";

const [url = "", transport = "undici", limit = "none", eventsArgument = "0"] =
  process.argv.slice(2);
const wanted = Number(eventsArgument);

const baseline = process.memoryUsage();
let peakRss = baseline.rss;
let peakHeap = baseline.heapUsed;
const sample = () => {
  const { rss, heapUsed } = process.memoryUsage();
  peakRss = Math.max(peakRss, rss);
  peakHeap = Math.max(peakHeap, heapUsed);
};
const sampler = setInterval(sample, 10);

const source = new EventSource(url, {
  ...(transport === "fetch" ? { fetch: globalThis.fetch } : {}),
  ...(limit === "none" ? {} : { maxEventSize: Number(limit) }),
});
let events = 0;
let longest = 0;

const report = (outcome: string) => {
  sample();
  clearInterval(sampler);
  source.close();
  console.log(
    JSON.stringify({
      outcome,
      events,
      longest,
      rssGrowth: peakRss - baseline.rss,
      heapGrowth: peakHeap - baseline.heapUsed,
    }),
  );
};

source.onmessage = (event) => {
  events++;
  longest = Math.max(longest, event.data.length);
  if (events === wanted) report("received");
};
source.onerror = (event) => {
  const { message } = event as Event & { message?: string };
  report(`${source.readyState === EventSource.CLOSED ? "failed" : "error"}: ${message}`);
};
