/**
 * `import "universal-eventsource/polyfill"` in browsers: installs `globalThis.EventSource` (the
 * standard build) where it is missing. One of the only modules with side effects (package.json
 * `sideEffects`). The
 * build points the import below at the published `index` module, so the global and the class a
 * user imports are the same.
 */
import { installEventSource } from "../install-global.js";
import { EventSource } from "./browser.js";

installEventSource(EventSource);

export * from "./browser.js";
