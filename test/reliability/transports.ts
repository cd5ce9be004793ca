/** The two Node transports every transport-level reliability test runs on. */
import type { NodeEventSourceInit } from "../../src/entries/node.js";

export const transports: [name: string, init: NodeEventSourceInit][] = [
  ["undici", {}],
  ["fetch", { fetch: globalThis.fetch }],
];
