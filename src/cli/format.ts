/**
 * How the CLI prints: events on stdout (for a person, or one JSON object per line), connection
 * state on stderr. Pure string functions, so the colour path is testable without a terminal.
 */

export interface PrintedEvent {
  type: string;
  data: string;
  lastEventId: string;
  origin: string;
  time: Date;
}

/** ANSI colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColour(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined>,
): boolean {
  const noColour = env.NO_COLOR;
  return stream.isTTY === true && (noColour === undefined || noColour === "");
}

const paint = (code: string) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
const styles = {
  type: paint("1;36"),
  id: paint("33"),
  good: paint("32"),
  warn: paint("33"),
  bad: paint("31"),
  info: paint("2"),
};
const plain = (text: string) => text;

/**
 * One JSON object per line, for `jq` and friends. JSON.stringify escapes C0 controls but leaves
 * DEL and the C1 controls (U+009B is CSI) raw: escaped here, as `visible` does, since the lines
 * may go to a terminal too. They only occur inside strings, where `\u009b` means the same.
 */
export function formatEventJSON(event: PrintedEvent): string {
  const json = JSON.stringify({
    type: event.type,
    data: event.data,
    lastEventId: event.lastEventId,
    origin: event.origin,
    time: event.time.toISOString(),
  });
  return `${json.replace(/[\u007f-\u009f]/g, unicodeEscape)}\n`;
}

/**
 * `type [id] data`; the lines of multi-line data continue under the first, indented to the
 * same column, so one event stays one visual block.
 */
export function formatEvent(event: PrintedEvent, colour: boolean): string {
  const type = colour ? styles.type : plain;
  const id = colour ? styles.id : plain;
  const name = visible(event.type);
  const prefix = event.lastEventId === "" ? "" : ` [${visible(event.lastEventId)}]`;
  const indent = " ".repeat(name.length + prefix.length + 1);
  const lines = event.data.split("\n").map(visible);
  return `${type(name)}${id(prefix)} ${lines.join(`\n${indent}`)}\n`;
}

/** open: good; an error the source recovers from: warn; giving up: bad; the rest: info. */
export type StatusKind = "info" | "good" | "warn" | "bad";

/** A `* ...` line for stderr, like curl's verbose mode (the demo's server marks its own). */
export function formatStatus(
  text: string,
  kind: StatusKind,
  colour: boolean,
  marker = "*",
): string {
  // The text may carry what the server sent (an event ID, in "with Last-Event-ID: ..."):
  // escaped as events are.
  const line = `${marker} ${visible(text)}`;
  if (!colour) return `${line}\n`;
  return `${styles[kind](line)}\n`;
}

/**
 * A stream is untrusted input: control characters (an ESC could restyle or retitle the
 * terminal) are shown as `\u001b` escapes instead of being written raw. Tabs stay; LF is
 * escaped too, so one text stays one line (event data is split at LF before it comes here).
 */
export function visible(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, unicodeEscape);
}

/** `\u001b` for ESC: the same text in JavaScript and JSON strings. */
function unicodeEscape(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
}
