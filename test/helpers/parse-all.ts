/** Runs `createParser` (or `create`) over chunks and records everything it reports, for the parser tests. */
import {
  createParser,
  type EventSourceMessage,
  type ParseError,
  type ParserOptions,
} from "../../src/parser.js";

/** What the parser reported, shaped like the reference parser's result (error messages left out). */
export interface ParseOutput {
  events: EventSourceMessage[];
  retries: number[];
  comments: string[];
  errors: Record<string, unknown>[];
  lastEventId: string;
}

export function parseAll(
  chunks: Iterable<Uint8Array | string>,
  options?: ParserOptions,
  create: typeof createParser = createParser,
): ParseOutput {
  const output: ParseOutput = {
    events: [],
    retries: [],
    comments: [],
    errors: [],
    lastEventId: "",
  };
  const parser = create(
    {
      onEvent: (event) => output.events.push(event),
      onRetry: (ms) => output.retries.push(ms),
      onComment: (comment) => output.comments.push(comment),
      onError: ({ message: _message, ...error }: ParseError) => output.errors.push(error),
    },
    options,
  );
  for (const chunk of chunks) parser.feed(chunk);
  output.lastEventId = parser.lastEventId;
  return output;
}

/**
 * The ways a body is cut into chunks: whole, one unit (byte or UTF-16 unit) at a time, in two
 * at every position, and in three at every pair of positions (empty pieces included). Each comes
 * with a label saying where it was cut.
 */
export function* chunkings<T extends Uint8Array | string>(
  body: T,
  { pairs = true }: { pairs?: boolean } = {},
): Generator<[label: string, chunks: T[]]> {
  const cut = (from: number, to: number) => body.slice(from, to) as T;
  const n = body.length;
  yield ["whole", [body]];
  yield ["one unit at a time", Array.from({ length: n }, (_, i) => cut(i, i + 1))];
  for (let i = 0; i <= n; i++) yield [`split at ${i}`, [cut(0, i), cut(i, n)]];
  if (!pairs) return;
  for (let i = 0; i <= n; i++) {
    for (let j = i; j <= n; j++)
      yield [`split at ${i} and ${j}`, [cut(0, i), cut(i, j), cut(j, n)]];
  }
}

/** A body cut at positions given as fractions of its length (what a fast-check array of doubles gives). */
export function cutAtFractions<T extends Uint8Array | string | string[]>(
  body: T,
  fractions: number[],
): T[] {
  const positions = fractions.map((f) => Math.floor(f * body.length)).sort((a, b) => a - b);
  const chunks: T[] = [];
  let from = 0;
  for (const position of [...positions, body.length]) {
    chunks.push(body.slice(from, position) as T);
    from = position;
  }
  return chunks;
}
