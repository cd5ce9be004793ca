/**
 * Soak: 10,000 connect/receive/drop cycles in one process, per transport (a child process run
 * with --expose-gc, so its heap is measured alone). After GC the heap grows by less than 5 MB,
 * and the open sockets, timers and listeners are back to where they started.
 */
import { describe, expect, it } from "vitest";
import { lastJsonLine, runChild } from "./child.js";
import { transports } from "./transports.js";

const CYCLES = Number(process.env.SOAK_CYCLES ?? 10_000);
const MB = 1024 * 1024;

interface SoakReport {
  cycles: number;
  seconds: number;
  heapGrowth: number;
  resourcesBefore: Record<string, number>;
  resourcesAfter: Record<string, number>;
}

describe.each(transports)("soak over %s", (name) => {
  it(`[NON-SPEC] ${CYCLES} cycles: heap growth < 5 MB after GC, resources back to the start`, async () => {
    const result = await runChild("test/reliability/children/soak.ts", [name, String(CYCLES)], {
      execArgv: ["--expose-gc"],
      timeout: 170_000,
    });
    expect(result.stderr).toBe("");
    expect(result.killed).toBe(false);
    expect(result.code).toBe(0);
    const report = lastJsonLine<SoakReport>(result.stdout);
    expect(report.cycles).toBe(CYCLES);
    expect(report.resourcesAfter).toEqual(report.resourcesBefore);
    expect(report.heapGrowth).toBeLessThan(5 * MB);
    console.info(
      `soak ${name}: ${report.cycles} cycles in ${report.seconds} s, heap growth ${(report.heapGrowth / MB).toFixed(2)} MB, resources ${JSON.stringify(report.resourcesAfter)}`,
    );
  }, 180_000);
});
