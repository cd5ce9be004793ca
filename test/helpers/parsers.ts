/** The two builds of the parser, for tests that must hold for both. */

import { createParser } from "../../src/parser.js";
import { createNodeParser } from "../../src/parser-node.js";

export const parsers = [
  { name: "createParser", createParser },
  { name: "createNodeParser (Node's byte paths)", createParser: createNodeParser },
];
