/**
 * make-snapshots replaces a snapshot folder whole or not at all. It deleted the folder and then wrote it file by file,
 * the manifest last, so a run stopped midway (killed, a file it could not write) left a folder with no manifest, and
 * every build failed on it. Here a snapshot is written from the bundled tau-bench files, then a rewrite fails midway.
 */
import {copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {verifySnapshot} from "../../data-loaders/snapshots/manifest.ts";
import {listSnapshotDirs, SNAPSHOTS_DIR} from "../../data-loaders/snapshots/load-bundled.ts";
import {writeSnapshot, type SnapshotSpec} from "../../data-loaders/snapshots/make-snapshots.ts";

const ID = "2026-11-22-tau-bench-airline-trials";
const bundled = join(SNAPSHOTS_DIR, ID);
const root = mkdtempSync(join(tmpdir(), "benchlab-make-snapshots-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

// The shared data's folder as make-snapshots reads it: only its SOURCE.md is copied from there.
const from = join(root, "shared");
mkdirSync(join(from, "tau_bench"), {recursive: true});
copyFileSync(join(bundled, "SOURCE.md"), join(from, "tau_bench", "SOURCE.md"));
const to = join(root, "snapshots");

const manifest = JSON.parse(readFileSync(join(bundled, "manifest.json"), "utf8"));
const spec = (files: SnapshotSpec["files"]): SnapshotSpec => ({
  ...manifest,
  folder: "tau_bench",
  licenceText: readFileSync(join(bundled, "LICENCE.md"), "utf8"),
  files
});
const file = (path: string) => {
  const listed = manifest.files.find((f: {path: string}) => f.path === path);
  return {path, kind: listed.kind, description: listed.description, bytes: readFileSync(join(bundled, path))};
};

describe("make-snapshots", () => {
  it("leaves the previous snapshot folder whole when a rewrite stops midway, and the next run replaces it", () => {
    const whole = [file("tau-bench-airline.records.jsonl.gz"), file("readme-leaderboard.results.jsonl.gz")];
    writeSnapshot(ID, spec(whole), from, to);
    const before = readdirSync(join(to, ID)).sort();
    expect(verifySnapshot(join(to, ID), ID).files).toHaveLength(2);

    // The second file cannot be written (its folder does not exist): the run stops after the first.
    expect(() => writeSnapshot(ID, spec([whole[0], {...whole[1], path: "no-such-folder/x.jsonl.gz"}]), from, to)).toThrow(/ENOENT/);
    expect(readdirSync(join(to, ID)).sort()).toEqual(before);
    expect(verifySnapshot(join(to, ID), ID).files.map((f) => f.path)).toEqual(whole.map((f) => f.path));
    // What the stopped run left is hidden from the loader.
    expect(listSnapshotDirs(to)).toEqual([ID]);

    writeSnapshot(ID, spec([whole[0]]), from, to);
    expect(verifySnapshot(join(to, ID), ID).files.map((f) => f.path)).toEqual([whole[0].path]);
    expect(readdirSync(to)).toEqual([ID]);
  });
});
