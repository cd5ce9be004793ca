/**
 * `npm run bench`: runs every test/bench/*.bench.mjs in turn, each in its own Node process, or
 * only those named on the command line (`npm run bench -- parser` runs parser.bench.mjs).
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here)
  .filter((name) => name.endsWith(".bench.mjs"))
  .sort();
const wanted = process.argv
  .slice(2)
  .map((name) => name.replace(/(\.bench)?(\.mjs)?$/, ".bench.mjs"));
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`no such bench: ${unknown.join(", ")} (have: ${all.join(", ")})`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n# ${name}\n`);
  const { status } = spawnSync(process.execPath, [join(here, name)], { stdio: "inherit" });
  if (status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
