/**
 * `universal-eventsource/parser` under the `node` condition: the same parser, fed bytes the way
 * that is fast on Node (parser-node.ts). Same API and types as `dist/parser.js`.
 */

export type {
  EventSourceMessage,
  EventStreamParser,
  ParseError,
  ParserCallbacks,
  ParserOptions,
} from "../parser.js";
export { createStandaloneNodeParser as createParser } from "../parser-node.js";
