/** Durations on the command line: `500ms`, `2s`, `1.5m`, or a bare number of seconds. */

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The duration in ms, or undefined when `text` is not a positive duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)?$/.exec(text.trim());
  if (match === null) return undefined;
  const ms = Math.round(Number(match[1]) * (UNITS[match[2] ?? "s"] ?? 1000));
  // Timers cannot wait longer than 2^31-1 ms; a zero wait is no duration at all, also when it
  // only rounds to zero (`0.4ms`: the library refuses a heartbeatTimeout of 0).
  return ms > 0 && ms <= 2147483647 ? ms : undefined;
}

/** `1500` → `1.5 s`, `250` → `250 ms`: how status lines show a delay. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
