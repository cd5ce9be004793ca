/**
 * The command line of `universal-eventsource`: flags → options, with every mistake reported as
 * a `UsageError` (one line; the caller prints it with the usage and exits 2). Pure: no I/O.
 */
import { parseArgs } from "node:util";
import { parseDuration } from "./duration.js";

export const USAGE = `Usage: universal-eventsource [options] <url>

Connects to a server-sent events stream and prints each event as it arrives
(type, id, data); connection state goes to stderr.

Options:
  -H, --header 'Name: value'   add a request header (repeatable)
      --last-event-id ID       resume from this event ID on the first connection
  -X, --method METHOD          request method (default GET, or POST with --data)
  -d, --data TEXT              request body; @file reads it from a file, @- from stdin
      --proxy URL              send requests through this HTTP(S) proxy
      --retry-max N            give up after N failed attempts in a row
      --backoff KIND           fixed (the server's retry time, default) or exponential
      --max-delay T            cap on the wait between attempts
      --retry-on LIST          HTTP statuses to reconnect on instead of failing, e.g. 502,503
      --heartbeat-timeout T    reconnect when nothing arrives for T
      --max-event-size N       fail when a line or an event's data exceeds N characters
      --no-reconnect           stop (instead of reconnecting) when the connection ends
      --max-events N           exit after N events
      --timeout T              exit after T
      --json                   one JSON object per event and line:
                               {type, data, lastEventId, origin, time}
  -h, --help                   show this help
      --version                show the version

T is a duration: 500ms, 30s, 2m, or a number of seconds.
Exit status: 0 when stopped (--max-events, --timeout, --no-reconnect after the stream
was open, Ctrl-C); 1 when the connection failed for good; 2 on bad arguments.`;

export class UsageError extends Error {
  override readonly name = "UsageError";
}

export interface CliOptions {
  url: string;
  headers: [string, string][];
  method: string | undefined;
  /** The body as given: text, `@path` or `@-`. */
  data: string | undefined;
  lastEventId: string | undefined;
  proxy: string | undefined;
  retryMax: number | undefined;
  backoff: "fixed" | "exponential" | undefined;
  /** ms */
  maxDelay: number | undefined;
  retryOn: number[] | undefined;
  /** ms */
  heartbeatTimeout: number | undefined;
  maxEventSize: number | undefined;
  maxEvents: number | undefined;
  /** ms */
  timeout: number | undefined;
  reconnect: boolean;
  json: boolean;
}

export type Command = { kind: "help" } | { kind: "version" } | { kind: "run"; options: CliOptions };

const OPTIONS = {
  header: { type: "string", short: "H", multiple: true },
  "last-event-id": { type: "string" },
  method: { type: "string", short: "X" },
  data: { type: "string", short: "d" },
  proxy: { type: "string" },
  "retry-max": { type: "string" },
  backoff: { type: "string" },
  "max-delay": { type: "string" },
  "retry-on": { type: "string" },
  "heartbeat-timeout": { type: "string" },
  "max-event-size": { type: "string" },
  "no-reconnect": { type: "boolean" },
  "max-events": { type: "string" },
  timeout: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const;

/** RFC 9110 token: what a header name or a method may be made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function parseCommandLine(argv: string[]): Command {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };

  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? "missing <url>" : `one URL only, got ${positionals.length}`,
    );
  }
  const url = parseURL(positionals[0] as string);
  const method = values.method;
  if (method !== undefined && !TOKEN.test(method)) {
    throw new UsageError(`--method: not an HTTP method: ${method}`);
  }
  // What fetch, and so the library's `method` option, refuses to send.
  if (method !== undefined && /^(CONNECT|TRACE|TRACK)$/i.test(method)) {
    throw new UsageError(`--method: a client cannot send ${method}`);
  }
  if (values.data !== undefined && method !== undefined && /^(GET|HEAD)$/i.test(method)) {
    throw new UsageError(`--data: a ${method.toUpperCase()} request cannot have a body`);
  }
  return {
    kind: "run",
    options: {
      url,
      headers: (values.header ?? []).map(parseHeader),
      method,
      data: values.data,
      lastEventId: values["last-event-id"],
      proxy: values.proxy === undefined ? undefined : parseProxy(values.proxy),
      retryMax: integer("--retry-max", values["retry-max"], 1),
      backoff: parseBackoff(values.backoff),
      maxDelay: duration("--max-delay", values["max-delay"]),
      retryOn: values["retry-on"] === undefined ? undefined : parseStatuses(values["retry-on"]),
      heartbeatTimeout: duration("--heartbeat-timeout", values["heartbeat-timeout"]),
      maxEventSize: integer("--max-event-size", values["max-event-size"], 1),
      maxEvents: integer("--max-events", values["max-events"], 1),
      timeout: duration("--timeout", values.timeout),
      reconnect: !values["no-reconnect"],
      json: Boolean(values.json),
    },
  };
}

/** parseArgs' message, first sentence only: the rest is advice over several lines. */
export function parseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split(/\.\s/)[0] ?? message;
}

function parseURL(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`not an absolute URL: ${text}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`not an http(s) URL: ${text}`);
  }
  return url.href;
}

function parseProxy(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {}
  // undici's ProxyAgent speaks to HTTP and HTTPS proxies only.
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(`--proxy: not an http(s) URL: ${text}`);
  }
  return url.href;
}

function parseBackoff(text: string | undefined): CliOptions["backoff"] {
  if (text === undefined || text === "fixed" || text === "exponential") return text;
  throw new UsageError(`--backoff: expected fixed or exponential, got '${text}'`);
}

function parseStatuses(text: string): number[] {
  return text.split(",").map((item) => {
    const status = Number(item.trim());
    if (!/^\d{3}$/.test(item.trim()) || status < 100 || status > 599) {
      throw new UsageError(`--retry-on: expected HTTP statuses like 502,503, got '${text}'`);
    }
    return status;
  });
}

function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(":");
  const name = text.slice(0, colon).trim();
  if (colon < 0 || !TOKEN.test(name)) {
    throw new UsageError(`--header: expected 'Name: value', got '${text}'`);
  }
  const value = text.slice(colon + 1).trim();
  // What the library's `headers` option refuses (a header value is a byte string), and the
  // other control characters, which RFC 9110 leaves out of a field value and undici refuses.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
  if (/[\u0000-\u0008\u000a-\u001f\u007f\u0100-\uffff]/.test(value)) {
    throw new UsageError(
      `--header: a value cannot have a control character (tab aside) or one above U+00FF, got '${text}'`,
    );
  }
  return [name, value];
}

function integer(flag: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${flag}: expected an integer ≥ ${min}, got '${text}'`);
  }
  return value;
}

function duration(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined)
    throw new UsageError(`${flag}: expected a duration like 30s, got '${text}'`);
  return ms;
}
