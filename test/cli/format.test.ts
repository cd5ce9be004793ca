/** The CLI's output formats, including the terminal colour path no child process can reach. */
import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../src/cli/duration.js";
import { formatEvent, formatEventJSON, formatStatus, wantsColour } from "../../src/cli/format.js";

const event = {
  type: "price",
  data: '{"p":1}',
  lastEventId: "42",
  origin: "http://127.0.0.1:8080",
  time: new Date("2026-01-02T03:04:05.678Z"),
};

describe("cli format", () => {
  it.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: true }, { NO_COLOR: "1" }, false],
    // no-color.org: an empty NO_COLOR does not count.
    [{ isTTY: true }, { NO_COLOR: "" }, true],
    [{ isTTY: false }, {}, false],
    [{}, {}, false],
  ])("colour for %j with env %j: %s", (stream, env, expected) => {
    expect(wantsColour(stream, env)).toBe(expected);
  });

  it("a terminal gets the type in bold cyan and the id in yellow; a pipe gets plain text", () => {
    expect(formatEvent(event, true)).toBe('\x1b[1;36mprice\x1b[0m\x1b[33m [42]\x1b[0m {"p":1}\n');
    expect(formatEvent(event, false)).toBe('price [42] {"p":1}\n');
  });

  it("multi-line data continues under the first line; no id, no brackets", () => {
    expect(formatEvent({ ...event, lastEventId: "", data: "a\nb\n" }, false)).toBe(
      "price a\n      b\n      \n",
    );
  });

  it("control characters in a status line (a server's event ID) are escaped too", () => {
    expect(formatStatus("reconnecting with Last-Event-ID: \x1b]0;title\x07", "warn", false)).toBe(
      "* reconnecting with Last-Event-ID: \\u001b]0;title\\u0007\n",
    );
  });

  it("control characters in type, id and data are escaped, tabs kept", () => {
    expect(
      formatEvent(
        { ...event, type: "x\x07", data: "\x1b]0;title\x07\tok\x9b", lastEventId: "\x00" },
        false,
      ),
    ).toBe("x\\u0007 [\\u0000] \\u001b]0;title\\u0007\tok\\u009b\n");
  });

  it("--json: one line with type, data, lastEventId, origin and an ISO time", () => {
    const line = formatEventJSON({ ...event, data: "two\nlines" });
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toContain("\n");
    expect(JSON.parse(line)).toEqual({
      type: "price",
      data: "two\nlines",
      lastEventId: "42",
      origin: "http://127.0.0.1:8080",
      time: "2026-01-02T03:04:05.678Z",
    });
  });

  it("--json: DEL and C1 controls (U+009B is CSI) are escaped too, which JSON.stringify leaves raw", () => {
    const hostile = { ...event, type: "t\x7f", data: "\x9b31mred\x1b", lastEventId: "\x85" };
    const line = formatEventJSON(hostile);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
    expect(line).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(line).toContain('"data":"\\u009b31mred\\u001b"');
    expect(JSON.parse(line)).toMatchObject({
      type: "t\x7f",
      data: "\x9b31mred\x1b",
      lastEventId: "\x85",
    });
  });

  it("status lines: `* text`, coloured by kind on a terminal", () => {
    expect(formatStatus("open (HTTP 200)", "good", false)).toBe("* open (HTTP 200)\n");
    expect(formatStatus("open (HTTP 200)", "good", true)).toBe(
      "\x1b[32m* open (HTTP 200)\x1b[0m\n",
    );
    expect(formatStatus("HTTP 401", "bad", true)).toBe("\x1b[31m* HTTP 401\x1b[0m\n");
    expect(formatStatus("reconnecting", "warn", true)).toBe("\x1b[33m* reconnecting\x1b[0m\n");
    expect(formatStatus("connecting", "info", true)).toBe("\x1b[2m* connecting\x1b[0m\n");
    expect(formatStatus("note", "info", false, "[server]")).toBe("[server] note\n");
  });

  it.each([
    ["500ms", 500],
    ["2s", 2000],
    ["1.5m", 90_000],
    ["1h", 3_600_000],
    ["3", 3000],
    [".25", 250],
    ["0", undefined],
    ["-1s", undefined],
    ["1d", undefined],
    ["", undefined],
    ["9999999s", undefined],
  ])("duration %j → %s ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    [20, "20 ms"],
    [1000, "1 s"],
    [1500, "1.5 s"],
    [30_000, "30 s"],
  ])("%d ms shows as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
