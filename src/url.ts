import { syntaxError } from "./errors.js";

/** [C3]/[C4] parse `url` against `base`; an unparsable URL throws `SyntaxError` synchronously. */
export function resolveURL(url: string, base: string | undefined): URL {
  try {
    // An undefined base is an absent one (WebIDL).
    return new URL(url, base);
  } catch {
    throw syntaxError(`Invalid URL: ${JSON.stringify(url)}`);
  }
}

/** The serialized origin of an absolute URL [D5]. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "null";
  }
}

/**
 * The scheme and `//`, then the credentials (`user:password`, percent-encoded) of a serialized
 * URL that has them: the URL parser writes them, with the `@`, only when there are some.
 */
export const URL_CREDENTIALS = /^([^/?#]*\/\/)([^/?#]*)@/;
