/**
 * `import "universal-eventsource/polyfill"` in Deno, Bun, workers and the `default` condition:
 * installs `globalThis.EventSource` (the extended fetch build) where it is missing. The build
 * points the import below at the published `extended` module, so the global and the class a
 * user imports are the same.
 */
import { installEventSource } from "../install-global.js";
import { EventSource } from "./extended.js";

installEventSource(EventSource);

export * from "./extended.js";
