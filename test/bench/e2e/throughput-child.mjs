/**
 * One client, one stream, in its own process: `node throughput-child.mjs <client> <url>
 * <count> <eventBytes>`. Prints one JSON line: wall ms, CPU ms (user + system, from just
 * before the source is made), peak RSS in KB.
 */
import { CLIENTS } from "./clients.mjs";

const [clientName, url, countText, eventBytesText] = process.argv.slice(2);
const count = Number(countText);
const open = await CLIENTS[clientName]();
const guard = setTimeout(() => {
  console.error(`${clientName}: timed out after ${received} of ${count} events`);
  process.exit(2);
}, 120_000);

let received = 0;
let chars = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const close = open(
  url,
  (event) => {
    // Touch the data, as any real consumer would.
    if (event !== undefined) chars += event.data.length;
    if (++received === count) {
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      close();
      clearTimeout(guard);
      const rss = process.resourceUsage().maxRSS;
      // Exit at once: what a client leaves behind after close() is not this benchmark's subject.
      process.stdout.write(
        `${JSON.stringify({ wall, cpu: (cpu.user + cpu.system) / 1000, rss, chars })}\n`,
        () => process.exit(0),
      );
    }
  },
  (error) => {
    console.error(error.message);
    process.exit(1);
  },
  Number(eventBytesText),
);
