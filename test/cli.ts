/** Test helpers: the `benchlab` command line in a child process (as a user runs it), or in this process. */
import {spawn, spawnSync, type SpawnSyncReturns} from "node:child_process";
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
 * `benchlab ARGS` in a child process without blocking this one (so a fake server started by the test can answer it):
 * its exit status, stdout and stderr.
 */
export function benchlabChild(args: string[], {cwd, env = {}}: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): Promise<{status: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BENCHLAB_BIN, ...args], {cwd, env: {...process.env, ...env}, stdio: ["ignore", "pipe", "pipe"]});
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({status, stdout, stderr}));
  });
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
