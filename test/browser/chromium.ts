/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser build). Locally, when
 * it is missing, browser suites say so and skip; under CI=true a missing browser fails the run.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

export const chromiumPath = "/usr/bin/chromium";

/** True when the browser suites can run; throws under CI=true when they cannot. */
export function chromiumAvailable(suite: string): boolean {
  if (existsSync(chromiumPath)) return true;
  if (process.env.CI === "true") {
    throw new Error(
      `${suite}: ${chromiumPath} is missing (CI installs it: apt-get install chromium)`,
    );
  }
  console.warn(
    `[browser] ${suite}: no Chromium at ${chromiumPath}; skipped (apt-get install chromium)`,
  );
  return false;
}

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile in a temporary folder, removed by `close()`. */
export async function launchChromium(): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), "ues-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
