/**
 * [C2] the base URL for relative URLs: the document's in a window, the script's location in a
 * worker, none elsewhere (Node: every URL must be absolute).
 */
export function documentBaseURL(): string | undefined {
  const scope = globalThis as { document?: { baseURI?: string }; location?: { href?: string } };
  return scope.document?.baseURI ?? scope.location?.href;
}
