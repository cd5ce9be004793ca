/**
 * Constructor misuse on the Node entry, against a real server that must see no request: WebIDL
 * argument conversion (USVString url, EventSourceInit dictionary, boolean withCredentials),
 * then [C4] SyntaxError for what does not parse. Bad extension options (a TypeError naming the
 * option) are tested case by case in test/node/extensions.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventSource } from "../../src/entries/node.js";
import { startServer, type TestServer } from "../helpers/server.js";

type Construct = (url: unknown, init?: unknown) => EventSource;
const construct: Construct = (url, init) => new EventSource(url as string, init as never);

function thrownBy(run: () => unknown): unknown {
  try {
    const source = run();
    (source as EventSource).close();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("constructor misuse", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    // Whatever was thrown, no request was sent: the errors come before any fetch.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requests).toEqual([]);
    await server.close();
  });

  it.each([
    ["a number", 1],
    ["NaN", Number.NaN],
    ["null", null],
    ["undefined", undefined],
    ["an empty string", ""],
    ["a relative path (Node has no base URL)", "/events"],
    ["a bad port", "http://127.0.0.1:99999/"],
    ["a space in the host", "http://exa mple.test/"],
    ["an unclosed IPv6 literal", "http://[::1/"],
    ["an object whose toString gives no URL", { toString: () => "not a url" }],
  ])("[C4] %s: SyntaxError, a DOMException, naming the URL", (_label, url) => {
    const error = thrownBy(() => construct(url));
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("SyntaxError");
    expect((error as DOMException).message).toContain(JSON.stringify(String(url)));
  });

  it("eventsource-constructor-stringify: URL objects and objects with toString() are used as strings", () => {
    const origin = server.origin;
    const fromURL = construct(new URL(`${origin}/a`));
    const fromObject = construct({ toString: () => `${origin}/b` });
    expect(fromURL.url).toBe(`${origin}/a`);
    expect(fromObject.url).toBe(`${origin}/b`);
    fromURL.close();
    fromObject.close();
  });

  it("WebIDL: a Symbol is no string: TypeError", () => {
    expect(thrownBy(() => construct(Symbol("url")))).toBeInstanceOf(TypeError);
  });

  it("WebIDL: what toString() throws is what the constructor throws", () => {
    const reason = new Error("toString failed");
    expect(
      thrownBy(() =>
        construct({
          toString() {
            throw reason;
          },
        }),
      ),
    ).toBe(reason);
  });

  it.each([
    ["a number", 5],
    ["a string", "withCredentials"],
    ["true", true],
  ])("WebIDL: an init that is %s is no dictionary: TypeError", (_label, init) => {
    const error = thrownBy(() => construct(`${server.origin}/x`, init));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toContain("EventSourceInit");
  });

  it("[C6] withCredentials converts like a WebIDL boolean; null init is an empty dictionary", () => {
    const values: [unknown, boolean][] = [
      [1, true],
      ["yes", true],
      [{}, true],
      [0, false],
      ["", false],
      [null, false],
    ];
    for (const [value, expected] of values) {
      // Closed at once: nothing listens on port 1 anyway.
      const source = construct("http://127.0.0.1:1/", { withCredentials: value });
      source.close();
      expect(source.withCredentials).toBe(expected);
    }
    const source = construct("http://127.0.0.1:1/", null);
    source.close();
    expect(source.withCredentials).toBe(false);
  });
});
