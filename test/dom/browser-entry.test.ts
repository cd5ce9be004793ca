// @vitest-environment happy-dom
// @vitest-environment-options { "url": "http://app.test/app/page.html" }
/**
 * The fetch entry in a DOM (happy-dom): relative URLs resolve against the document's base
 * URL [C2]/[C3], and events carry the origin of the final response URL [D5]. The extended fetch
 * entry, whose `fetch` option plays the server; the lean browser entry shares its base URL and
 * transport, and real browsers run both in the Chromium suite. Fast unit checks.
 */
import { afterEach, describe, expect, it } from "vitest";
import { EventSource, type FetchEventSourceInit } from "../../src/entries/extended.js";
import { nextEvent } from "../helpers/events.js";

type FetchOption = NonNullable<FetchEventSourceInit["fetch"]>;

/** A fetch that answers every request with `body` as an event stream from `finalURL`. */
function fetchAnswering(body: string, finalURL?: string): { fetch: FetchOption; urls: string[] } {
  const urls: string[] = [];
  const fetch: FetchOption = async (url) => {
    urls.push(url);
    return {
      status: 200,
      url: finalURL ?? url,
      headers: new Headers({ "content-type": "text/event-stream" }),
      body: new Response(body).body,
    };
  };
  return { fetch, urls };
}

describe("browser entry in a document", () => {
  afterEach(() => {
    for (const base of document.querySelectorAll("base")) base.remove();
  });

  it("resolves a relative URL against the document URL", async () => {
    const { fetch, urls } = fetchAnswering("data: x\n\n");
    const source = new EventSource("events?x=1", { fetch });
    expect(source.url).toBe("http://app.test/app/events?x=1");
    await nextEvent(source, "message");
    source.close();
    expect(urls).toEqual(["http://app.test/app/events?x=1"]);
  });

  it("eventsource-constructor-empty-url: '' is the document's own URL", () => {
    const source = new EventSource("", { fetch: fetchAnswering("").fetch });
    expect(source.url).toBe("http://app.test/app/page.html");
    source.close();
  });

  it("honours a <base href>", () => {
    const base = document.createElement("base");
    base.href = "http://cdn.test/streams/";
    document.head.append(base);
    const source = new EventSource("live", { fetch: fetchAnswering("").fetch });
    expect(source.url).toBe("http://cdn.test/streams/live");
    source.close();
  });

  it("[D5] origin is the final URL's origin", async () => {
    const { fetch } = fetchAnswering("data: hello\n\n", "https://edge.test:8443/final");
    const source = new EventSource("/events", { fetch });
    const message = await nextEvent<MessageEvent>(source, "message");
    source.close();
    expect(message.data).toBe("hello");
    expect(message.origin).toBe("https://edge.test:8443");
  });

  it("an invalid URL still throws SyntaxError in a document", () => {
    expect(() => new EventSource("http://this is invalid/")).toThrow(
      expect.objectContaining({ name: "SyntaxError" }),
    );
  });
});
