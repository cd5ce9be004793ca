/**
 * `import "universal-eventsource/polyfill"` in Node: installs `globalThis.EventSource` (the undici
 * build) where it is missing. The build points the import below at the published `node` module.
 */
import { installEventSource } from "../install-global.js";
import { EventSource } from "./node.js";

installEventSource(EventSource);

export * from "./node.js";
