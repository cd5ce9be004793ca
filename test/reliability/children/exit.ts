/**
 * Exit child: opens one source, does what `mode` says, and must then exit by itself (the parent
 * kills it after a timeout and fails). Prints what it saw, one word a line.
 */
import { EventSource } from "../../../src/entries/node.js";

const [url = "", transport = "undici", mode = "close-after-message"] = process.argv.slice(2);
const source = new EventSource(url, {
  ...(transport === "fetch" ? { fetch: globalThis.fetch } : {}),
  ...(mode === "heartbeat" ? { heartbeatTimeout: 50 } : {}),
});

source.onopen = () => console.log("open");
source.onmessage = (event) => {
  console.log(`message ${event.data}`);
  // An OPEN stream, with more to come: close() must let go of the response.
  if (mode === "close-after-message") source.close();
};
source.onerror = () => {
  console.log(source.readyState === EventSource.CLOSED ? "failed" : "error");
  // Reconnecting: close() must cancel the reconnection timer.
  if (mode === "close-on-error" || mode === "heartbeat") source.close();
};
if (mode === "close-while-connecting") {
  // The parent's server never answers: close() must release the pending request.
  setTimeout(() => source.close(), 100);
}
