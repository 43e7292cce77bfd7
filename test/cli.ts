/** Test helpers: the `benchlab` command line in a child process (as a user runs it), or in this process. */
import {spawnSync, type SpawnSyncReturns} from "node:child_process";
import {join} from "node:path";
import {vi} from "vitest";
import {buildProgram} from "../data-loaders/cli.ts";
import {PROJECT_ROOT} from "../data-loaders/warehouse.ts";

/** The installed command (package.json "bin"). */
export const BENCHLAB_BIN = join(PROJECT_ROOT, "bin", "benchlab.js");

/** `benchlab ARGS` in a child process: its exit status, stdout and stderr. `env` adds to this process's environment. */
export function benchlabProcess(args: string[], {cwd, env = {}}: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BENCHLAB_BIN, ...args], {encoding: "utf8", cwd, env: {...process.env, ...env}});
}

/**
 * `benchlab ARGS` in this process (so a fake server started by the test can answer it): what it printed with
 * console.log. A failing command throws.
 */
export async function benchlabInProcess(args: string[]): Promise<string> {
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    await buildProgram().exitOverride().parseAsync(["node", "benchlab", ...args]);
    return log.mock.calls.map((call) => call.join(" ")).join("\n");
  } finally {
    log.mockRestore();
  }
}
