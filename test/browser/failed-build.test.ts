/**
 * A build whose data has a rejected row fails before Framework runs, says where the row is and how to list them all,
 * and leaves no earlier site in the output folder (one could take it for this build's).
 */
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {buildSite, DEFAULT_OUT} from "../../data-loaders/build.ts";
import {ingestFile} from "../../data-loaders/ingest/index.ts";
import {RESULTS_DIR} from "./harness.ts";

const DIR = join(RESULTS_DIR, "browser", "failed-build");

describe("a build with a rejected row", () => {
  it("fails naming the row and the command that lists them all, and removes the previous site", async () => {
    mkdirSync(join(DIR, "dist"), {recursive: true});
    writeFileSync(join(DIR, "dist", "index.html"), "<p>an earlier build</p>");
    const data = join(DIR, "runs.jsonl");
    writeFileSync(data, `${JSON.stringify({benchmark: "qa", item_id: "q1", model: "m", run_id: "r", passed: true})}\n{"benchmark":"qa","item_id":"q2","model":"m","run_id":"r","passed":"yes"}\n`);
    const db = join(DIR, "wh.duckdb");
    await expect(buildSite({db, out: join(DIR, "dist"), root: DIR, config: join(DIR, "unused.config.js"), load: (wh) => ingestFile(wh, data), log: () => {}})).rejects.toThrow(
      new RegExp(
        "^1 bundled row\\(s\\) were rejected; the report is built only from data with zero rejected rows\\. First:\\n" +
          `  ${data.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2 passed: passed: Invalid input: expected boolean, received string\\n` +
          "All of them: npx benchlab quarantine --db \\S*wh\\.duckdb\\. Fix the snapshot's file \\(and its manifest's sha256 and row count\\), then build again$"
      )
    );
    expect(existsSync(join(DIR, "dist"))).toBe(false);
  }, 600_000); // it may wait for another test file's site build to release the build lock

  it("refuses an output folder that is no earlier site build (--out ~ deleted a home folder), before touching anything", async () => {
    const notes = join(DIR, "notes");
    mkdirSync(notes, {recursive: true});
    writeFileSync(join(notes, "thesis.tex"), "years of work");
    const db = join(DIR, "kept.duckdb");
    writeFileSync(db, "not touched either");
    const build = (out: string) => buildSite({db, out, root: DIR, config: join(DIR, "unused.config.js"), load: async () => undefined, log: () => {}});
    await expect(build(notes)).rejects.toThrow(
      `output folder ${notes}: it holds files but none of _observablehq, _file, index.html, so it is no earlier site build; the build deletes its output folder first, so give a new or empty folder, or an earlier build's (default ${DEFAULT_OUT})`
    );
    expect(readFileSync(join(notes, "thesis.tex"), "utf8")).toBe("years of work");
    await expect(build(join(notes, "thesis.tex"))).rejects.toThrow(/thesis\.tex: a file, not a folder/);
    expect(readFileSync(db, "utf8")).toBe("not touched either");
  }, 600_000);
});
