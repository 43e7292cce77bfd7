/**
 * The built site is there whole or not at all. Framework writes it file by file, and it wrote straight into the
 * output folder: a build stopped midway (Ctrl-C, which stops Framework too; a kill) left half a site in dist/, which
 * looks like a finished one. Here the build of a one-page fixture is killed, with Framework, once its first files
 * are written.
 */
import {spawn} from "node:child_process";
import {existsSync, mkdirSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {RESULTS_DIR} from "./harness.ts";
import {withBuildLock} from "./site.ts";

const DIR = join(RESULTS_DIR, "browser", "site-kill");
const ROOT = join(DIR, "root");
const OUT = join(DIR, "dist");

/** Starts the child in a process group of its own; with `kill`, kills the group once a file of the site is written. */
function build(kill: boolean): Promise<{killed: boolean}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "site-kill-child.ts"), ROOT, OUT, join(DIR, "wh.duckdb")], {
      stdio: ["ignore", "ignore", "inherit"],
      detached: true
    });
    let killed = false;
    // Wherever Framework writes (the output folder, or a folder beside it), as soon as a file is there.
    const written = () => [OUT, `${OUT}.partial`].some((dir) => existsSync(dir) && readdirSync(dir).length > 0);
    const poll = kill
      ? setInterval(() => {
          if (killed || !written()) return;
          killed = true;
          process.kill(-child.pid!, "SIGKILL");
        }, 5)
      : undefined;
    child.on("error", reject);
    child.on("exit", () => {
      clearInterval(poll);
      resolve({killed});
    });
  });
}

describe("the built site", () => {
  it("is left whole or not at all by a build killed while Framework writes it", async () => {
    await withBuildLock(async () => {
      rmSync(DIR, {recursive: true, force: true});
      mkdirSync(ROOT, {recursive: true});
      writeFileSync(join(ROOT, "index.md"), "# Kill fixture\n\nTest-only site; see test/browser/site-kill.test.ts.\n");
      writeFileSync(
        join(ROOT, "observablehq.config.js"),
        `export default {title: "kill fixture", root: ${JSON.stringify(ROOT)}, output: process.env.BENCHLAB_SITE_OUT, globalStylesheets: [], pages: [], search: false};\n`
      );
      expect(await build(true)).toEqual({killed: true});
      expect(existsSync(OUT)).toBe(false);
      expect(await build(false)).toEqual({killed: false});
      expect(existsSync(join(OUT, "index.html"))).toBe(true);
      expect(existsSync(`${OUT}.partial`)).toBe(false);
    });
  }, 600_000); // it may wait for another test file's site build to release the build lock
});
