/**
 * The README's "Command line" section, exercised: the sample session is what the built CLI
 * prints for the same stream, every example command line parses, and the option table lists
 * exactly the options the usage text does.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCommandLine, USAGE } from "../../src/cli/args.js";
import { sseHeaders } from "../helpers/server.js";
import { cli, serverPerTest } from "./child.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const section = /\n## Command line\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";
const blocks = (language: string) =>
  [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, "g"))].map(
    (match) => match[1] as string,
  );
/** Words of a shell command line: single quotes group, a pipe ends the command. */
const words = (line: string) =>
  [...(line.split(" | ")[0] as string).matchAll(/'([^']*)'|(\S+)/g)].map(
    (match) => (match[1] ?? match[2]) as string,
  );

const server = serverPerTest();

describe("README: Command line", () => {
  it("the section is there, with a sample session and examples", () => {
    expect(blocks("console")).toHaveLength(1);
    expect(blocks("sh").length).toBeGreaterThan(0);
  });

  it("the sample session is what the CLI prints for that stream", async () => {
    // The stream of the sample: three events, the server closes, the client resumes after 3.
    server().route("/events", (request, response) => {
      sseHeaders(response);
      if (request.headers["last-event-id"] === "3") {
        response.write(
          'event: price\nid: 4\ndata: {"symbol":"ACME","price":101.49,"change":-0.03}\n\n',
        );
        return;
      }
      response.end(
        "retry: 1000\n\n" +
          'event: price\nid: 1\ndata: {"symbol":"ACME","price":101.52,"change":0.02}\n\n' +
          'event: price\nid: 2\ndata: {"symbol":"GLOBEX","price":48.17,"change":-0.03}\n\n' +
          "id: 3\ndata: market summary\ndata: ACME 101.52\ndata: GLOBEX 48.17\n\n",
      );
    });
    const [command = "", ...output] = (blocks("console")[0] ?? "").trimEnd().split("\n");
    const sampleURL = "http://127.0.0.1:8080/events";
    const args = words(command.replace(/^\$ /, "")).slice(2);
    expect(args).toContain(sampleURL);
    const url = server().url("/events");
    const child = cli(args.map((arg) => (arg === sampleURL ? url : arg)));
    expect(await child.exited).toBe(0);
    const expected = output.map((line) => `${line.replace(sampleURL, url)}\n`);
    expect(child.stderr).toBe(expected.filter((line) => line.startsWith("* ")).join(""));
    expect(child.stdout).toBe(expected.filter((line) => !line.startsWith("* ")).join(""));
  });

  it("every example command line is valid", () => {
    const commands = blocks("sh")
      .flatMap((block) => block.split("\n"))
      .filter((line) => line.startsWith("npx universal-eventsource "));
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const line of commands) {
      expect(parseCommandLine(words(line).slice(2)).kind, line).toBe("run");
    }
  });

  it("the option table lists exactly the options of the usage text", () => {
    const longFlags = (text: string) => [...new Set(text.match(/--[a-z][a-z-]+/g))].sort();
    const table = section
      .split("\n")
      .filter((line) => line.startsWith("| `"))
      .map((line) => line.split(" | ")[0])
      .join(" ");
    const usageOptions = USAGE.slice(USAGE.indexOf("Options:"), USAGE.indexOf("\n\nT is"));
    expect(longFlags(table)).toEqual(longFlags(usageOptions));
  });
});
