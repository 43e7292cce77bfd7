/**
 * `benchlab corrections [--benchmark B] [--batch ID] [--csv]`: every canonical key stored in more than one version,
 * with each version's batch and line and the fields it changed (before -> after). Corrections never replace a row:
 * the older versions stay in `records` (listed in `superseded_records`), statistics read the newest through
 * `records_latest`, and this is where a reader sees what changed.
 */
import type {Command} from "commander";
import {RECORD_KEY, RunRecordShape} from "../../src/lib/schema.ts";
import {DEFAULT_DB, openWarehouse} from "../warehouse.ts";
import {printRows, queryRows, terminalCell, terminalSafe, type Cell} from "./print-rows.ts";
import {knownFilters} from "./batches.ts";

const FIELDS = Object.keys(RunRecordShape);

/**
 * One row per version of every key with more than one, in version order (the order ingest uses: ingested_at, batch,
 * line), with the previous version's batch and line. `changes` is JSON: [{field, before, after}] with the values as
 * JSON text (null where absent); empty for the first version. $1 = benchmark, $2 = batch id (either may be NULL: no filter).
 */
const VERSIONS_SQL = `
WITH corrected AS (
  SELECT key_hash FROM records GROUP BY key_hash
  HAVING count(*) > 1 AND ($1::VARCHAR IS NULL OR bool_or(benchmark = $1)) AND ($2::VARCHAR IS NULL OR bool_or(batch_id = $2))),
versions AS (
  SELECT r.*, row_number() OVER w AS version, lag(record_id) OVER w AS previous_id
  FROM records r WHERE key_hash IN (SELECT key_hash FROM corrected)
  WINDOW w AS (PARTITION BY key_hash ORDER BY ingested_at, batch_id, line))
SELECT ${RECORD_KEY.map((f) => `v."${f}"`).join(", ")}, v.version, v.batch_id, v.line,
       strftime(v.ingested_at, '%Y-%m-%d %H:%M:%S'),
       v.record_id NOT IN (SELECT record_id FROM superseded_records) AS latest, p.batch_id, p.line,
       CASE WHEN p.record_id IS NULL THEN '[]' ELSE to_json(list_filter([
         ${FIELDS.map((f) => `struct_pack(field := '${f}', before := to_json(p."${f}")::VARCHAR, after := to_json(v."${f}")::VARCHAR)`).join(",\n         ")}
       ], lambda c: c.before IS DISTINCT FROM c.after))::VARCHAR END AS changes
FROM versions v LEFT JOIN records p ON p.record_id = v.previous_id
ORDER BY v.benchmark, v.run_id, v.model, v.item_id, v.trial, v.key_hash, v.version`;

interface Change {
  field: string;
  before: string | null;
  after: string | null;
}

const CSV_COLUMNS = [...RECORD_KEY, "version", "field", "before", "after", "batch", "line", "ingested_at", "latest", "previous_batch", "previous_line"];

export function register(program: Command): void {
  program
    .command("corrections")
    .description("list the records stored in more than one version, with the fields each correction changed")
    .option("--db <path>", "warehouse file", DEFAULT_DB)
    .option("--benchmark <name>", "only this benchmark")
    .option("--batch <id>", "only keys that this ingest batch corrected or first stored")
    .option("--csv", "print CSV, one row per changed field, with the values in full")
    .action(async (opts: {db: string; benchmark?: string; batch?: string; csv?: boolean}) => {
      const wh = await openWarehouse(opts.db, {existing: true});
      try {
        if (!(await knownFilters(wh.connection, "corrections", {batch: opts.batch, benchmark: opts.benchmark}, opts.db))) return;
        const rows = await queryRows(wh.connection, VERSIONS_SQL, [opts.benchmark ?? null, opts.batch ?? null]);
        const k = RECORD_KEY.length;
        const versions = rows.map((r) => ({
          key: r.slice(0, k),
          version: Number(r[k]),
          batch: String(r[k + 1]),
          line: Number(r[k + 2]),
          at: String(r[k + 3]),
          latest: r[k + 4] === true,
          previous: {batch: r[k + 5], line: r[k + 6]},
          changes: JSON.parse(String(r[k + 7])) as Change[]
        }));
        if (opts.csv) {
          const out = versions.flatMap((v) =>
            v.changes.map((c): Cell[] => [...v.key, v.version, c.field, c.before, c.after, v.batch, v.line, v.at, v.latest, v.previous.batch, v.previous.line])
          );
          printRows(CSV_COLUMNS, out, {csv: true});
          return;
        }
        if (versions.length === 0) {
          const among = [opts.benchmark === undefined ? null : `benchmark ${terminalSafe(opts.benchmark)}`, opts.batch === undefined ? null : `batch ${opts.batch}`].filter(Boolean);
          console.error(among.length ? `no corrections among the keys of ${among.join(" and ")}` : "no corrections: every stored key has one version");
          return;
        }
        for (const v of versions) {
          if (v.version === 1) console.log(RECORD_KEY.map((f, i) => `${f}=${terminalCell(v.key[i])}`).join(" "));
          const changed = v.changes.map((c) => `${c.field}: ${terminalCell(c.before)} -> ${terminalCell(c.after)}`).join("; ");
          console.log(`  v${v.version}${v.latest ? " (latest)" : ""}  batch ${v.batch} line ${v.line}, ${v.at}${changed ? `  ${changed}` : ""}`);
        }
      } finally {
        wh.close();
      }
    });
}
