/**
 * `npm start`: the demo. A price-feed SSE server on 127.0.0.1 that drops each connection every
 * few seconds, and the CLI client (in this process) printing the stream, the drop, the
 * reconnection with Last-Event-ID and the resumed stream. The page at `/` shows the same stream
 * through the IIFE build in a browser. Ctrl-C stops everything and exits 0.
 */
import { parseArgs } from "node:util";
import { parseArgsMessage } from "../cli/args.js";
import { parseDuration } from "../cli/duration.js";
import { formatStatus, wantsColour } from "../cli/format.js";
import { run } from "../cli/run.js";
import { processStopSignal } from "../cli/stop-signal.js";
import { startPriceFeed } from "./feed.js";
import { EVENTS_PATH } from "./page.js";
import { startDemoServer } from "./server.js";

const USAGE = `Usage: npm start -- [options]

Starts a local server-sent events price feed and watches it with the universal-eventsource
CLI; open the printed URL in a browser to watch it through the IIFE build.

Options:
  --port N               port on 127.0.0.1 (default: a free one)
  --rate N               events per second (default 4)
  --disconnect-every T   drop each connection after T, e.g. 4s or 500ms; 0: never (default 4s)
  --no-client            only serve (for the browser or your own client)
  -h, --help             show this help`;

const usageError = (message: string): never => {
  process.stderr.write(`demo: ${message}\n\n${USAGE}\n`);
  process.exit(2);
};

function parseDemoArgs() {
  try {
    return parseArgs({
      options: {
        port: { type: "string", default: "0" },
        rate: { type: "string", default: "4" },
        "disconnect-every": { type: "string", default: "4s" },
        "no-client": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    return usageError(parseArgsMessage(error));
  }
}

const values = parseDemoArgs();
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const port = Number(values.port);
if (!/^\d+$/.test(values.port) || port > 65535) usageError(`--port: not a port: ${values.port}`);
const rate = Number(values.rate);
if (!(rate > 0 && rate <= 1000)) usageError(`--rate: expected 0 < N ≤ 1000, got ${values.rate}`);
const disconnectEvery =
  values["disconnect-every"] === "0" ? 0 : parseDuration(values["disconnect-every"]);
if (disconnectEvery === undefined) {
  usageError(`--disconnect-every: expected a duration like 4s, got ${values["disconnect-every"]}`);
}

// Before the first line is printed: the banner can meet a closed stdout too.
const stop = processStopSignal();
const colour = wantsColour(process.stderr, process.env);
const feed = startPriceFeed(rate);
const server = await startDemoServer({
  port,
  feed,
  disconnectEvery: disconnectEvery ?? 0,
  // The built demo sits next to the IIFE build in dist/.
  iife: new URL("universal-eventsource.iife.min.js", import.meta.url),
  log: (text) => process.stderr.write(formatStatus(text, "info", colour, "[server]")),
}).catch((error: NodeJS.ErrnoException) => {
  // A port in use (another demo?) or not allowed is the user's to change, not a crash.
  process.stderr.write(
    `demo: cannot listen on 127.0.0.1:${port}: ${error.code ?? error.message} (--port 0 picks a free port)\n`,
  );
  return process.exit(1);
});
const streamURL = new URL(EVENTS_PATH, server.url).href;
process.stdout.write(`universal-eventsource demo
  browser page: ${server.url}
  stream:       ${streamURL}
  from another terminal: npx universal-eventsource ${streamURL}
Ctrl-C to stop.

`);

const code = values["no-client"]
  ? await new Promise<number>((resolve) => {
      if (stop.aborted) resolve(0);
      else stop.addEventListener("abort", () => resolve(0));
    })
  : await run([streamURL], {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      version: "demo",
      signal: stop,
    });
feed.stop();
await server.close();
process.exitCode = code;
