/**
 * The conformance smoke that runs, unchanged, in every runtime of the matrix (Node 20/22/24/26,
 * Bun, Deno). Plain JavaScript so no runtime needs a TypeScript loader. It is given the
 * `EventSource` class as the runtime's users import it and the origin of a local test server
 * (test/helpers/server.ts), prints one `ok NAME` or `not ok NAME: why` line per check, and never
 * calls `process.exit`: the driver asserts the process ends by itself once every source is
 * closed, which is the "no timer or socket left after close()" decision of DESIGN.md.
 */

/** Every check, in order; the driver expects exactly these names. */
export const checks = [
  "open, messages and Last-Event-ID on reconnect",
  "custom event types reach addEventListener, not onmessage",
  "204 closes without reconnecting",
  "close() inside a handler stops later events",
  "close() of an open source",
  "a redirect loop fails without reconnecting",
  "a header value the runtime refuses to send fails without reconnecting",
];

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

function equal(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Records events until `done(log)` says so; `log` entries are [type, readyState, data?, lastEventId?, origin?]. */
function record(source, types, done) {
  return new Promise((resolve) => {
    const log = [];
    for (const type of types) {
      source.addEventListener(type, (event) => {
        const entry = [event.type, source.readyState];
        if (typeof event.data === "string") entry.push(event.data, event.lastEventId, event.origin);
        log.push(entry);
        // A copy: events dispatched before the awaiting code resumes must not change it.
        if (done(log, event)) resolve(log.slice());
      });
    }
  });
}

const body = (text) => `/stream?body=${encodeURIComponent(text)}`;

const run = {
  // [C15.4] announce, [D5] data/lastEventId/origin, [C14]/[R5.3] reconnect with Last-Event-ID:
  // /counter resumes from the header, so events 4 and 5 prove the header was sent.
  [checks[0]]: async (EventSource, origin) => {
    const source = new EventSource(`${origin}/counter?count=3&retry=20`);
    equal(source.readyState, CONNECTING, "readyState after the constructor");
    const log = await record(source, ["open", "message", "error"], (l) => l.length >= 9);
    source.close();
    equal(source.readyState, CLOSED, "readyState after close()");
    equal(
      log,
      [
        ["open", OPEN],
        ["message", OPEN, "1", "1", origin],
        ["message", OPEN, "2", "2", origin],
        ["message", OPEN, "3", "3", origin],
        ["error", CONNECTING],
        ["open", OPEN],
        ["message", OPEN, "4", "4", origin],
        ["message", OPEN, "5", "5", origin],
        ["message", OPEN, "6", "6", origin],
      ],
      "events",
    );
  },
  // [P-event]/[D6]: a typed event goes to its listeners only; onmessage sees `message` only.
  [checks[1]]: async (EventSource, origin) => {
    const source = new EventSource(`${origin}${body("event: add\ndata: 1\n\ndata: 2\n\n")}`);
    const seen = [];
    source.onmessage = (event) => seen.push(["onmessage", event.data]);
    const log = await record(source, ["add", "message"], (l) => l.length >= 2);
    source.close();
    equal(
      log,
      [
        ["add", OPEN, "1", "", origin],
        ["message", OPEN, "2", "", origin],
      ],
      "events",
    );
    equal(seen, [["onmessage", "2"]], "onmessage calls");
  },
  // [C15.3] a 204 fails the connection: error with readyState CLOSED (the driver checks that
  // the server saw exactly one request).
  [checks[2]]: async (EventSource, origin) => {
    const source = new EventSource(`${origin}/status/204`);
    const log = await record(source, ["open", "message", "error"], () => true);
    equal(log, [["error", CLOSED]], "events");
    equal(source.readyState, CLOSED, "readyState");
  },
  // [D8] events parsed from the same chunk are not dispatched after close().
  [checks[3]]: async (EventSource, origin) => {
    const source = new EventSource(`${origin}${body("data: 1\n\ndata: 2\n\ndata: 3\n\n")}`);
    const seen = [];
    await new Promise((resolve) => {
      source.onmessage = (event) => {
        seen.push(event.data);
        source.close();
        // A later dispatch, if any, would be queued as a task before this timer fires.
        setTimeout(resolve, 50);
      };
    });
    equal(seen, ["1"], "messages");
    equal(source.readyState, CLOSED, "readyState");
  },
  // §8 close() aborts the fetch and fires nothing; the process must still end afterwards.
  [checks[4]]: async (EventSource, origin) => {
    const source = new EventSource(`${origin}/stalled`);
    const log = [];
    source.onerror = () => log.push("error");
    await new Promise((resolve) => {
      source.onopen = resolve;
    });
    source.close();
    source.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    equal(log, [], "events after close()");
    equal(source.readyState, CLOSED, "readyState");
  },
  // [C15.2] a network error that retrying cannot cure fails the connection: fetch's redirect
  // limit, reached again on every attempt. (The driver's /loop redirects to itself.)
  [checks[5]]: async (EventSource, origin) => {
    const source = new EventSource(`${origin}/loop`);
    const log = await record(source, ["open", "message", "error"], () => true);
    source.close();
    equal(log, [["error", CLOSED]], "events");
  },
  // NON-SPEC `headers`: a value with a control character (not CR, LF or NUL, which the
  // constructor refuses). Node's and Deno's fetch refuse to send it, every time; Bun sends it
  // and the test server answers 400. Either way the source fails instead of retrying.
  [checks[6]]: async (EventSource, origin) => {
    const source = new EventSource(`${origin}/stream`, { headers: { "x-control": "a\u0001b" } });
    const log = await record(source, ["open", "message", "error"], () => true);
    source.close();
    equal(log, [["error", CLOSED]], "events");
  },
};

/** Runs every check in order; resolves when all have reported. */
export async function runConformance(EventSource, origin, print) {
  for (const name of checks) {
    try {
      await run[name](EventSource, origin);
      print(`ok ${name}`);
    } catch (error) {
      print(`not ok ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  print("done");
}
