/**
 * Streaming `Content-Encoding` decoding for the undici transport, which sees the raw body
 * (fetch decodes by itself). Browsers decode gzip, deflate and br as the bytes arrive; so does
 * this: every chunk is decoded with a sync flush, so an event the server flushed reaches the
 * parser at once instead of waiting for the decoder's buffers to fill.
 */
import {
  constants,
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw,
} from "node:zlib";

/** What the transport advertises: browsers' list, minus zstd, which Node 20's zlib lacks. */
export const ACCEPT_ENCODING = "gzip, deflate, br";

/**
 * The longest chain of codings decoded, as fetch (undici) and curl limit it: each coding is a
 * decoder with its own buffers, and a header of thousands (a few KB of nested gzip) would take
 * minutes of CPU and hundreds of MB, whatever maxEventSize says.
 */
const MAX_CODINGS = 5;

/** Where decoded bytes go. */
export interface DecodedSink {
  data(chunk: Uint8Array): void;
  end(): void;
  error(message: string, cause: unknown): void;
}

/** Encoded bytes in. */
interface Stage {
  write(chunk: Uint8Array): void;
  /** No more input: the sink's `end` follows once the decoded rest is out. */
  end(): void;
}

/** `destroy()` frees the native decoders and silences the sink. */
export interface BodyDecoder extends Stage {
  destroy(): void;
}

type Coding = "gzip" | "deflate" | "br";
type ZlibStream = ReturnType<typeof createGunzip> | ReturnType<typeof createBrotliDecompress>;

/**
 * A decoder for a `Content-Encoding` header, or undefined when the body needs none (no header,
 * `identity`) or uses a coding this transport did not offer: that body passes through as is,
 * as fetch does. A chain longer than `MAX_CODINGS` is reported to `sink.error` at once, and
 * undefined returned: nothing is decoded.
 */
export function createBodyDecoder(
  contentEncoding: string | null,
  sink: DecodedSink,
): BodyDecoder | undefined {
  if (contentEncoding === null) return undefined;
  const codings: Coding[] = [];
  for (const token of contentEncoding.split(",")) {
    const coding = token.trim().toLowerCase();
    if (coding === "" || coding === "identity") continue;
    if (coding === "gzip" || coding === "x-gzip") codings.push("gzip");
    else if (coding === "deflate" || coding === "br") codings.push(coding);
    else return undefined;
  }
  if (codings.length === 0) return undefined;
  if (codings.length > MAX_CODINGS) {
    sink.error(`too many content codings (${codings.length}, at most ${MAX_CODINGS})`, undefined);
    return undefined;
  }

  let done = false;
  const streams: ZlibStream[] = [];
  const out: DecodedSink = {
    data: (chunk) => {
      if (!done) sink.data(chunk);
    },
    end: () => {
      if (!done) sink.end();
      done = true;
    },
    error: (message, cause) => {
      if (done) return;
      done = true;
      for (const stream of streams) stream.destroy();
      sink.error(message, cause);
    },
  };
  // Codings are listed in the order they were applied: the first to undo is the last listed,
  // so the chain is built from the sink back to the wire.
  let head: Stage = { write: out.data, end: out.end };
  for (const coding of codings) {
    const next = head;
    head = stage(coding, streams, { data: next.write, end: next.end, error: out.error });
  }
  const wire = head;
  return {
    write: (chunk) => {
      if (!done) wire.write(chunk);
    },
    end: () => {
      if (!done) wire.end();
    },
    destroy: () => {
      done = true;
      for (const stream of streams) stream.destroy();
    },
  };
}

/** One coding undone; its zlib stream opens on the first byte (deflate needs to see it). */
function stage(coding: Coding, streams: ZlibStream[], out: DecodedSink): Stage {
  let stream: ZlibStream | undefined;
  const open = (first: Uint8Array): ZlibStream => {
    // A sync flush per write hands each chunk's output over at once; ending with one too
    // takes a body cut short as a body that ended, as browsers do.
    const flush = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };
    let opened: ZlibStream;
    if (coding === "br") {
      opened = createBrotliDecompress({
        flush: constants.BROTLI_OPERATION_FLUSH,
        finishFlush: constants.BROTLI_OPERATION_FLUSH,
      });
    } else if (coding === "gzip") {
      opened = createGunzip(flush);
    } else {
      // HTTP's deflate is zlib-wrapped (compression method 8 in the low bits of the first
      // byte), but some servers send it raw; browsers take both.
      opened = ((first[0] ?? 0) & 0x0f) === 8 ? createInflate(flush) : createInflateRaw(flush);
    }
    opened.on("data", (chunk: Buffer) => out.data(chunk));
    opened.on("end", () => out.end());
    opened.on("error", (error: Error) =>
      out.error(`cannot decode the ${coding} body: ${error.message}`, error),
    );
    streams.push(opened);
    return opened;
  };
  return {
    write: (chunk) => {
      if (chunk.length === 0) return;
      stream ??= open(chunk);
      stream.write(chunk);
    },
    // Nothing was written: nothing to decode.
    end: () => (stream === undefined ? out.end() : stream.end()),
  };
}
