/**
 * Snapshot files and their manifests: how a bundled file is hashed and how its rows are counted.
 *
 * `make-snapshots.ts` writes manifests with these functions and `load-bundled.ts` checks them with the same
 * functions, so "rows" means one thing in both places:
 *   - `.jsonl.gz`: non-empty lines (one JSON value per line);
 *   - `.csv.gz`: CSV records after the header, parsed with csv-parse (quoted fields may hold newlines);
 *   - `.json.gz`: the length of a top-level array, else 1 (one document).
 * The sha256 is of the stored (compressed) bytes, which is what a reader checks without decompressing.
 */
import {parse as parseCsv} from "csv-parse/sync";
import {createHash} from "node:crypto";
import {existsSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {gunzipSync} from "node:zlib";
import {SnapshotManifest} from "../../src/lib/schema.ts";
import {describeZodIssues} from "../../src/lib/zod-issues.ts";

export const MANIFEST_FILE = "manifest.json";
export type SnapshotFileKind = SnapshotManifest["files"][number]["kind"];

/** A data file for a snapshot folder: its name there, kind, description and stored (gzip) bytes. */
export interface SnapshotFile {
  path: string;
  kind: SnapshotFileKind;
  description: string;
  bytes: Buffer;
  /** How errors name the file (default: its path in the folder), e.g. the input it was made from. */
  label?: string;
}
/** Files every snapshot folder carries next to its data: the upstream note, verbatim, and the licence text. */
export const REQUIRED_NOTES = ["SOURCE.md", "LICENCE.md"] as const;

/** Decompressed text of a stored `.gz` file. */
export function readGzipText(path: string): string {
  return gunzipSync(readFileSync(path)).toString("utf8");
}

/** Rows of a stored snapshot file, by the rule in the module comment. Throws naming the file if it cannot be read. */
export function countRows(path: string): number {
  const text = readGzipText(path);
  if (path.endsWith(".jsonl.gz")) return text.split("\n").filter((line) => line.trim() !== "").length;
  if (path.endsWith(".csv.gz")) return (parseCsv(text, {bom: true, relax_column_count: false}) as unknown[]).length - 1;
  if (path.endsWith(".json.gz")) {
    const doc: unknown = JSON.parse(text);
    return Array.isArray(doc) ? doc.length : 1;
  }
  throw new Error(`${path}: unknown snapshot file type (expected .jsonl.gz, .csv.gz or .json.gz)`);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Reads and validates `<dir>/manifest.json` (schema only; see `verifySnapshot` for the file checks). */
export function readManifest(dir: string): SnapshotManifest {
  const path = join(dir, MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`${path}: cannot read the manifest (${(err as Error).message}); regenerate it with data-loaders/snapshots/make-snapshots.ts`);
  }
  const parsed = SnapshotManifest.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${path}: invalid manifest: ${describeZodIssues(parsed.error)}`);
  }
  return parsed.data;
}

/**
 * Checks a snapshot folder against its manifest: the id matches the folder name, SOURCE.md and LICENCE.md exist,
 * and every listed file exists with the recorded sha256 and row count. Any mismatch throws an error naming the file.
 */
export function verifySnapshot(dir: string, folderName: string): SnapshotManifest {
  const manifest = readManifest(dir);
  if (manifest.id !== folderName) {
    throw new Error(`${join(dir, MANIFEST_FILE)}: id "${manifest.id}" does not match its folder "${folderName}"`);
  }
  if (!manifest.id.startsWith(`${manifest.snapshot_date}-`)) {
    throw new Error(`${join(dir, MANIFEST_FILE)}: id "${manifest.id}" does not start with snapshot_date ${manifest.snapshot_date}`);
  }
  for (const note of REQUIRED_NOTES) {
    if (!existsSync(join(dir, note)) || readFileSync(join(dir, note), "utf8").trim() === "")
      throw new Error(`${join(dir, note)}: missing or empty; every snapshot carries its SOURCE.md and LICENCE.md`);
  }
  // A snapshot is frozen: its bytes come back from git, or a deliberate change is a remade snapshot, reviewed.
  const remedy = `restore it (git checkout -- ${dir}), or if the change is meant, remake the snapshots (npx tsx data-loaders/snapshots/make-snapshots.ts) and review the diff`;
  for (const file of manifest.files) {
    const path = join(dir, file.path);
    if (!existsSync(path)) throw new Error(`${path}: listed in ${MANIFEST_FILE} but missing; ${remedy}`);
    const sha = sha256Hex(readFileSync(path));
    if (sha !== file.sha256) {
      throw new Error(`${path}: sha256 ${sha} does not match ${file.sha256} in ${MANIFEST_FILE}; the file changed after the snapshot was made: ${remedy}`);
    }
    const rows = countRows(path);
    if (rows !== file.rows) {
      throw new Error(`${path}: ${rows} rows but ${MANIFEST_FILE} records ${file.rows}; ${remedy}`);
    }
  }
  return manifest;
}

/**
 * Writes a snapshot folder's notes, data files and manifest into the existing folder `dir` and returns the manifest:
 * each file's sha256 and row count by the rules above, the manifest validated by `SnapshotManifest` (an error names
 * the id and the field). make-snapshots and `benchlab snapshot` both write through it, into a staging folder each then
 * renames into place.
 */
export function writeSnapshotFolder(
  dir: string,
  notes: Record<string, string | Buffer>,
  files: readonly SnapshotFile[],
  fields: Omit<SnapshotManifest, "files">
): SnapshotManifest {
  for (const [name, text] of Object.entries(notes)) writeFileSync(join(dir, name), text);
  const listed = files.map((f) => {
    const path = join(dir, f.path);
    writeFileSync(path, f.bytes);
    let rows: number;
    try {
      rows = countRows(path);
    } catch (err) {
      throw new Error(`${f.label ?? f.path}: cannot count its rows (${(err as Error).message.replace(`${path}: `, "")})`);
    }
    return {path: f.path, sha256: sha256Hex(f.bytes), rows, kind: f.kind, description: f.description};
  });
  const parsed = SnapshotManifest.safeParse({...fields, files: listed});
  if (!parsed.success) throw new Error(`snapshot ${fields.id}: ${describeZodIssues(parsed.error)}`);
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(parsed.data, null, 2) + "\n");
  return parsed.data;
}
