import { beforeEach, describe, expect, it, vi } from "vitest";
import type { TransportRequest, TransportSink } from "../../src/transports/transport.js";
import { xhrTransport } from "../../src/transports/xhr.js";
import { FakeXHR } from "../helpers/fake-xhr.js";

interface Heard {
  log: unknown[];
  sink: TransportSink;
}

/** A sink recording what it hears; `restart` refuses unless the test gives its own. */
function listen(restart: () => boolean = () => false): Heard {
  const log: unknown[] = [];
  const sink: TransportSink = {
    response: (response) =>
      log.push({
        response: response.status,
        contentType: response.headers.get("content-type"),
        url: response.url,
        retryAfter: response.headers.get("retry-after"),
      }),
    chunk: (data) => log.push({ chunk: data }),
    end: () => log.push("end"),
    error: (failure) => log.push({ error: failure.message, fatal: failure.fatal === true }),
    restart,
  };
  return { log, sink };
}

const request: TransportRequest = {
  url: "http://example.test/events",
  method: "GET",
  headers: { accept: "text/event-stream", "last-event-id": "7" },
  withCredentials: true,
};

function start(heard: Heard, recycleAfter?: number): { xhr: FakeXHR; abort: () => void } {
  const abort = xhrTransport(() => new FakeXHR(), recycleAfter)(request, heard.sink);
  return { xhr: FakeXHR.created[FakeXHR.created.length - 1] as FakeXHR, abort };
}

describe("XHR transport", () => {
  beforeEach(() => {
    FakeXHR.created = [];
  });

  it("[C7]/[C10]/[I1] sends method, URL, headers and credentials mode, forces UTF-8 decoding", () => {
    const { xhr } = start(listen());
    expect(xhr.method).toBe("GET");
    expect(xhr.url).toBe("http://example.test/events");
    expect(xhr.headers).toEqual({ accept: "text/event-stream", "last-event-id": "7" });
    expect(xhr.withCredentials).toBe(true);
    expect(xhr.mimeType).toBe("text/event-stream; charset=utf-8");
    expect(xhr.sent).toBe(true);
    expect(xhr.body).toBeNull();
  });

  it("reports status, content type, headers and the final URL at HEADERS_RECEIVED", () => {
    const heard = listen();
    const { xhr } = start(heard);
    xhr.responseURL = "http://example.test/moved";
    xhr.respond(200, { "content-type": "text/event-stream", "retry-after": "5" });
    expect(heard.log).toEqual([
      {
        response: 200,
        contentType: "text/event-stream",
        url: "http://example.test/moved",
        retryAfter: "5",
      },
    ]);
  });

  it("reports no URL where responseURL is missing (the source then uses the request's)", () => {
    const heard = listen();
    const { xhr } = start(heard);
    xhr.respond();
    expect(heard.log[0]).toMatchObject({ url: "" });
  });

  it("feeds each character of responseText once, however often the browser reports", () => {
    const heard = listen();
    const { xhr } = start(heard);
    xhr.respond();
    xhr.receive("data: a");
    xhr.onprogress?.(); // a progress event with nothing new
    xhr.receive("\n\ndata: é€😀\n\n");
    xhr.finish();
    // The first chunk starts with the BOM the browser's decoding removed (next test).
    expect(heard.log.slice(1)).toEqual([
      { chunk: "\uFEFFdata: a" },
      { chunk: "\n\ndata: é€😀\n\n" },
      "end",
    ]);
  });

  it("[I1] puts back the one leading BOM the browser's UTF-8 decoding removed", () => {
    // The server sent two BOMs; responseText holds the second. The parser must strip exactly one
    // (WPT format-bom-2), so it gets both back.
    const heard = listen();
    const { xhr } = start(heard);
    xhr.respond();
    xhr.receive("\uFEFFdata: 1\n\n");
    xhr.receive("\uFEFFdata: 2\n\n");
    expect(heard.log.slice(1)).toEqual([
      { chunk: "\uFEFF\uFEFFdata: 1\n\n" },
      { chunk: "\uFEFFdata: 2\n\n" },
    ]);
  });

  it("[C15.2] a network error, before or during the body, is an error, not an end", () => {
    const before = listen();
    start(before).xhr.fail();
    expect(before.log).toEqual([{ error: "network error", fatal: false }]);

    const during = listen();
    const { xhr } = start(during);
    xhr.respond();
    xhr.receive("data: a\n\n");
    xhr.fail();
    expect(during.log.slice(1)).toEqual([
      { chunk: "\uFEFFdata: a\n\n" },
      { error: "network error", fatal: false },
    ]);
  });

  it("works from readystatechange alone: response, body and end when the state jumps to DONE", () => {
    // Browsers before XHR2's progress events, or a short body that arrives all at once.
    const heard = listen();
    const { xhr } = start(heard);
    xhr.onprogress = null;
    xhr.status = 200;
    xhr.responseHeaders = { "content-type": "text/event-stream" };
    xhr.responseText = "data: a\n\n";
    xhr.readyState = 4;
    xhr.onreadystatechange?.();
    xhr.onreadystatechange?.(); // DONE reported twice: still one end
    expect(heard.log).toEqual([
      { response: 200, contentType: "text/event-stream", url: "", retryAfter: null },
      { chunk: "\uFEFFdata: a\n\n" },
      "end",
    ]);
  });

  it("[C15.2] a network error reported by readystatechange alone is one error", () => {
    const heard = listen();
    const { xhr } = start(heard);
    xhr.respond();
    xhr.readyState = 4;
    xhr.status = 0;
    xhr.onreadystatechange?.();
    xhr.onprogress?.();
    expect(heard.log.slice(1)).toEqual([{ error: "network error", fatal: false }]);
  });

  it("after abort, the sink hears nothing and the request is aborted", () => {
    const heard = listen();
    const { xhr, abort } = start(heard);
    xhr.respond();
    abort();
    xhr.receive("data: a\n\n");
    xhr.finish();
    expect(xhr.aborted).toBe(true);
    expect(heard.log).toHaveLength(1);
  });

  it("a request that throws on send is a fatal error, reported later", () => {
    vi.useFakeTimers();
    try {
      const heard = listen();
      xhrTransport(() => {
        const xhr = new FakeXHR();
        xhr.send = () => {
          throw new Error("bad header");
        };
        return xhr;
      })(request, heard.sink);
      expect(heard.log).toEqual([]);
      vi.runAllTimers();
      expect(heard.log).toEqual([{ error: "request failed: Error: bad header", fatal: true }]);
    } finally {
      vi.useRealTimers();
    }
  });

  describe("[NON-SPEC] recycling a long response", () => {
    it("asks for a restart once past the threshold, at an event boundary, and aborts on yes", () => {
      const restart = vi.fn(() => true);
      const heard = listen(restart);
      const { xhr } = start(heard, 16);
      xhr.respond();
      xhr.receive("id: 1\ndata: 0123456789\n"); // past 16, but no blank line yet
      expect(restart).not.toHaveBeenCalled();
      xhr.receive("\n");
      expect(restart).toHaveBeenCalledTimes(1);
      expect(xhr.aborted).toBe(true);
      xhr.receive("data: late\n\n");
      xhr.finish();
      expect(heard.log.slice(1)).toEqual([
        { chunk: "\uFEFFid: 1\ndata: 0123456789\n" },
        { chunk: "\n" },
      ]);
    });

    it("goes on with the same request when the EventSource says no", () => {
      const restart = vi.fn(() => false);
      const heard = listen(restart);
      const { xhr } = start(heard, 4);
      xhr.respond();
      xhr.receive("data: 0123456789\n\n");
      xhr.receive("data: more\n\n");
      expect(restart).toHaveBeenCalledTimes(2);
      expect(xhr.aborted).toBe(false);
      expect(heard.log).toHaveLength(3);
    });

    it("[R1]/[R2] a body first seen at DONE ends the stream: no restart once the server has ended it", () => {
      const restart = vi.fn(() => true);
      const heard = listen(restart);
      const { xhr } = start(heard, 4);
      xhr.respond();
      // Text that arrives with DONE, past the threshold and on an event boundary.
      xhr.responseText = "id: 1\ndata: 0123456789\n\n";
      xhr.finish();
      expect(restart).not.toHaveBeenCalled();
      expect(xhr.aborted).toBe(false);
      expect(heard.log.slice(1)).toEqual([{ chunk: "\uFEFFid: 1\ndata: 0123456789\n\n" }, "end"]);
    });

    it.each([
      ["LF LF", "data: 0123456789\n\n", true],
      ["CRLF CRLF", "data: 0123456789\r\n\r\n", true],
      ["CR CRLF", "data: 0123456789\r\r\n", true],
      ["LF CRLF", "data: 0123456789\n\r\n", true],
      ["CR CR", "data: 0123456789\r\r", true],
      ["one CRLF", "data: 0123456789\r\n", false],
      ["LF CR (whether or not an LF follows)", "data: 0123456789\n\r", true],
      ["one CR", "data: 0123456789\r", false],
      ["one LF", "data: 0123456789\n", false],
    ])("[I2] an event boundary is two line ends: %s", (_name, text, boundary) => {
      const restart = vi.fn(() => true);
      const { xhr } = start(listen(restart), 4);
      xhr.respond();
      xhr.receive(text);
      expect(restart).toHaveBeenCalledTimes(boundary ? 1 : 0);
    });
  });
});

describe("XHR transport, an error within send()", () => {
  it("[C16] a network error the browser reports within send() (Chromium, ftp:) reaches the sink later, from a task", async () => {
    FakeXHR.created = [];
    const heard = listen();
    xhrTransport(() => {
      const xhr = new FakeXHR();
      const send = xhr.send.bind(xhr);
      xhr.send = (body?: unknown) => {
        send(body);
        xhr.fail();
      };
      return xhr;
    })(request, heard.sink);
    expect(heard.log).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(heard.log).toEqual([{ error: "network error", fatal: false }]);
  });
});
