/**
 * `node --expose-gc idle-child.mjs <client> <url> <count>`: opens `count` sources that each get
 * one event and then nothing, and prints the heap and RSS they hold, per source, after GC. A
 * warm-up batch is opened first and kept open, so code loaded lazily on first use (undici's
 * connection machinery, the parser) is in the baseline, not in the figure per connection.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { CLIENTS } from "./clients.mjs";

const [clientName, url, countText, eventBytesText] = process.argv.slice(2);
const count = Number(countText);
const open = await CLIENTS[clientName]();
const guard = setTimeout(() => {
  console.error(`${clientName}: timed out`);
  process.exit(2);
}, 120_000);

function openMany(n) {
  return new Promise((resolve) => {
    let waiting = n;
    for (let i = 0; i < n; i++) {
      let first = true;
      open(
        url,
        () => {
          if (first && --waiting === 0) resolve();
          first = false;
        },
        (error) => {
          console.error(error.message);
          process.exit(1);
        },
        Number(eventBytesText),
      );
    }
  });
}

async function settle() {
  for (let i = 0; i < 4; i++) {
    await nextTurn();
    globalThis.gc();
  }
  return process.memoryUsage();
}

await openMany(20);
const before = await settle();
const t0 = performance.now();
await openMany(count);
const opened = performance.now() - t0;
const after = await settle();
clearTimeout(guard);
const per = (key) => (after[key] - before[key]) / count / 1024;
process.stdout.write(
  `${JSON.stringify({ heap: per("heapUsed"), rss: per("rss"), external: per("external"), opened })}\n`,
  () => process.exit(0),
);
