/**
 * `benchlab ingest [--db PATH] FILE...`: validated, atomic ingest of run records (see data-loaders/ingest/index.ts).
 *
 * Prints one summary line per file (and the first rejected rows with their field and reason); exits non-zero when
 * any row was rejected or a file could not be read. `--strict` rejects a whole file on its first bad row.
 */
import type {Command} from "commander";
import {ingestFile, IngestError, INGEST_FORMATS, type IngestFormat, type IngestSummary} from "../ingest/index.ts";
import {formatLabelsSummary, ingestLabels} from "../judge/labels.ts";
import {benchlabCommand, DEFAULT_DB, openWarehouse} from "../warehouse.ts";
import {fieldCountLine, quarantinedRows, rejectionLine, rejectionsByField} from "./quarantine.ts";
import {repeatable} from "./options.ts";
import {delayedProgressBar} from "./progress.ts";
import {terminalSafe} from "./print-rows.ts";
import {csvDelimiter} from "../ingest/csv.ts";

interface IngestFlags {
  db: string;
  runId?: string;
  snapshot?: string;
  strict?: boolean;
  format?: IngestFormat;
  map: string[];
  ignoreColumn: string[];
  delimiter?: string;
  set: string[];
  /** Labels files (issue 5): human/gold labels and recorded judge verdicts. */
  labels: string[];
  dataset?: string;
}

/** `--map field=header` or `--set field=value` pairs as {field: text}; a malformed or repeated pair names the flag and its form. */
export function parseFieldPairs(flag: "--map" | "--set", pairs: string[]): Record<string, string> {
  const example = flag === "--map" ? "FIELD=HEADER, e.g. --map item_id=instance_id" : "FIELD=VALUE, e.g. --set benchmark=swe-bench-verified";
  const map: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0 || eq === pair.length - 1) throw new IngestError(`${flag} ${pair}: expected ${example}`);
    const field = pair.slice(0, eq);
    if (field in map) throw new IngestError(`${flag} ${pair}: ${field} is given twice`);
    map[field] = pair.slice(eq + 1);
  }
  return map;
}

export function summaryLine(s: IngestSummary): string {
  return (
    `${terminalSafe(s.file)}: ${s.rowsOk} new, ${s.rowsCorrected} corrections, ${s.rowsDuplicate} duplicates, ${s.rowsRejected} rejected ` +
    `(${s.seconds.toFixed(2)} s, batch ${s.batchId})`
  );
}

export function register(program: Command): void {
  program
    .command("ingest")
    .description("validate run records (native JSONL, CSV long tables or tau2-bench results; .gz ok) and store them, bad rows in quarantine; or load labels (--labels)")
    .argument("[file...]", "files to ingest, each in its own transaction")
    .option("--db <path>", "warehouse file", DEFAULT_DB)
    .option("--run-id <id>", "run_id for records without one (default: the file's base name)")
    .option("--snapshot <id>", "snapshot id recorded on every row and batch")
    .option("--strict", "reject a whole file on its first bad row")
    .option("--format <format>", "jsonl, csv, or tau2 (a tau2-bench results file: one record per simulation; default: from the file name)")
    .option("--map <field=header>", "CSV: read FIELD from column HEADER (repeatable; slices.NAME=HEADER adds a tag)", repeatable, [] as string[])
    .option("--ignore-column <header>", "CSV: leave out column HEADER (repeatable)", repeatable, [] as string[])
    .option("--delimiter <char>", "CSV: the column separator, e.g. ';' or tab (default: tab for .tsv files, else a comma)")
    .option("--set <field=value>", "CSV, JSONL: give every row FIELD = VALUE, for a field the file does not give, e.g. benchmark (repeatable; a JSONL line that has FIELD is rejected)", repeatable, [] as string[])
    .option("--labels <file>", "human/gold labels and recorded judge verdicts, CSV or JSONL (.gz ok), for benchlab audit-judge (repeatable)", repeatable, [] as string[])
    .option("--dataset <name>", "--labels: dataset the labels belong to (default: the name of the file's folder)")
    .action(async (files: string[], opts: IngestFlags) => {
      if (files.length === 0 && opts.labels.length === 0) throw new IngestError("give files to ingest, or --labels FILE");
      // Options for run-record files shape nothing when only labels are loaded (and --dataset nothing without them).
      const recordOptions: [string, boolean][] = [
        ["--run-id", opts.runId !== undefined],
        ["--strict", opts.strict !== undefined],
        ["--format", opts.format !== undefined],
        ["--map", opts.map.length > 0],
        ["--ignore-column", opts.ignoreColumn.length > 0],
        ["--delimiter", opts.delimiter !== undefined],
        ["--set", opts.set.length > 0]
      ];
      const unused = files.length === 0 ? recordOptions.flatMap(([flag, given]) => (given ? [flag] : [])) : [];
      if (unused.length) throw new IngestError(`${unused.join(", ")} ${unused.length > 1 ? "apply" : "applies"} to run-record files, and none is given; --labels files take --dataset and --snapshot`);
      if (opts.dataset !== undefined && opts.labels.length === 0) throw new IngestError("--dataset names the dataset of --labels files, and none is given");
      if (opts.format && !INGEST_FORMATS.includes(opts.format)) throw new IngestError(`--format ${opts.format}: use ${INGEST_FORMATS.join(", ")}`);
      if (opts.delimiter !== undefined) csvDelimiter("", opts.delimiter); // a bad one is refused before any file is read
      // An empty --run-id (an unset shell variable) would reject every row for its run_id, blaming the rows.
      if (opts.runId !== undefined && opts.runId.trim() === "") throw new IngestError("--run-id is empty; give the run's id, or leave the option out to take it from each record or the file name");
      // Likewise an empty --dataset or --snapshot: rows would be stored under the name "", as if it were one.
      if (opts.dataset !== undefined && opts.dataset.trim() === "") throw new IngestError("--dataset is empty; give the dataset's name, or leave the option out to take the name of each labels file's folder");
      if (opts.snapshot !== undefined && opts.snapshot.trim() === "") throw new IngestError("--snapshot is empty; give the snapshot's id, or leave the option out");
      const columns = parseFieldPairs("--map", opts.map);
      const constants = parseFieldPairs("--set", opts.set);
      const wh = await openWarehouse(opts.db);
      let failed = false;
      try {
        for (const file of opts.labels) console.log(formatLabelsSummary(await ingestLabels(wh, file, {dataset: opts.dataset, snapshotId: opts.snapshot})));
        for (const file of files) {
          const bar = delayedProgressBar(file);
          try {
            const summary = await ingestFile(wh, file, {
              runId: opts.runId,
              snapshotId: opts.snapshot,
              strict: opts.strict,
              format: opts.format,
              columns,
              ignoreColumns: opts.ignoreColumn,
              delimiter: opts.delimiter,
              constants,
              onProgress: bar.update
            });
            bar.stop();
            console.log(summaryLine(summary));
            if (summary.rowsCorrected > 0) console.log(`  what the corrections changed: ${benchlabCommand(opts.db, "corrections", "--batch", summary.batchId)}`);
            // Repeated attempts logged with no trial look like this: only the last of each key counts in statistics.
            if (summary.rowsCorrectedInFile > 0) {
              console.error(
                `  warning: ${summary.rowsCorrectedInFile} of the corrections are a key given again, with other values, later in this same file; ` +
                  "only the last line of each key counts as its value. If they are repeated attempts, give each its own trial (part of the key) and ingest the file again"
              );
            }
            if (summary.rowsRejected > 0) {
              failed = true;
              await printRejections(wh, summary, opts.db);
            }
          } catch (err) {
            bar.stop();
            if (!(err instanceof IngestError)) throw err;
            failed = true;
            // File names can hold control characters; the message is printed as the rejected rows are.
            console.error(`benchlab ingest: ${terminalSafe(err.message)}`);
          }
        }
      } finally {
        wh.close();
      }
      if (failed) process.exitCode = 1;
    });
}

const SHOWN = 10;

async function printRejections(wh: Awaited<ReturnType<typeof openWarehouse>>, s: IngestSummary, db: string): Promise<void> {
  const shown = await quarantinedRows(wh.connection, {batch: s.batchId, limit: SHOWN});
  for (const r of shown) console.error(`  ${rejectionLine(r.file, r.line, r.field, r.reason)}`);
  const byField = await rejectionsByField(wh.connection, {batch: s.batchId});
  const quarantined = byField.reduce((sum, c) => sum + c.rows, 0);
  if (quarantined > SHOWN) {
    console.error(`  ... and ${quarantined - SHOWN} more; rejected rows by field:`);
    for (const count of byField) console.error(`    ${fieldCountLine(count)}`);
  }
  console.error(`  fix the rows and ingest the file again (good rows already stored are not duplicated); all rejected rows: ${benchlabCommand(db, "quarantine", "--batch", s.batchId)}`);
}
