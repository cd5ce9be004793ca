/**
 * `universal-eventsource <url>`: the bin. Wires the process (arguments, streams, Ctrl-C) to
 * `run` and exits with its status.
 */
import { readFileSync } from "node:fs";
import { run } from "./cli/run.js";
import { processStopSignal } from "./cli/stop-signal.js";

// This file sits one level below the package root both as src/cli.ts and as dist/cli.js.
const { version } = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as { version: string };

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  version,
  signal: processStopSignal(),
  // Only `--data @-` reads it: process.stdin is made on first use.
  get stdin() {
    return process.stdin;
  },
});
// Exit once stdout has flushed; no keep-alive socket or agent may hold the process open.
process.stdout.write("", () => process.exit(code));
