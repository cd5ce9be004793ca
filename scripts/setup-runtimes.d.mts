export interface Runtime {
  name: string;
  kind: "node" | "bun" | "deno";
  spec: string;
  bin: string;
  /** Absolute path of the runtime's binary. */
  path: string;
}
export const runtimesDir: string;
export const runtimes: Runtime[];
export function runtimeVersion(runtime: Runtime): string | undefined;
export function setupRuntimes(log?: (line: string) => void): string[];
