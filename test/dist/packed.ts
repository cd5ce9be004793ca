/**
 * The package as published: `npm pack` of the current build, unpacked into
 * `node_modules/universal-eventsource` of a scratch directory, with the project's own copies of
 * its dependency (undici) and of the type packages a consumer test asks for linked beside it.
 * No network. `npm test` builds before vitest runs; run `npm run build` first when running these
 * files alone.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

export const run = promisify(execFile);
export const root = join(import.meta.dirname, "../..");

export interface Scratch {
  dir: string;
  /** Where the package was unpacked. */
  packageDir: string;
  /** The tarball's file list, relative to the package root. */
  files: string[];
  /** Links `node_modules/<name>` of the scratch dir to the project's copy. */
  link(name: string): Promise<void>;
  /** Runs `node` in the scratch dir. */
  node(args: string[]): Promise<{ stdout: string; stderr: string }>;
  remove(): Promise<void>;
}

export async function installPacked(): Promise<Scratch> {
  if (!existsSync(join(root, "dist/index.js"))) throw new Error("no dist/: run `npm run build`");
  const dir = await mkdtemp(join(tmpdir(), "ue-packed-"));
  const { stdout } = await run(
    "npm",
    ["pack", "--json", "--ignore-scripts", "--pack-destination", dir],
    { cwd: root },
  );
  const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
  const modules = join(dir, "node_modules");
  await mkdir(join(modules, "@types"), { recursive: true });
  await run("tar", ["-xzf", join(dir, packed.filename), "-C", modules]);
  const packageDir = join(modules, "universal-eventsource");
  await rename(join(modules, "package"), packageDir);
  const link = async (name: string) => {
    if (!existsSync(join(modules, name)))
      await symlink(join(root, "node_modules", name), join(modules, name), "dir");
  };
  await link("undici");
  return {
    dir,
    packageDir,
    files: packed.files.map((file) => file.path),
    link,
    node: (args) => run(process.execPath, args, { cwd: dir, timeout: 20_000 }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function readPackageJson(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(root, "package.json"), "utf8"));
}
