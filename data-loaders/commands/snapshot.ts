/**
 * `benchlab snapshot --slug S --title T --source URL --licence L --source-note FILE --licence-note FILE FILE...`:
 * freezes one's own run records and results as a dated snapshot in snapshots/ (see
 * data-loaders/snapshots/create-snapshot.ts), which the next `npm run build` puts in the report.
 */
import {join} from "node:path";
import type {Command} from "commander";
import {createSnapshot, type NewSnapshot} from "../snapshots/create-snapshot.ts";
import {SNAPSHOTS_DIR} from "../snapshots/load-bundled.ts";
import {repeatable} from "./options.ts";
import {shownPath} from "./print-rows.ts";

/** The flags are NewSnapshot's fields by name, with the source links as --link and the target folder as --to. */
type SnapshotFlags = Omit<NewSnapshot, "files" | "sources"> & {link: string[]; to: string};

export function register(program: Command): void {
  program
    .command("snapshot")
    .description("freeze your own run records (*.records.jsonl) and results (*.results.jsonl) as a dated snapshot in snapshots/, checked as the report build loads it")
    .argument("<files...>", "data files: *.records.jsonl, *.results.jsonl, or .jsonl/.csv/.json kept as files (optionally .gz)")
    .requiredOption("--slug <name>", "the id's name part (lower-case letters, digits, dashes): the id is <date>-<slug>")
    .option("--date <YYYY-MM-DD>", "the day the data was taken (default: today, UTC)", new Date().toISOString().slice(0, 10))
    .requiredOption("--title <text>", "what the snapshot holds, in a line")
    .requiredOption("--source <url>", "where the data comes from")
    .option("--source-commit <sha>", "the source's commit, if it is a repository")
    .requiredOption("--licence <name>", "the data's licence, e.g. 'CC BY 4.0' or 'MIT'")
    .requiredOption("--source-note <file>", "a Markdown note stored as SOURCE.md: origin, fields, how the files were made")
    .requiredOption("--licence-note <file>", "the licence text or notice, stored as LICENCE.md")
    .option("--methodology-version <v>", "version of the methodology the numbers follow", "1")
    .option("--link <url>", "a link to an exact source (repeatable; default: --source)", repeatable, [])
    .option("--notes <text>", "how the data was mapped, gaps, caveats")
    .option("--to <dir>", "snapshots folder", SNAPSHOTS_DIR)
    .action(async (files: string[], flags: SnapshotFlags) => {
      const {link, to, ...fields} = flags;
      const {dir, manifest, loaded} = await createSnapshot(
        {...fields, sources: link, files},
        {to, onProgress: (e) => e.file !== undefined && console.error(`${e.file}: ${e.rows ?? 0} rows accepted`)}
      );
      for (const f of manifest.files) console.log(`${shownPath(join(dir, f.path))}: ${f.rows} rows (${f.kind}), sha256 ${f.sha256.slice(0, 16)}…`);
      console.log(`snapshot ${manifest.id}: ${loaded.records} records, ${loaded.results} results; \`npm run build\` puts it in the report (curate its benchmarks in snapshots/benchmarks.yaml)`);
    });
}
