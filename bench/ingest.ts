/**
 * `npm run bench:ingest [-- --rows N --rounds R]`: times `ingestFile` (every row validated, hashed, deduplicated,
 * stored in one transaction) on N native JSONL run records (default 1,000,000, generated under .bench/ingest/) against
 * DuckDB's bare `read_json_auto` of the same file into a table of the same warehouse, in the same run. Each of R
 * rounds (default 3) prints both times and where the ingest spent its time; then peak RSS and `ratio: X`, the median
 * over the rounds of ingest / anchor (the anchor is the mean of a run before and one after the ingest).
 *
 * To show validation is not skipped, it then ingests a copy with 1% corrupted rows (eight kinds of damage, one
 * line in every hundred) and checks that exactly those lines are quarantined, printing that time too. Then a file
 * with one systematic error (N/5 lines whose `passed` is text, as a whole export gets it wrong): every row goes
 * through the exact checks and the explainer, so it times the cost per rejected row.
 *
 * It also times the floor of ingest's design on the clean file: stage the lines, match the fast path's line
 * pattern, parse the typed columns and write them, with no hashes, duplicate-key check, SQL checks or provenance
 * columns. No ingest built this way can beat that time, so its ratio says how much of the goal the design allows.
 *
 * And it times what any design must pay however it validates: DuckDB's own typed read of the file (the lenient
 * reader, checking nothing, numbering no lines) inserted in one statement into a table laid out like `records`, with
 * hashes as zeros, and a commit; and the same insert with the row identities every stored row needs (key hash and a
 * content md5), computed by DuckDB as ingest computes them.
 */
import {createWriteStream, existsSync, mkdirSync, rmSync} from "node:fs";
import {loadavg} from "node:os";
import {join} from "node:path";
import {once} from "node:events";
import {median} from "simple-statistics";
import {ingestFile} from "../data-loaders/ingest/index.ts";
import type {DuckDBConnection} from "@duckdb/node-api";
import {openWarehouse, PROJECT_ROOT} from "../data-loaders/warehouse.ts";
import {LINES_TABLE, stageJsonLines} from "../data-loaders/ingest/stage-lines.ts";
import {fastLinePattern, fastStructure, keyHash} from "../data-loaders/ingest/schema-sql.ts";

const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROWS = argument("--rows", 1_000_000);
const ROUNDS = argument("--rounds", 3);
const SYSTEMATIC_ROWS = Math.max(1, Math.round(ROWS / 5));
const DIR = join(PROJECT_ROOT, ".bench", "ingest");
const MODELS = ["gpt-4o", "claude-3-5-sonnet", "llama-3-70b", "qwen2.5-72b"];

/** A realistic run record: identity, outcome, cost and latency, a timestamp, slice tags; about 400 bytes. */
function recordAt(i: number): Record<string, unknown> {
  return {
    benchmark: "synthetic-qa",
    split: "test",
    run_id: `run-${i % 20}`,
    model: MODELS[i % 4],
    harness: "bench-harness 1.2",
    item_id: `item-${Math.floor(i / 20)}`,
    trial: 0,
    score: (i % 7) / 7,
    passed: i % 3 === 0,
    output: `The answer to question ${i} is ${(i * 7919) % 1000}.`,
    target: `${(i * 31) % 1000}`,
    latency_ms: 100 + (i % 900),
    cost_usd: 0.0001 * (i % 50),
    tokens_in: 200 + (i % 300),
    tokens_out: 20 + (i % 80),
    run_at: "2025-06-01T12:00:00Z",
    slices: {difficulty: ["easy", "medium", "hard"][i % 3], topic: `t${i % 11}`},
    item_added: "2024-01-15"
  };
}

/** Eight kinds of damage, each a row zod rejects (or JSON.parse cannot read). */
const DAMAGE: ((r: Record<string, unknown>) => string)[] = [
  (r) => JSON.stringify({...r, score: String(r.score)}),
  (r) => JSON.stringify({...r, benchmark: undefined}),
  (r) => JSON.stringify({...r, colour: "red"}),
  (r) => JSON.stringify(r).slice(0, -20),
  (r) => JSON.stringify({...r, tokens_in: -5}),
  (r) => JSON.stringify({...r, item_added: "15/01/2024"}),
  (r) => JSON.stringify({...r, trial: 1.5}),
  (r) => JSON.stringify(r).replace(/}$/, ",}")
];
const isDamaged = (i: number) => i % 100 === 50;

/** Line i of the clean file, of the 1%-corrupted copy, and of the file with one systematic error. */
const cleanLine = (i: number) => JSON.stringify(recordAt(i));
const corruptLine = (i: number) => (isDamaged(i) ? DAMAGE[Math.floor(i / 100) % DAMAGE.length](recordAt(i)) : cleanLine(i));
const textPassedLine = (i: number) => {
  const r = recordAt(i);
  return JSON.stringify({...r, passed: r.passed ? "yes" : "no"});
};

async function generate(path: string, rows: number, lineAt: (i: number) => string): Promise<void> {
  if (existsSync(path)) return;
  const out = createWriteStream(`${path}.part`);
  let lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    lines.push(lineAt(i));
    if (lines.length === 10_000 || i === rows - 1) {
      if (!out.write(lines.join("\n") + "\n")) await once(out, "drain");
      lines = [];
    }
  }
  out.end();
  await once(out, "finish");
  const {renameSync} = await import("node:fs");
  renameSync(`${path}.part`, path);
}

let rssAfterFirstIngestMb: number | undefined;

const seconds = (start: number) => (performance.now() - start) / 1000;
/** CPU seconds of this process (all threads, DuckDB's included) since `start`: steadier than wall time on a busy machine. */
const cpuSeconds = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

interface Round {
  /** Ingest wall time over the anchor's (the mean of a run before and one after the ingest). */
  ratio: number;
  cpuRatio: number;
  floorRatio: number;
  unvalidatedRatio: number;
  identitiesRatio: number;
}

/**
 * Seconds to read `file` with DuckDB's typed JSON reader and insert the rows, unchecked, into a `records`-like table
 * in one statement with a commit: once with the hashes as zeros (`write`), once with row identities as ingest makes
 * them (`withIdentities`): its key hash, and an md5 number of each row's values (ingest hashes the line's text, which
 * this reader does not keep, so the row's JSON stands in for it). The reader numbers no lines: line and record_id
 * are zeros.
 */
async function unvalidatedWrite(conn: DuckDBConnection, file: string): Promise<{write: number; withIdentities: number}> {
  const columns = Object.entries(JSON.parse(fastStructure()) as Record<string, string>).map(([name, type]) => `'${name}': '${type}'`);
  const insert = async (keyHashSql: string, contentHashSql: string) => {
    await conn.run("CREATE TABLE unvalidated AS SELECT * FROM records LIMIT 0");
    const t = performance.now();
    await conn.run("BEGIN TRANSACTION");
    await conn.run(
      `INSERT INTO unvalidated BY NAME SELECT *, ${keyHashSql} AS key_hash, ${contentHashSql} AS content_hash, 'batch' AS batch_id,
         0 AS line, now()::TIMESTAMP AS ingested_at, 0 AS record_id
       FROM read_json('${file}', columns={${columns.join(", ")}}, format='newline_delimited') AS typed`
    );
    await conn.run("COMMIT");
    const elapsed = seconds(t);
    await conn.run("DROP TABLE unvalidated");
    await conn.run("CHECKPOINT");
    return elapsed;
  };
  return {write: await insert("0::UHUGEINT", "0::UHUGEINT"), withIdentities: await insert(keyHash(), "md5_number(to_json(typed))")};
}

/**
 * One round in a fresh warehouse: anchor, ingest of the clean file, anchor again, design floor. The machine's speed
 * drifts by a third within minutes, so each ratio compares times taken moments apart and the rounds give a median.
 */
async function round(n: number, clean: string): Promise<Round> {
  const db = join(DIR, "bench.duckdb");
  for (const f of [db, `${db}.wal`]) rmSync(f, {force: true});
  const wh = await openWarehouse(db);
  try {
    const anchor = async () => {
      const t = performance.now();
      const cpu = process.cpuUsage();
      await wh.connection.run(`CREATE OR REPLACE TABLE anchor AS SELECT * FROM read_json_auto('${clean}')`);
      const result = {wall: seconds(t), cpu: cpuSeconds(cpu)};
      await wh.connection.run("DROP TABLE anchor");
      await wh.connection.run("CHECKPOINT");
      return result;
    };
    const before = await anchor();
    let t = performance.now();
    const cpu = process.cpuUsage();
    // Where the time goes: ingest reports 30% when the lines are staged and 70% when the fast path has stored its rows.
    const reached = new Map<number, number>();
    const summary = await ingestFile(wh, clean, {onProgress: (done) => void (reached.has(done) || reached.set(done, performance.now()))});
    const ingestSeconds = seconds(t);
    const staged = (reached.get(30)! - t) / 1000;
    const stored = (reached.get(70)! - reached.get(30)!) / 1000;
    const ingestCpu = cpuSeconds(cpu);
    // Peak RSS only grows; taken here in round 1 it covers the anchor and the ingest, not the measures after them.
    rssAfterFirstIngestMb ??= Math.round(process.resourceUsage().maxRSS / 1024);
    if (summary.rowsOk !== ROWS || summary.rowsRejected !== 0) throw new Error(`clean file: expected ${ROWS} new rows, got ${JSON.stringify(summary)}`);
    const after = await anchor();
    const anchorWall = (before.wall + after.wall) / 2;
    t = performance.now();
    await stageJsonLines(wh.connection, clean);
    const pattern = fastLinePattern().replaceAll("'", "''");
    await wh.connection.run(
      `CREATE TABLE floor AS SELECT line, t.* FROM (SELECT line, json_transform(raw, '${fastStructure()}') AS t FROM ${LINES_TABLE} WHERE regexp_full_match(raw, '${pattern}'))`
    );
    const floorSeconds = seconds(t);
    const unvalidated = await unvalidatedWrite(wh.connection, clean);
    const result = {
      ratio: ingestSeconds / anchorWall,
      cpuRatio: ingestCpu / ((before.cpu + after.cpu) / 2),
      floorRatio: floorSeconds / anchorWall,
      unvalidatedRatio: unvalidated.write / anchorWall,
      identitiesRatio: unvalidated.withIdentities / anchorWall
    };
    console.log(`round ${n}:`);
    console.log(`  read_json_auto (anchor): ${before.wall.toFixed(2)} s before, ${after.wall.toFixed(2)} s after  (cpu ${before.cpu.toFixed(2)} s, ${after.cpu.toFixed(2)} s)`);
    console.log(
      `  benchlab ingest (clean, every row validated): ${ingestSeconds.toFixed(2)} s  (cpu ${ingestCpu.toFixed(2)} s; ` +
        `${summary.rowsOk.toLocaleString("en-US")} stored, reader ${summary.reader})`
    );
    console.log(`    stage the lines ${staged.toFixed(2)} s, check + parse + hash + store ${stored.toFixed(2)} s, the rest (left rows, duplicates, commit) ${(ingestSeconds - staged - stored).toFixed(2)} s`);
    console.log(`  design floor (stage + line pattern + typed parse + write; no hashes, key or SQL checks): ${floorSeconds.toFixed(2)} s`);
    console.log(`  unvalidated write (DuckDB's typed read + insert + commit; no checks, hashes or line pattern): ${unvalidated.write.toFixed(2)} s`);
    console.log(`  the same with row identities (ingest's key hash + an md5 of each row's values): ${unvalidated.withIdentities.toFixed(2)} s`);
    console.log(
      `  ratio ${result.ratio.toFixed(2)}, cpu ratio ${result.cpuRatio.toFixed(2)}, floor ratio ${result.floorRatio.toFixed(2)}, ` +
        `unvalidated ratio ${result.unvalidatedRatio.toFixed(2)}, with identities ${result.identitiesRatio.toFixed(2)}`
    );
    return result;
  } finally {
    wh.close();
  }
}

async function main(): Promise<void> {
  mkdirSync(DIR, {recursive: true});
  const clean = join(DIR, `records-${ROWS}.jsonl`);
  const corrupt = join(DIR, `records-${ROWS}-1pct-corrupt.jsonl`);
  const systematic = join(DIR, `records-${SYSTEMATIC_ROWS}-passed-as-text.jsonl`);
  await generate(clean, ROWS, cleanLine);
  await generate(corrupt, ROWS, corruptLine);
  await generate(systematic, SYSTEMATIC_ROWS, textPassedLine);

  console.log(`rows: ${ROWS.toLocaleString("en-US")}  file: ${clean}  rounds: ${ROUNDS}  load average: ${loadavg()[0].toFixed(1)}`);
  const rounds: Round[] = [];
  for (let r = 1; r <= ROUNDS; r++) rounds.push(await round(r, clean));

  const db2 = join(DIR, "bench-corrupt.duckdb");
  for (const f of [db2, `${db2}.wal`]) rmSync(f, {force: true});
  const wh2 = await openWarehouse(db2);
  const t = performance.now();
  const bad = await ingestFile(wh2, corrupt);
  const corruptSeconds = seconds(t);
  const expected = Array.from({length: ROWS}, (_, i) => i).filter(isDamaged).map((i) => i + 1);
  const quarantined = (await wh2.connection.runAndReadAll("SELECT line FROM quarantine ORDER BY line")).getRows().map((r) => Number(r[0]));
  const exact = quarantined.length === expected.length && quarantined.every((line, k) => line === expected[k]);
  wh2.close();
  console.log(
    `benchlab ingest (1% corrupted): ${corruptSeconds.toFixed(2)} s  (${bad.rowsOk.toLocaleString("en-US")} stored, ` +
      `${bad.rowsRejected.toLocaleString("en-US")} quarantined; exactly the ${expected.length.toLocaleString("en-US")} damaged lines: ${exact ? "yes" : "NO"})`
  );
  // One systematic error: no row passes, so each is checked on the exact path, explained by zod and quarantined.
  for (const f of [db2, `${db2}.wal`]) rmSync(f, {force: true});
  const wh3 = await openWarehouse(db2);
  const t3 = performance.now();
  const wrong = await ingestFile(wh3, systematic);
  const wrongSeconds = seconds(t3);
  const byField = (await wh3.connection.runAndReadAll("SELECT count(*) FILTER (WHERE field = 'passed')::INTEGER FROM quarantine")).getRows()[0][0];
  wh3.close();
  const allPassed = wrong.rowsRejected === SYSTEMATIC_ROWS && byField === SYSTEMATIC_ROWS;
  console.log(
    `benchlab ingest (one systematic error, passed as text): ${wrongSeconds.toFixed(2)} s for ${SYSTEMATIC_ROWS.toLocaleString("en-US")} lines, ` +
      `${((wrongSeconds / SYSTEMATIC_ROWS) * 1e6).toFixed(1)} µs per rejected row  (every line quarantined for its passed field: ${allPassed ? "yes" : "NO"})`
  );
  console.log(
    `peak RSS: ${rssAfterFirstIngestMb} MB through the first anchor and ingest, ${Math.round(process.resourceUsage().maxRSS / 1024)} MB ` +
      `for the whole benchmark  (load average now ${loadavg()[0].toFixed(1)})`
  );
  const spread = (key: keyof Round) => {
    const xs = rounds.map((x) => x[key]);
    return `${median(xs).toFixed(2)} (median of ${xs.length}; ${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;
  };
  console.log(`unvalidated write ratio: ${spread("unvalidatedRatio")}`);
  console.log(`unvalidated write with row identities ratio: ${spread("identitiesRatio")}`);
  console.log(`design floor ratio: ${spread("floorRatio")}`);
  console.log(`cpu ratio: ${spread("cpuRatio")}`);
  console.log(`ratio: ${spread("ratio")}`);
  if (!exact || bad.rowsOk !== ROWS - expected.length || !allPassed) process.exitCode = 1;
}

await main();
