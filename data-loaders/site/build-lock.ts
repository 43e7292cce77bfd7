/**
 * One site build at a time per checkout. Builds share Framework's cache under the source root (npm files, loader
 * outputs) and the build warehouse, and each one clears them first, so two concurrent builds (say `npm run build`
 * while `npm test` builds) would delete each other's files mid-run.
 *
 * The lock is a directory (creating one is atomic) holding the owner's pid; a lock whose owner is no longer
 * running is taken over, so a killed build never blocks the next one.
 */
import {mkdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {dirname, join} from "node:path";

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Runs `f` holding the lock directory `path`; waits (up to `timeoutMs`) while another live process holds it. */
export async function withBuildLock<T>(path: string, f: () => Promise<T>, {timeoutMs = 3_600_000, log = console.log} = {}): Promise<T> {
  mkdirSync(dirname(path), {recursive: true});
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(path);
      writeFileSync(join(path, "pid"), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(path, "pid"), "utf-8"));
      } catch {
        // The owner has created the directory but not yet written its pid: wait.
      }
      if (Number.isInteger(owner) && owner !== process.pid && !isRunning(owner)) {
        rmSync(path, {recursive: true, force: true});
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${path}: held by process ${owner} for over ${timeoutMs / 1000} s`);
      if (!announced) log(`waiting for the site build of process ${owner} to finish (${path})`);
      announced = true;
      await new Promise((ok) => setTimeout(ok, 500));
    }
  }
  try {
    return await f();
  } finally {
    rmSync(path, {recursive: true, force: true});
  }
}
