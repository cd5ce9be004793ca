/**
 * What the package makes its users run: no runtime dependency at all for the browser entries,
 * only undici (itself dependency-free) for Node, and no known vulnerability in that tree
 * (`npm audit --omit=dev`). The import graphs are read from the sources with esbuild, so this
 * holds whatever the build does with them.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const readJson = (path: string) => JSON.parse(readFileSync(`${root}${path}`, "utf8"));

/** Every module an entry imports that is not one of our sources (packages, node: builtins). */
async function foreignImports(entry: string, platform: "browser" | "node"): Promise<string[]> {
  const result = await build({
    entryPoints: [`${root}${entry}`],
    bundle: true,
    write: false,
    metafile: true,
    platform,
    format: "esm",
    packages: "external",
    logLevel: "silent",
  });
  const imports = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imported of output.imports) if (imported.external) imports.add(imported.path);
  }
  return [...imports].sort();
}

describe("runtime dependencies", () => {
  it("package.json: undici is the only runtime dependency; no peer, optional or bundled ones", () => {
    const pkg = readJson("package.json");
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(["undici"]);
    expect(pkg.peerDependencies).toBeUndefined();
    expect(pkg.optionalDependencies).toBeUndefined();
    expect(pkg.bundledDependencies ?? pkg.bundleDependencies).toBeUndefined();
  });

  it("undici has no runtime dependency of its own", () => {
    expect(readJson("node_modules/undici/package.json").dependencies ?? {}).toEqual({});
  });

  it.each(["src/entries/browser.ts", "src/entries/polyfill.ts", "src/entries/iife.ts"])(
    "%s imports nothing but our sources",
    async (entry) => {
      expect(await foreignImports(entry, "browser")).toEqual([]);
    },
  );

  it.each(["src/entries/node.ts", "src/entries/polyfill-node.ts"])(
    "%s imports only undici and Node builtins",
    async (entry) => {
      const imports = await foreignImports(entry, "node");
      expect(imports.filter((path) => path !== "undici" && !path.startsWith("node:"))).toEqual([]);
    },
  );
});

describe("npm audit --omit=dev", () => {
  /**
   * Needs the registry's audit endpoint. A vulnerability fails the test, always; an endpoint
   * that cannot be reached (offline, a mirror without audit) skips it, saying so: an outage of
   * npm's service is no defect of this package.
   */
  it("reports no vulnerability in the runtime dependency tree", async (context) => {
    const { stdout } = await new Promise<{ stdout: string }>((resolve) => {
      execFile(
        "npm",
        ["audit", "--omit=dev", "--json"],
        { cwd: root, timeout: 60_000 },
        (_error, out) => resolve({ stdout: out }),
      );
    });
    let report: {
      metadata?: { vulnerabilities?: Record<string, number> };
      vulnerabilities?: Record<string, unknown>;
      message?: string;
      error?: { summary?: string };
    };
    try {
      report = JSON.parse(stdout);
    } catch {
      report = { message: stdout.slice(0, 200) || "no output" };
    }
    const counts = report.metadata?.vulnerabilities;
    if (counts === undefined) {
      context.skip(
        `npm audit endpoint unreachable: ${report.message ?? report.error?.summary ?? "unknown"}`,
      );
      return;
    }
    expect(Object.keys(report.vulnerabilities ?? {})).toEqual([]);
    expect(counts.total).toBe(0);
  }, 70_000);
});
