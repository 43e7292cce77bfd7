/**
 * `npm run bench:score [-- --records N]`: scoring runs over N warehouse records (default 1,000,000), read from
 * DuckDB, scored and written back to `scores`, for exact-match and regex; and, as the anchor in the same run, a
 * bare read of the same selection with a write-back of the same column (no scoring, no scorer code), with the ratio.
 *
 * Records are synthetic but shaped like short-answer runs: an output of one to a few words ("The answer is 42" or
 * "42"), a target, and the full record columns. About 60% of outputs match their target. The warehouse is a
 * temporary file, removed at the end.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {DuckDBDataChunk} from "@duckdb/node-api";
import {runScoring, type ScoringSummary} from "../data-loaders/scoring/run.ts";
import {openWarehouse, type Warehouse} from "../data-loaders/warehouse.ts";
import exactMatch from "../scorers/exact-match.ts";
import regex from "../scorers/regex.ts";

const args = process.argv.slice(2);
const at = args.indexOf("--records");
const N = at >= 0 ? Number(args[at + 1]) : 1_000_000;
if (!Number.isInteger(N) || N < 1) throw new Error(`--records must be a positive integer, got ${args[at + 1]}`);

/** Fills `records` in SQL: no JavaScript per row, so the setup does not dominate. */
async function fill(wh: Warehouse, n: number): Promise<void> {
  await wh.connection.run(`INSERT INTO records (benchmark, item_id, model, run_id, trial, output, target, key_hash, content_hash, batch_id, line, ingested_at, record_id)
    SELECT 'bench', 'item-' || (i % 50000), 'model-' || (i // 50000), 'run-1', 0,
           CASE i % 5 WHEN 0 THEN 'The answer is ' || (i % 997) WHEN 1 THEN (i % 997)::VARCHAR WHEN 2 THEN ' ' || (i % 997) || ' '
                      WHEN 3 THEN 'I think it is ' || (i % 991) ELSE 'unsure' END,
           (i % 997)::VARCHAR,
           md5_number('key' || i), md5_number('content' || i), 'bench-batch', i, now(), i
    FROM range(${n}) t(i)`);
}

/**
 * The anchor: a bare DuckDB read and write-back of the column a scorer reads, with no selection and no scoring:
 * stream `output` of every record with DuckDB's chunk API and append it, chunk by chunk, into a table of the
 * warehouse (the "naive row loop" the issue quotes at about 565,000 records/s for the read and the write).
 */
async function anchor(wh: Warehouse): Promise<{seconds: number; rows: number}> {
  const t = performance.now();
  const conn = await wh.connect();
  await conn.run("CREATE OR REPLACE TABLE anchor_copy (output VARCHAR)");
  const appender = await conn.createAppender("anchor_copy");
  const types = [appender.columnType(0)];
  const result = await wh.connection.stream("SELECT output FROM records");
  let rows = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const out = DuckDBDataChunk.create(types, chunk.rowCount);
    out.setColumns([chunk.getColumnValues(0)]);
    appender.appendDataChunk(out);
    rows += chunk.rowCount;
  }
  appender.closeSync();
  await conn.run("DROP TABLE anchor_copy");
  conn.closeSync();
  return {seconds: (performance.now() - t) / 1000, rows};
}

const rate = (rows: number, seconds: number) => Math.round(rows / seconds).toLocaleString("en-US");

/**
 * CPU seconds of this process (all threads: JavaScript and DuckDB's) since `since`. On a shared machine the wall
 * clock also counts other programs' load; records per CPU-second is the rate the work itself allows.
 */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

const dir = mkdtempSync(join(tmpdir(), "benchlab-bench-score-"));
const wh = await openWarehouse(join(dir, "bench.duckdb"));
try {
  let t = performance.now();
  await fill(wh, N);
  console.log(`setup: ${N.toLocaleString("en-US")} records in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  let cpu = process.cpuUsage();
  const a = await anchor(wh);
  const anchorCpu = cpuSeconds(cpu);
  console.log(
    `anchor      bare DuckDB read + write-back of the output column: ${a.rows.toLocaleString("en-US")} rows, ${a.seconds.toFixed(2)} s, ` +
      `${rate(a.rows, a.seconds)} records/s (${rate(a.rows, anchorCpu)} per CPU-second)`
  );

  const runs: [string, () => Promise<ScoringSummary>][] = [
    ["exact-match", () => runScoring(wh, exactMatch, {})],
    ["regex", () => runScoring(wh, regex, {pattern: "(\\d+)\\s*$", group: 1})]
  ];
  for (const [name, run] of runs) {
    t = performance.now();
    cpu = process.cpuUsage();
    const s = await run();
    const seconds = (performance.now() - t) / 1000;
    const cpuUsed = cpuSeconds(cpu);
    const passed = Number((await wh.connection.runAndReadAll("SELECT count(*) FILTER (WHERE passed) FROM scores WHERE scorer = $1", [name])).getRows()[0][0]);
    console.log(
      `${name.padEnd(11)} scored and wrote ${s.scored.toLocaleString("en-US")} records (${passed.toLocaleString("en-US")} passed, ${s.errors} errors) in ${seconds.toFixed(2)} s: ` +
        `${rate(s.scored, seconds)} records/s, ${((s.scored / seconds) / (a.rows / a.seconds)).toFixed(2)}x the anchor ` +
        `(${rate(s.scored, cpuUsed)} per CPU-second, ${((s.scored / cpuUsed) / (a.rows / anchorCpu)).toFixed(2)}x the anchor's)`
    );
  }
  // The scorer alone, on columns already in memory: what the run would reach if reading and writing were free.
  const cols = (await wh.connection.runAndReadAll("SELECT output, target FROM records")).getColumnsObjectJS() as {output: (string | null)[]; target: (string | null)[]};
  const p = exactMatch.params.parse({});
  t = performance.now();
  for (let i = 0; i < N; i += 2048) exactMatch.scoreBatch!({output: cols.output.slice(i, i + 2048), target: cols.target.slice(i, i + 2048)}, p, {services: {}});
  const alone = (performance.now() - t) / 1000;
  console.log(`exact-match scoreBatch alone, columns in memory: ${rate(N, alone)} records/s`);

  t = performance.now();
  const again = await runScoring(wh, exactMatch, {});
  console.log(`re-run exact-match: skipped ${again.skipped.toLocaleString("en-US")} already scored, scored ${again.scored} in ${((performance.now() - t) / 1000).toFixed(2)} s`);
} finally {
  wh.close();
  rmSync(dir, {recursive: true, force: true});
}
