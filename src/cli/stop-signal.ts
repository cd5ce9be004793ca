/**
 * What stops a command run in a terminal: Ctrl-C, SIGTERM, or the reader of stdout going away
 * (`| head`). The CLI and the demo (which prints through the same client) both wire it so.
 */
export function processStopSignal(): AbortSignal {
  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort());
  process.once("SIGTERM", () => stop.abort());
  // When the reader goes away, stop quietly: an EPIPE with no listener would crash with a stack.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    stop.abort();
  });
  // Status lines are for a person: a stderr nobody reads any more (`2>&1 | head`) stops nothing.
  process.stderr.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  return stop.signal;
}
