/**
 * `node reconnect-child.mjs <client> <origin> <run> <firsts> <reconnects>`: first opens
 * `firsts` fresh sources one after another on /first and times each from construction to its
 * first event; then one source on /reconnect?run=, whose every response is `retry: 0` and one
 * event before the server ends it, kept until `reconnects` events arrived (the server times the
 * reconnections). Prints the first-event times, in ms.
 */
import { CLIENTS } from "./clients.mjs";

const [clientName, origin, run, firstsText, reconnectsText] = process.argv.slice(2);
const open = await CLIENTS[clientName]();
const guard = setTimeout(() => {
  console.error(`${clientName}: timed out`);
  process.exit(2);
}, 120_000);
const fatal = (error) => {
  console.error(error.message);
  process.exit(1);
};

const firstEvent = [];
for (let i = 0; i < Number(firstsText); i++) {
  await new Promise((resolve) => {
    const t0 = performance.now();
    let done = false;
    const close = open(
      `${origin}/first`,
      () => {
        if (done) return;
        done = true;
        firstEvent.push(performance.now() - t0);
        close();
        resolve();
      },
      fatal,
      1,
    );
  });
}

const reconnects = Number(reconnectsText);
if (reconnects > 0) {
  await new Promise((resolve) => {
    let received = 0;
    const close = open(
      `${origin}/reconnect?run=${run}`,
      () => {
        if (++received === reconnects) {
          close();
          resolve();
        }
      },
      fatal,
      1,
    );
  });
}
clearTimeout(guard);
process.stdout.write(`${JSON.stringify({ firstEvent })}\n`, () => process.exit(0));
