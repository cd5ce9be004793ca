/**
 * The request of one connection attempt, built fresh each time [R5.2]/[R5.3]: the standard
 * `Accept` and `Last-Event-ID`, plus the NON-SPEC `headers` (a function is called again for
 * every attempt, so a token can be refreshed), `method`, `body` and the resume query parameter.
 */
import type {
  ExtendedEventSourceInit as EventSourceInit,
  HeadersInitLike,
} from "./extended-event-source.js";
import { headersResultError, isPlainObject, validateHeaders } from "./options.js";
import { standardHeaders } from "./standard-headers.js";
import type { TransportRequest } from "./transports/transport.js";
import { originOf, URL_CREDENTIALS } from "./url.js";

/** Headers that must not reach another origin than the one they were given for. */
export const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

/** fetch's method normalization: these names are upper-cased, any other is sent as given. */
const NORMALIZED_METHODS = /^(DELETE|GET|HEAD|OPTIONS|POST|PUT)$/i;

/**
 * The request for the next attempt to `url` (where the last redirect led, for the source
 * constructed with `givenURL`; `givenURL` again for a method other than GET or HEAD); a promise
 * when the `headers` function is async (the attempt waits for it). A headers function that
 * throws makes this throw; one that rejects, reject.
 */
export function buildRequest(
  init: EventSourceInit,
  url: string,
  givenURL: string,
  withCredentials: boolean,
  lastEventId: string,
): TransportRequest | Promise<TransportRequest> {
  // NON-SPEC: a redirect's status decides what becomes of a method other than GET or HEAD
  // (fetch turns a POST into a GET on 301-303, keeps it on 307-308), and a fetch response does
  // not tell the status. Such a request starts over from the URL given, where the server
  // redirects it again, rather than sending where the redirect led a method that never went
  // there (a POST to the GET endpoint a 303 named).
  const method = init.method;
  const target = method !== undefined && !/^(GET|HEAD)$/i.test(method) ? givenURL : url;
  const source = init.headers;
  const extra = typeof source === "function" ? source() : source;
  if (isThenable(extra)) {
    return Promise.resolve(extra).then((headers) =>
      finish(init, target, givenURL, withCredentials, lastEventId, headers, true),
    );
  }
  const fromFunction = typeof source === "function";
  return finish(init, target, givenURL, withCredentials, lastEventId, extra, fromFunction);
}

/** What undici refuses in a header value: control characters but tab. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its job.
const NOT_IN_UNDICI_HEADER_VALUE = /[\0-\x08\n-\x1f\x7f]/;

/** Whether a last event ID goes out as the `Last-Event-ID` header (see `finish`). */
export function sendsLastEventIdHeader(lastEventId: string): boolean {
  return lastEventId !== "" && !NOT_IN_UNDICI_HEADER_VALUE.test(lastEventId);
}

function finish(
  init: EventSourceInit,
  url: string,
  givenURL: string,
  withCredentials: boolean,
  lastEventId: string,
  extra: HeadersInitLike | undefined,
  fromFunction: boolean,
): TransportRequest {
  const headers: Record<string, string> = {};
  if (extra !== undefined) {
    // A function's result is only known now: check it as the option itself was checked.
    if (fromFunction) validateHeaders(extra, headersResultError);
    copyHeaders(extra, headers);
    // The user's credentials are for the origin of the URL they gave. A reconnection going
    // straight to where a cross-origin redirect led must not carry them there, as the
    // redirect itself did not.
    if (originOf(url) !== originOf(givenURL)) {
      for (const name of CREDENTIAL_HEADERS) delete headers[name];
    }
  }
  const parameter = init.lastEventIdQueryParameter;
  // [C10] Accept; [R5.3] Last-Event-ID unless it goes in the query.
  standardHeaders(parameter === undefined ? lastEventId : "", headers);
  // An ID with a control character other than tab, which undici refuses in a header value
  // (browsers' fetch does not), is left out: sending it would fail every attempt and wedge
  // the source in a retry loop.
  if (!sendsLastEventIdHeader(headers["last-event-id"] ?? "")) delete headers["last-event-id"];
  let requestURL = url;
  if (parameter !== undefined && (lastEventId !== "" || url !== givenURL)) {
    // NON-SPEC: the ID as a query parameter instead of the header, so a browser sends no
    // CORS preflight for it (Mercure reads `lastEventID`). `url` carries the one an earlier
    // attempt added (the response's URL becomes the next request's): once the ID is reset,
    // it is taken out, as [R5.3] sends no header then. The URL as given is sent as it is.
    requestURL = withQueryParameter(url, parameter, lastEventId);
  }
  // NON-SPEC: credentials in the URL (`https://user:pass@host/`) go as Basic authorization, sent
  // up front as Node's http.get and curl send them, to the origin they were given for and unless
  // the headers option has an `authorization`; the URL is sent without them, which fetch
  // requires (it refuses such a URL: every attempt failed). A browser's own EventSource would
  // use them after a 401 challenge only [C8], and a runtime without a window not at all.
  const userinfo = URL_CREDENTIALS.exec(givenURL)?.[2];
  if (userinfo !== undefined) {
    if (originOf(url) === originOf(givenURL) && headers.authorization === undefined) {
      // The URL keeps them percent-encoded: `unescape` makes the UTF-8 bytes a byte string. A
      // user name alone has an empty password: RFC 7617's user-pass always has the colon.
      const userPass = userinfo.indexOf(":") < 0 ? `${userinfo}:` : userinfo;
      headers.authorization = `Basic ${btoa(unescape(userPass))}`;
    }
    requestURL = requestURL.replace(URL_CREDENTIALS, "$1");
  }
  const request: TransportRequest = { url: requestURL, method: "GET", headers, withCredentials };
  if (init.method !== undefined) {
    // NON-SPEC: method and body, e.g. POST for APIs that stream the answer to a request.
    request.method = NORMALIZED_METHODS.test(init.method) ? init.method.toUpperCase() : init.method;
    const body = init.body;
    if (body !== undefined) {
      request.body = body;
      // What fetch would add for a string body, so both transports send the same request.
      if (typeof body === "string" && headers["content-type"] === undefined) {
        headers["content-type"] = "text/plain;charset=UTF-8";
      }
    }
  }
  return request;
}

/**
 * `url` with `name=value` in its query, replacing any earlier value of `name` (without it, for
 * an empty value). By hand, not with `URLSearchParams`: the ES5 build's URL stand-in has none.
 * The fragment is dropped, as fetch never sends it.
 */
function withQueryParameter(url: string, name: string, value: string): string {
  const hash = url.indexOf("#");
  const withoutHash = hash === -1 ? url : url.slice(0, hash);
  const question = withoutHash.indexOf("?");
  const path = question === -1 ? withoutHash : withoutHash.slice(0, question);
  const query = question === -1 ? "" : withoutHash.slice(question + 1);
  const kept = query.split("&").filter((part) => part !== "" && parameterName(part) !== name);
  if (value !== "") kept.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  return kept.length > 0 ? `${path}?${kept.join("&")}` : path;
}

function parameterName(part: string): string {
  const raw = part.split("=")[0] as string;
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return raw;
  }
}

function isThenable(value: unknown): value is PromiseLike<HeadersInitLike> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

function copyHeaders(source: HeadersInitLike, target: Record<string, string>): void {
  if (Array.isArray(source)) {
    for (const [name, value] of source) {
      const key = name.toLowerCase();
      // A name given twice sends both values, combined as fetch's Headers does.
      target[key] = (typeof target[key] === "string" ? `${target[key]}, ` : "") + value;
    }
  } else if (typeof (source as Headers).forEach === "function" && !isPlainObject(source)) {
    (source as Headers).forEach((value, name) => {
      target[name.toLowerCase()] = value;
    });
  } else {
    for (const name of Object.keys(source)) {
      target[name.toLowerCase()] = String((source as Record<string, string>)[name]);
    }
  }
}
