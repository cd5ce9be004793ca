/** The command line → the options the CLI hands the EventSource. */
import { describe, expect, it } from "vitest";
import { parseCommandLine, UsageError } from "../../src/cli/args.js";

const URL_ = "http://127.0.0.1:8080/events";

describe("cli arguments", () => {
  it("defaults: GET, reconnect forever, human output", () => {
    expect(parseCommandLine([URL_])).toEqual({
      kind: "run",
      options: {
        url: URL_,
        headers: [],
        method: undefined,
        data: undefined,
        lastEventId: undefined,
        proxy: undefined,
        retryMax: undefined,
        backoff: undefined,
        maxDelay: undefined,
        retryOn: undefined,
        heartbeatTimeout: undefined,
        maxEventSize: undefined,
        maxEvents: undefined,
        timeout: undefined,
        reconnect: true,
        json: false,
      },
    });
  });

  it("every option, in short and long forms", () => {
    const command = parseCommandLine([
      "-H",
      "Authorization: Bearer x",
      "--header=X-A:1",
      "--last-event-id",
      "7",
      "-X",
      "post",
      "-d",
      "@body.json",
      "--proxy",
      "http://proxy:3128",
      "--retry-max",
      "3",
      "--backoff",
      "exponential",
      "--max-delay",
      "30s",
      "--retry-on",
      "502, 503,429",
      "--heartbeat-timeout",
      "45s",
      "--max-event-size",
      "65536",
      "--max-events",
      "10",
      "--timeout",
      "2m",
      "--no-reconnect",
      "--json",
      URL_,
    ]);
    expect(command).toEqual({
      kind: "run",
      options: {
        url: URL_,
        headers: [
          ["Authorization", "Bearer x"],
          ["X-A", "1"],
        ],
        method: "post",
        data: "@body.json",
        lastEventId: "7",
        proxy: "http://proxy:3128/",
        retryMax: 3,
        backoff: "exponential",
        maxDelay: 30_000,
        retryOn: [502, 503, 429],
        heartbeatTimeout: 45_000,
        maxEventSize: 65_536,
        maxEvents: 10,
        timeout: 120_000,
        reconnect: false,
        json: true,
      },
    });
  });

  it("--help and --version win over everything else", () => {
    expect(parseCommandLine(["--help", "not a url"])).toEqual({ kind: "help" });
    expect(parseCommandLine(["-h"])).toEqual({ kind: "help" });
    expect(parseCommandLine(["--version"])).toEqual({ kind: "version" });
  });

  it.each([
    [["-X", "GE T", URL_], "--method: not an HTTP method: GE T"],
    [["-X", "head", "-d", "x", URL_], "--data: a HEAD request cannot have a body"],
    [["--proxy", "nope", URL_], "--proxy: not an http(s) URL: nope"],
    [
      ["--proxy", "socks5://127.0.0.1:1080", URL_],
      "--proxy: not an http(s) URL: socks5://127.0.0.1:1080",
    ],
    [["--retry-max", "-1", URL_], "Option '--retry-max' argument is ambiguous"],
    [["--retry-max", "1.5", URL_], "--retry-max: expected an integer ≥ 1, got '1.5'"],
    // The library's maxAttempts is at least 1 (1: give up at the first failure).
    [["--retry-max", "0", URL_], "--retry-max: expected an integer ≥ 1, got '0'"],
    [["--backoff", "linear", URL_], "--backoff: expected fixed or exponential, got 'linear'"],
    [
      ["--retry-on", "502,5xx", URL_],
      "--retry-on: expected HTTP statuses like 502,503, got '502,5xx'",
    ],
    [["--retry-on", "99", URL_], "--retry-on: expected HTTP statuses like 502,503, got '99'"],
    [["--max-event-size", "0", URL_], "--max-event-size: expected an integer ≥ 1, got '0'"],
    [
      ["--heartbeat-timeout", "0", URL_],
      "--heartbeat-timeout: expected a duration like 30s, got '0'",
    ],
    [["-H", ": empty name", URL_], "--header: expected 'Name: value', got ': empty name'"],
    [["--json=yes", URL_], "Option '--json' does not take an argument"],
  ])("%j: %s", (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(new UsageError(message));
  });
});
