/** A `SyntaxError` `DOMException` where the runtime has one [C4], a plain `SyntaxError` otherwise. */
export function syntaxError(message: string): Error {
  return typeof DOMException === "function"
    ? (new DOMException(message, "SyntaxError") as unknown as Error)
    : new SyntaxError(message);
}
