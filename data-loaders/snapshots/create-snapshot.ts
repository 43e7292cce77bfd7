/**
 * A new snapshot from one's own files (`benchlab snapshot`), laid out like the bundled ones, so that `npm run build`
 * loads it into the report beside them: a dated folder `snapshots/<date>-<slug>/` with the data files gzipped, the
 * SOURCE.md and LICENCE.md notes, and a manifest with every file's sha256 and row count.
 *
 * A file's kind comes from its name, as in the bundled snapshots: `*.records.jsonl` (native run records, ingested
 * into `records`), `*.results.jsonl` (aggregate results, one `AggregateResult` per line, into `results`), any other
 * `.jsonl`, `.csv` or `.json` is kept as a file only. A `.gz` input is stored as it is; others are gzipped.
 *
 * Nothing half-made reaches the snapshots folder: the folder is assembled in a hidden staging folder beside it (which
 * the loader skips), loaded into a scratch warehouse exactly as the build loads it, and only renamed into place when
 * every row was accepted. A rejected row is reported with the input file, line, field and reason, and nothing is
 * written. An existing snapshot is never replaced: a snapshot is frozen, so a change is a new snapshot.
 */
import {existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync} from "node:fs";
import {basename, join, resolve} from "node:path";
import {gunzipSync, gzipSync} from "node:zlib";
import type {SnapshotManifest} from "../../src/lib/schema.ts";
import {openWarehouse} from "../warehouse.ts";
import {loadBundledSnapshots, type LoadProgress, type LoadSummary, SNAPSHOTS_DIR} from "./load-bundled.ts";
import {type SnapshotFileKind, writeSnapshotFolder} from "./manifest.ts";

export interface NewSnapshot {
  /** The id's name part: lower-case letters, digits and dashes. */
  slug: string;
  /** snapshot_date, YYYY-MM-DD: the day the data was taken. */
  date: string;
  title: string;
  /** Where the data comes from (a URL, or a description of the run). */
  source: string;
  sourceCommit?: string;
  licence: string;
  methodologyVersion: string;
  /** Links to the exact sources; default: `source`. */
  sources?: string[];
  notes?: string;
  /** Paths of the notes copied into the folder as SOURCE.md and LICENCE.md. */
  sourceNote: string;
  licenceNote: string;
  /** The data files. */
  files: string[];
}

export interface CreatedSnapshot {
  dir: string;
  manifest: SnapshotManifest;
  loaded: LoadSummary;
}

/** Prefix of the staging folders; a leftover one (a killed run) is hidden, so the loader never reads it. */
export const STAGING_PREFIX = ".new-snapshot-";

const KINDS: [suffix: string, kind: SnapshotFileKind][] = [
  [".records.jsonl", "records"],
  [".results.jsonl", "results"],
  [".jsonl", "other"],
  [".csv", "other"],
  [".json", "other"]
];

/** The stored name (always `.gz`) and kind of an input file; an unsupported name is an error saying what is. */
function storedFile(input: string): {name: string; kind: SnapshotFileKind} {
  const plain = basename(input).replace(/\.gz$/, "");
  const match = KINDS.find(([suffix]) => plain.endsWith(suffix) && plain.length > suffix.length);
  if (!match) {
    throw new Error(`${input}: a snapshot file must be named *.records.jsonl (run records), *.results.jsonl (aggregate results), or be a .jsonl, .csv or .json kept as a file (optionally .gz)`);
  }
  return {name: `${plain}.gz`, kind: match[1]};
}

/** The bytes to store: a gzip input as it is (checked to decompress), anything else gzipped (no timestamp, level 9). */
function storedBytes(input: string): Buffer {
  const bytes = readFileSync(input);
  if (!input.endsWith(".gz")) return gzipSync(bytes, {level: 9});
  try {
    gunzipSync(bytes);
  } catch (err) {
    throw new Error(`${input}: not a readable gzip file (${(err as Error).message})`);
  }
  return bytes;
}

function readNote(path: string, as: string): string {
  if (!existsSync(path) || !statSync(path).isFile()) throw new Error(`${path}: not found (the ${as} note)`);
  const text = readFileSync(path, "utf8");
  if (text.trim() === "") throw new Error(`${path}: empty; the ${as} note says ${as === "SOURCE.md" ? "where the data comes from" : "under which licence it may be shared"}`);
  return text;
}

/**
 * Creates `<to>/<date>-<slug>/` from `spec` (see the module comment). Throws, writing nothing, when an input is
 * missing or unsupported, the manifest is invalid, the date is after today (UTC), the snapshot exists, or any row
 * would be rejected by the load.
 */
export async function createSnapshot(
  spec: NewSnapshot,
  {to = SNAPSHOTS_DIR, onProgress}: {to?: string; onProgress?: (event: LoadProgress) => void} = {}
): Promise<CreatedSnapshot> {
  const id = `${spec.date}-${spec.slug}`;
  const target = resolve(to, id);
  if (existsSync(target)) throw new Error(`${target}: a snapshot with this id exists and is never replaced (snapshots are frozen); choose another --slug or --date`);
  if (spec.files.length === 0) throw new Error("no data files given");
  for (const input of spec.files) if (!existsSync(input) || !statSync(input).isFile()) throw new Error(`${input}: file not found`);
  const stored = spec.files.map((input) => ({input, ...storedFile(input)}));
  const seen = new Map<string, string>();
  for (const {input, name} of stored) {
    if (seen.has(name)) throw new Error(`${input} and ${seen.get(name)} would both be stored as ${name}; rename one`);
    seen.set(name, input);
  }
  const notes = {"SOURCE.md": readNote(spec.sourceNote, "SOURCE.md"), "LICENCE.md": readNote(spec.licenceNote, "LICENCE.md")};

  mkdirSync(to, {recursive: true});
  const staging = mkdtempSync(join(to, STAGING_PREFIX));
  try {
    const dir = join(staging, id);
    mkdirSync(dir);
    const files = stored.map(({input, name, kind}) => ({
      path: name,
      kind,
      description: `${basename(input)}${kind === "other" ? " (kept as a file)" : ""}`,
      bytes: storedBytes(input),
      label: input
    }));
    const manifest = writeSnapshotFolder(dir, notes, files, {
      id,
      snapshot_date: spec.date,
      title: spec.title,
      source: spec.source,
      source_commit: spec.sourceCommit ?? null,
      methodology_version: spec.methodologyVersion,
      licence: spec.licence,
      sources: spec.sources?.length ? spec.sources : [spec.source],
      notes: spec.notes ?? null
    });
    // The day the data was taken cannot be ahead of the clock: a future-dated snapshot would sort after every later
    // one, so it would date the index's data and win every correction until that day came.
    const today = new Date().toISOString().slice(0, 10);
    if (manifest.snapshot_date > today) throw new Error(`snapshot ${id}: snapshot_date ${manifest.snapshot_date} is after today (${today}, UTC); a snapshot is dated the day its data was taken`);

    const loaded = await loadAsTheBuildDoes(staging, stored, onProgress);
    renameSync(dir, target);
    return {dir: target, manifest, loaded};
  } finally {
    rmSync(staging, {recursive: true, force: true});
  }
}

/**
 * Loads the staged snapshot into a scratch in-memory warehouse with the build's own loader; any rejected row is an
 * error naming the input file, line, field and reason (the first ten, then a count).
 */
async function loadAsTheBuildDoes(staging: string, stored: {input: string; name: string}[], onProgress?: (event: LoadProgress) => void): Promise<LoadSummary> {
  const wh = await openWarehouse(":memory:");
  try {
    const loaded = await loadBundledSnapshots(wh, {snapshotsDir: staging, onProgress});
    if (loaded.rejected === 0) return loaded;
    const reader = await wh.connection.runAndReadAll("SELECT file, line, field, reason FROM quarantine ORDER BY file, line LIMIT 10");
    const inputOf = new Map(stored.map((s) => [s.name, s.input]));
    const lines = reader.getRowObjectsJS().map((r) => `  ${inputOf.get(basename(String(r.file))) ?? r.file}:${r.line} [${r.field ?? "row"}] ${r.reason}`);
    const more = loaded.rejected > lines.length ? `\n  … and ${loaded.rejected - lines.length} more` : "";
    throw new Error(`${loaded.rejected} row(s) would be rejected when the report loads this snapshot; nothing was written. Fix them and run again:\n${lines.join("\n")}${more}`);
  } finally {
    wh.close();
  }
}
