/**
 * The CLI's work: parse the command line, open the library's own (Node) EventSource with the
 * options mapped onto its init, print what happens, and resolve with the exit status. All I/O
 * goes through `CliIO`, so the demo can run the same client in-process.
 */
import { readFileSync } from "node:fs";
import { ProxyAgent } from "undici";
import {
  EventSource,
  type EventSourceErrorEvent,
  type NodeEventSourceInit,
  type ReconnectOptions,
} from "../entries/node.js";
import { sendsLastEventIdHeader } from "../request.js";
import { type CliOptions, parseCommandLine, USAGE, UsageError } from "./args.js";
import { formatDuration } from "./duration.js";
import {
  formatEvent,
  formatEventJSON,
  formatStatus,
  type StatusKind,
  visible,
  wantsColour,
} from "./format.js";

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  version: string;
  /** Aborted on Ctrl-C (or when stdout is gone): stop and exit 0. */
  signal?: AbortSignal;
  /** Where `--data @-` reads the body (process.stdin), read only then. */
  stdin?: NodeJS.ReadableStream;
}

export const EXIT_STOPPED = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export async function run(argv: string[], io: CliIO): Promise<number> {
  let options: CliOptions;
  let body: string | undefined;
  try {
    const command = parseCommandLine(argv);
    if (command.kind === "help") {
      io.stdout.write(`${USAGE}\n`);
      return EXIT_STOPPED;
    }
    if (command.kind === "version") {
      io.stdout.write(`${io.version}\n`);
      return EXIT_STOPPED;
    }
    options = command.options;
    body = await readBody(options.data, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // The message quotes what was typed: escaped, so that it stays one line.
    io.stderr.write(`universal-eventsource: ${visible(error.message)}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  // Ctrl-C while the body was being read (typed on a terminal): stop before sending anything.
  if (io.signal?.aborted) {
    io.stderr.write(formatStatus("interrupted", "info", wantsColour(io.stderr, io.env)));
    return EXIT_STOPPED;
  }
  return watch(options, body, io);
}

/** `--data`: the text itself, `@path` a file's content, `@-` stdin. */
async function readBody(data: string | undefined, io: CliIO): Promise<string | undefined> {
  if (data === undefined || !data.startsWith("@")) return data;
  const path = data.slice(1);
  try {
    return path === "-" ? await readStdin(io) : readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code ?? String(error);
    throw new UsageError(`--data: cannot read ${path === "-" ? "stdin" : path}: ${code}`);
  }
}

/**
 * stdin to its end, without blocking the event loop (a synchronous read would leave Ctrl-C
 * unanswered until the end of input); undefined when the signal aborts first.
 */
function readStdin(io: CliIO): Promise<string | undefined> {
  const stdin = io.stdin ?? process.stdin;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const stop = () => resolve(undefined);
    if (io.signal?.aborted) return stop();
    io.signal?.addEventListener("abort", stop, { once: true });
    stdin.on("data", (chunk: Buffer | string) => chunks.push(Buffer.from(chunk)));
    stdin.once("error", reject);
    stdin.once("end", () => {
      io.signal?.removeEventListener("abort", stop);
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
  });
}

/** Sees every MessageEvent, whatever its type: EventTarget has no wildcard listener. */
class TappedEventSource extends EventSource {
  tap: ((event: MessageEvent<string>) => void) | undefined;

  override dispatchEvent(event: Event): boolean {
    if (event instanceof MessageEvent) this.tap?.(event);
    return super.dispatchEvent(event);
  }
}

function toInit(options: CliOptions, body: string | undefined): NodeEventSourceInit {
  const init: NodeEventSourceInit = { headers: options.headers };
  const method = options.method ?? (body === undefined ? undefined : "POST");
  if (method !== undefined) init.method = method.toUpperCase();
  if (body !== undefined) init.body = body;
  if (options.lastEventId !== undefined) init.lastEventId = options.lastEventId;
  const reconnect: ReconnectOptions = {};
  if (options.retryMax !== undefined) reconnect.maxAttempts = options.retryMax;
  if (options.backoff !== undefined) reconnect.backoff = options.backoff;
  if (options.maxDelay !== undefined) reconnect.maxDelay = options.maxDelay;
  if (options.retryOn !== undefined) reconnect.retryOn = options.retryOn;
  if (Object.keys(reconnect).length > 0) init.reconnect = reconnect;
  if (options.heartbeatTimeout !== undefined) init.heartbeatTimeout = options.heartbeatTimeout;
  if (options.maxEventSize !== undefined) init.maxEventSize = options.maxEventSize;
  if (options.proxy !== undefined) init.dispatcher = new ProxyAgent(options.proxy);
  return init;
}

function watch(options: CliOptions, body: string | undefined, io: CliIO): Promise<number> {
  const eventColour = !options.json && wantsColour(io.stdout, io.env);
  const statusColour = wantsColour(io.stderr, io.env);
  const status = (text: string, kind: StatusKind = "info") =>
    io.stderr.write(formatStatus(text, kind, statusColour));
  const init = toInit(options, body);

  return new Promise((resolve) => {
    let lastEventId = options.lastEventId ?? "";
    let received = 0;
    let opened = false;
    let finished = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // What the library sends: nothing for an empty ID, or one undici cannot carry (request.ts).
    const withId = () =>
      lastEventId === ""
        ? ""
        : sendsLastEventIdHeader(lastEventId)
          ? ` with Last-Event-ID: ${lastEventId}`
          : " (Last-Event-ID left out: the ID has control characters)";

    // A password in the URL is sent, not printed: stderr ends up in logs and bug reports.
    // Without a password, the user name is the secret (an API key, as `curl -u KEY:` sends).
    const shown = new URL(options.url);
    if (shown.password !== "") shown.password = "***";
    else if (shown.username !== "") shown.username = "***";
    status(`connecting to ${shown.href}${withId()}`);
    const source = new TappedEventSource(options.url, init);

    const finish = (code: number) => {
      if (finished) return;
      finished = true;
      source.close();
      clearTimeout(timer);
      io.signal?.removeEventListener("abort", onAbort);
      // The proxy's sockets would otherwise keep the process (or the demo) alive.
      void init.dispatcher?.destroy();
      resolve(code);
    };
    const onAbort = () => {
      status("interrupted; closing");
      finish(EXIT_STOPPED);
    };

    source.tap = (event) => {
      if (finished) return;
      // What the source sends as Last-Event-ID next (unless a later block sets an id and
      // dispatches nothing, which no listener can see).
      lastEventId = event.lastEventId;
      const printed = {
        type: event.type,
        data: event.data,
        lastEventId: event.lastEventId,
        origin: event.origin,
        time: new Date(),
      };
      io.stdout.write(options.json ? formatEventJSON(printed) : formatEvent(printed, eventColour));
      received++;
      if (options.maxEvents !== undefined && received >= options.maxEvents) {
        status(`received ${received} event${received === 1 ? "" : "s"} (--max-events); closing`);
        finish(EXIT_STOPPED);
      }
    };
    source.addEventListener("open", () => {
      opened = true;
      // Only a 200 response opens a stream [C15.3].
      status("open (HTTP 200)", "good");
    });
    source.addEventListener("error", (event) => {
      const error = event as EventSourceErrorEvent;
      const reason = error.message || "connection error";
      if (source.readyState === EventSource.CLOSED || error.willReconnect === false) {
        status(`failed for good: ${reason}`, "bad");
        finish(EXIT_FAILED);
      } else if (!options.reconnect) {
        status(`${reason}; not reconnecting (--no-reconnect)`, "bad");
        finish(opened ? EXIT_STOPPED : EXIT_FAILED);
      } else {
        const delay = error.delay === undefined ? "" : ` in ${formatDuration(error.delay)}`;
        status(`${reason}; reconnecting${delay}${withId()}`, "warn");
      }
    });

    if (options.timeout !== undefined) {
      const timeout = options.timeout;
      timer = setTimeout(() => {
        status(`${formatDuration(timeout)} elapsed (--timeout); closing`);
        finish(EXIT_STOPPED);
      }, timeout);
    }
    if (io.signal?.aborted) onAbort();
    else io.signal?.addEventListener("abort", onAbort);
  });
}
