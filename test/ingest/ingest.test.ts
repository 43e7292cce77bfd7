import {spawn, spawnSync} from "node:child_process";
import {createHash} from "node:crypto";
import {once} from "node:events";
import {createWriteStream, existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {pipeline} from "node:stream/promises";
import {createGzip, gzipSync} from "node:zlib";
import {DuckDBInstance} from "@duckdb/node-api";
import {describe, expect, it} from "vitest";
import {fileError, ingestFile, IngestError, runIdForFile} from "../../data-loaders/ingest/index.ts";
import {MAX_LINE_BYTES} from "../../data-loaders/ingest/stage-lines.ts";
import {missingWarehouse, openWarehouse, PROJECT_ROOT} from "../../data-loaders/warehouse.ts";
import {openReadOnly} from "../../data-loaders/site/site-warehouse.ts";
import {RunRecordShape} from "../../src/lib/schema.ts";
import {jsonl, record, useScratch} from "./helpers.ts";

const s = useScratch();

async function quarantine() {
  return s.rows("SELECT line, field, reason FROM quarantine ORDER BY line");
}

describe("ingest: valid files", () => {
  it("stores every field typed, absent fields as NULL, trial defaulting to 0, and records the batch", async () => {
    const full = record({
      split: "test", harness: "h", mode: "zero-shot", plugins: "p1", trial: 2, score: 0.25, output: "42", target: "42",
      final_state: {db: {x: 1}}, initial_state: null, trajectory: [{actor: "agent", tool: "bash", arguments: {cmd: "ls"}}],
      latency_ms: 12.5, cost_usd: 0.001, tokens_in: 10, tokens_out: 3, run_at: "2025-01-02T03:04:05Z", slices: {difficulty: "hard"},
      harness_sha: "abc", endpoint_sha: "def", sampling_profile: "t0", item_added: "2024-05-06",
      prompt_sha256: "a".repeat(64), output_sha256: "b".repeat(64)
    });
    const file = s.write("runs.jsonl", jsonl([full, record({item_id: "q2"})]));
    const summary = await ingestFile(s.wh, file, {snapshotId: "2026-01-01-test"});
    expect(summary).toMatchObject({rowsOk: 2, rowsDuplicate: 0, rowsCorrected: 0, rowsRejected: 0});
    const [a, b] = await s.rows("SELECT * EXCLUDE (ingested_at, item_added), item_added::VARCHAR AS item_added FROM records ORDER BY line");
    expect(a).toMatchObject({split: "test", trial: 2n, score: 0.25, latency_ms: 12.5, tokens_in: 10n, passed: true, line: 1n, snapshot_id: "2026-01-01-test"});
    expect(JSON.parse(String(a.final_state))).toEqual({db: {x: 1}});
    expect(JSON.parse(String(a.trajectory))).toEqual([{actor: "agent", tool: "bash", arguments: {cmd: "ls"}}]);
    expect(a.item_added).toBe("2024-05-06");
    expect(b).toMatchObject({split: null, harness: null, trial: 0n, score: null, output: null, slices: null, line: 2n});
    const [batch] = await s.rows("SELECT * FROM ingest_batches");
    expect(batch).toMatchObject({file, kind: "jsonl", snapshot_id: "2026-01-01-test", rows_ok: 2n, rows_rejected: 0n});
    expect(batch.file_sha256).toBe(createHash("sha256").update(readFileSync(file)).digest("hex"));
  });

  it("takes run_id from the record, else --run-id, else the file's base name (the same from any folder)", async () => {
    const lines = jsonl([record({item_id: "a"}), record({item_id: "b", run_id: undefined}), record({item_id: "c", run_id: null})]);
    await ingestFile(s.wh, s.write("x/results-7.jsonl", lines));
    await ingestFile(s.wh, s.write("y/results-7.jsonl", lines));
    await ingestFile(s.wh, s.write("z.jsonl", lines), {runId: "given"});
    const rows = await s.rows("SELECT item_id, run_id, count(*) AS n FROM records GROUP BY ALL ORDER BY ALL");
    expect(rows).toEqual([
      {item_id: "a", run_id: "r1", n: 1n},
      {item_id: "b", run_id: "given", n: 1n},
      {item_id: "b", run_id: "results-7", n: 1n},
      {item_id: "c", run_id: "given", n: 1n},
      {item_id: "c", run_id: "results-7", n: 1n}
    ]);
    expect(runIdForFile("/data/run-3.records.jsonl.gz")).toBe("run-3.records");
  });

  it("reads gzip-compressed files (DuckDB splits them, LF or CRLF; with invalid UTF-8, JavaScript), and names corrupt gzip", async () => {
    const lines = jsonl([record(), record({item_id: "q2"}), record({item_id: "q3", trial: -1})]);
    const file = s.write("runs.jsonl.gz", gzipSync(lines));
    expect(await ingestFile(s.wh, file)).toMatchObject({rowsOk: 2, rowsRejected: 1, reader: "duckdb", fileSha256: createHash("sha256").update(readFileSync(file)).digest("hex")});
    expect(await s.rows("SELECT item_id, line FROM records ORDER BY line")).toEqual([{item_id: "q1", line: 1n}, {item_id: "q2", line: 2n}]);
    expect((await quarantine()).map((r) => [r.line, r.field])).toEqual([[3n, "trial"]]);
    const crlf = s.write("crlf.jsonl.gz", gzipSync(lines.replaceAll("\n", "\r\n").replaceAll("r1", "r2")));
    expect(await ingestFile(s.wh, crlf)).toMatchObject({rowsOk: 2, rowsRejected: 1, reader: "duckdb", fileSha256: createHash("sha256").update(readFileSync(crlf)).digest("hex")});
    const latin = s.write("latin.jsonl.gz", gzipSync(Buffer.concat([Buffer.from(lines.replaceAll("r1", "r3")), Buffer.from([0xff, 0x0a])])));
    expect(await ingestFile(s.wh, latin)).toMatchObject({rowsOk: 2, rowsRejected: 2, reader: "javascript", fileSha256: createHash("sha256").update(readFileSync(latin)).digest("hex")});
    const cut = s.write("cut.jsonl.gz", gzipSync(lines).subarray(0, 30));
    await expect(ingestFile(s.wh, cut)).rejects.toThrow(/cut\.jsonl\.gz: the gzip data is corrupt or cut short \(.*\); copy the file again/);
  });

  it("accepts a UTF-8 byte-order mark and CRLF line ends, and skips blank lines", async () => {
    const body = `\uFEFF${JSON.stringify(record())}\r\n\r\n   \r\n${JSON.stringify(record({item_id: "q2", output: "é"}))}\r\n`;
    const summary = await ingestFile(s.wh, s.write("bom.jsonl", body));
    expect(summary).toMatchObject({rowsOk: 2, rowsRejected: 0, reader: "duckdb"});
    expect(await s.rows("SELECT item_id, output, line FROM records ORDER BY line")).toEqual([
      {item_id: "q1", output: null, line: 1n},
      {item_id: "q2", output: "é", line: 4n}
    ]);
    // A line's CR is not part of it: the same lines with LF only, from another folder (the same run), add nothing.
    expect(await ingestFile(s.wh, s.write("lf/bom.jsonl", body.replaceAll("\r\n", "\n")))).toMatchObject({rowsOk: 0, rowsDuplicate: 2, reader: "duckdb"});
    // A lone CR inside a line is JSON whitespace; DuckDB would end the line there, so JavaScript's reader keeps it.
    const loneCr = `${JSON.stringify(record({item_id: "q3"}))}\r\n{"benchmark":"qa",\r"item_id":"q4","model":"m1","run_id":"r1","passed":true}\r\n`;
    expect(await ingestFile(s.wh, s.write("lone-cr.jsonl", loneCr))).toMatchObject({rowsOk: 2, rowsRejected: 0, reader: "javascript"});
    expect(await s.rows("SELECT item_id, line FROM records WHERE item_id IN ('q3', 'q4') ORDER BY line")).toEqual([
      {item_id: "q3", line: 1n},
      {item_id: "q4", line: 2n}
    ]);
  });

  it("reports progress that never goes back when the JavaScript reader reads the file again after the pre-scan", async () => {
    // A line of invalid UTF-8 sends the file to the JavaScript reader; 3 MB are several of its 1 MB reads in each pass.
    const lines = Array.from({length: 12_000}, (_, i) => JSON.stringify(record({item_id: `i${i}`, output: "x".repeat(200)})));
    const reported: number[] = [];
    const file = s.write("latin-big.jsonl", Buffer.concat([Buffer.from(`${lines.join("\n")}\n`), Buffer.from([0xff, 0x0a])]));
    const summary = await ingestFile(s.wh, file, {onProgress: (done) => void reported.push(done)});
    expect(summary).toMatchObject({reader: "javascript", rowsOk: 12_000, rowsRejected: 1});
    expect(reported.filter((p) => p < 30).length).toBeGreaterThan(1);
    expect(reported).toEqual([...new Set(reported)].sort((a, b) => a - b));
    expect(reported.at(-1)).toBe(100);
  });

  it("ingests a valid 50 MB single-line record", async () => {
    const output = "x".repeat(50 * 1024 * 1024);
    const file = s.write("big.jsonl", `${JSON.stringify(record({item_id: "small"}))}\n${JSON.stringify(record({output}))}\n`);
    expect(await ingestFile(s.wh, file)).toMatchObject({rowsOk: 2, rowsRejected: 0});
    expect(await s.rows("SELECT item_id, length(output) AS n FROM records ORDER BY line")).toEqual([
      {item_id: "small", n: null},
      {item_id: "q1", n: BigInt(output.length)}
    ]);
  }, 60_000);

  it("a line longer than JavaScript's longest string (a gzip bomb: 2.5 MB holding a 537 MB line) is rejected with its line, the others stored", async () => {
    // Written through a gzip stream so the test never holds the long line in memory either.
    const path = join(s.dir, "bomb.jsonl.gz");
    const long = MAX_LINE_BYTES + 1;
    const opening = `{"benchmark":"qa","item_id":"big","model":"m","passed":true,"output":"`;
    const gzip = createGzip({level: 1});
    const written = pipeline(gzip, createWriteStream(path));
    gzip.write(`${JSON.stringify(record({item_id: "before"}))}\n${opening}`);
    const chunk = Buffer.alloc(1 << 20, "a");
    for (let left = long - opening.length - 2; left > 0; left -= chunk.length) {
      if (!gzip.write(chunk.subarray(0, Math.min(left, chunk.length)))) await once(gzip, "drain");
    }
    gzip.end(`"}\n${JSON.stringify(record({item_id: "after"}))}\n`);
    await written;
    expect(await ingestFile(s.wh, path)).toMatchObject({rowsOk: 2, rowsRejected: 1});
    expect(await s.rows("SELECT item_id, line FROM records ORDER BY line")).toEqual([
      {item_id: "before", line: 1n},
      {item_id: "after", line: 3n}
    ]);
    const [rejected] = await s.rows("SELECT line, field, reason, raw FROM quarantine");
    expect(rejected).toEqual({
      line: 2n,
      field: null,
      reason: `line is ${long.toLocaleString("en-US")} bytes long, more than one record can be (${MAX_LINE_BYTES.toLocaleString("en-US")} bytes, the longest text JavaScript holds); only its first 1024 bytes are kept here`,
      raw: `${opening}${"a".repeat(1024 - opening.length)}`
    });
  }, 120_000);

  it("numbers the lines of a file DuckDB splits in parallel (several row groups) in file order, reporting progress", async () => {
    // 400,000 lines are more than three of DuckDB's row groups (122,880 rows), so two threads split the file.
    const n = 400_000;
    const bad = new Set([1, 122_881, 245_000, n]);
    const lines = Array.from({length: n}, (_, i) => (i + 1 === 200_000 ? "" : JSON.stringify(record({item_id: `i${i + 1}`, trial: bad.has(i + 1) ? -1 : 0}))));
    const reported: number[] = [];
    const summary = await ingestFile(s.wh, s.write("many.jsonl", `${lines.join("\n")}\n`), {onProgress: (done) => void reported.push(done)});
    expect(summary).toMatchObject({reader: "duckdb", rowsOk: n - bad.size - 1, rowsRejected: bad.size});
    // Progress never goes back, ends at 100, and moves during the bulk insert (one statement of over a second here).
    expect(reported).toEqual([...reported].sort((a, b) => a - b));
    expect(reported.at(-1)).toBe(100);
    expect(reported.some((p) => p > 30 && p < 70)).toBe(true);
    expect((await quarantine()).map((r) => r.line)).toEqual([...bad].map(BigInt));
    expect(await s.rows("SELECT count(*) AS misnumbered FROM records WHERE item_id <> 'i' || line")).toEqual([{misnumbered: 0n}]);
  }, 60_000);
});

describe("ingest: bad rows go to quarantine with line, field and reason", () => {
  it("wrong types, unknown fields, missing fields, bad formats, and a record without an outcome", async () => {
    const file = s.write(
      "bad.jsonl",
      jsonl([
        record({score: "0.5"}),
        record({trial: 1.5}),
        record({colour: "red"}),
        record({model: undefined}),
        record({item_added: "2024/01/02"}),
        record({passed: undefined}),
        record({tokens_in: -1}),
        record({trial: null}),
        record({item_id: "ok"})
      ])
    );
    const summary = await ingestFile(s.wh, file);
    expect(summary).toMatchObject({rowsOk: 1, rowsRejected: 8});
    const rows = await quarantine();
    expect(rows.map((r) => [r.line, r.field])).toEqual([
      [1n, "score"],
      [2n, "trial"],
      [3n, "colour"],
      [4n, "model"],
      [5n, "item_added"],
      [6n, "score"],
      [7n, "tokens_in"],
      [8n, "trial"]
    ]);
    expect(rows[0].reason).toBe("score: Invalid input: expected number, received string");
    expect(rows[2].reason).toMatch(/^unknown field colour: not part of the run-record schema/);
    expect(rows[3].reason).toBe("model: required field is missing");
    expect(rows[4].reason).toBe("item_added: expected a calendar date YYYY-MM-DD");
    expect(rows[5].reason).toBe("score: a record needs at least one of score, passed or output");
    expect(rows[7].reason).toBe("trial: Invalid input: expected number, received null");
    const [q] = await s.rows("SELECT file, raw FROM quarantine WHERE line = 3");
    expect(q).toEqual({file, raw: JSON.stringify(record({colour: "red"}))});
    expect(await s.rows("SELECT item_id FROM records")).toEqual([{item_id: "ok"}]);
  });

  it("malformed JSON and a truncated last line each get their own message", async () => {
    const good = JSON.stringify(record());
    const file = s.write("broken.jsonl", `${good}\n{"benchmark": "qa", "item_id": }\n[1, 2]\n${good.slice(0, 30)}`);
    const summary = await ingestFile(s.wh, file);
    expect(summary).toMatchObject({rowsOk: 1, rowsRejected: 3});
    const rows = await quarantine();
    expect(rows.map((r) => [r.line, r.field])).toEqual([
      [2n, null],
      [3n, null],
      [4n, null]
    ]);
    expect(rows[0].reason).toMatch(/^malformed JSON: Unexpected token/);
    expect(rows[1].reason).toBe("expected one JSON object per line, found an array");
    expect(rows[2].reason).toMatch(/^truncated last line: the file ends in the middle of a record/);
  });

  it("input DuckDB's JSON parser would accept but JSON.parse rejects (trailing commas, NaN) is rejected", async () => {
    const file = s.write("lenient.jsonl", '{"benchmark":"qa","item_id":"a","model":"m","passed":true,}\n{"benchmark":"qa","item_id":"b","model":"m","score":NaN}\n');
    expect(await ingestFile(s.wh, file)).toMatchObject({rowsOk: 0, rowsRejected: 2});
    expect((await quarantine()).every((r) => String(r.reason).startsWith("malformed JSON"))).toBe(true);
  });

  it("a key given twice in the record or in slices is rejected (JSON.parse keeps the last, DuckDB the first), by either reader", async () => {
    const lines = [
      '{"benchmark":"qa","item_id":"a","model":"m","score":1,"score":0}',
      '{"benchmark":"qa","item_id":"b","model":"m","passed":true,"slices":{"repo":"x","repo":"y"}}',
      '{"benchmark":"qa","item_id":"c","model":"m","passed":true, "\\u0070assed" : false}',
      // Inside a JSON field, and in the text of a string, a repeated key is data.
      '{"benchmark":"qa","item_id":"d","model":"m","passed":true,"output":"{\\"k\\":1,\\"k\\":2}","final_state":{"a":{"k":1},"b":{"k":2}}}'
    ];
    const expected = [
      {line: 1n, field: "score", reason: "score: the key appears more than once in its object, so its value is ambiguous; keep one"},
      {line: 2n, field: "slices.repo", reason: "slices.repo: the key appears more than once in its object, so its value is ambiguous; keep one"},
      {line: 3n, field: "passed", reason: "passed: the key appears more than once in its object, so its value is ambiguous; keep one"}
    ];
    expect(await ingestFile(s.wh, s.write("dup.jsonl", `${lines.join("\n")}\n`))).toMatchObject({reader: "duckdb", rowsOk: 1, rowsRejected: 3});
    expect(await quarantine()).toEqual(expected);
    // The JavaScript reader (sent there by a line of invalid UTF-8) rejects the same lines.
    const latin = Buffer.concat([Buffer.from(`${lines.join("\n")}\n`), Buffer.from([0xff, 0x0a])]);
    expect(await ingestFile(s.wh, s.write("dup-latin.jsonl", latin), {runId: "other"})).toMatchObject({reader: "javascript", rowsOk: 1, rowsRejected: 4});
    const latinRejected = await s.rows(
      "SELECT line, field, reason FROM quarantine JOIN ingest_batches USING (batch_id) WHERE ingest_batches.file LIKE '%dup-latin.jsonl' ORDER BY line"
    );
    expect(latinRejected.slice(0, 3)).toEqual(expected);
  });

  it("a date of the form YYYY-MM-DD that is not in the calendar is rejected, naming the field, by either reader", async () => {
    const lines = jsonl([record({item_added: "2023-02-29"}), record({item_id: "q2", item_added: "2024-04-31"}), record({item_id: "q3", item_added: "2024-02-29"})]);
    expect(await ingestFile(s.wh, s.write("d.jsonl", lines))).toMatchObject({reader: "duckdb", rowsOk: 1, rowsRejected: 2});
    const reason = "item_added: expected a calendar date YYYY-MM-DD";
    expect(await quarantine()).toEqual([{line: 1n, field: "item_added", reason}, {line: 2n, field: "item_added", reason}]);
    // The JavaScript reader (sent there by a line of invalid UTF-8) rejects the same lines.
    const latin = Buffer.concat([Buffer.from(lines), Buffer.from([0xff, 0x0a])]);
    expect(await ingestFile(s.wh, s.write("d-latin.jsonl", latin))).toMatchObject({reader: "javascript", rowsDuplicate: 1, rowsRejected: 3});
    const latinRejected = await s.rows(
      "SELECT line, field, reason FROM quarantine JOIN ingest_batches USING (batch_id) WHERE ingest_batches.file LIKE '%d-latin.jsonl' AND line < 3 ORDER BY line"
    );
    expect(latinRejected).toEqual([{line: 1n, field: "item_added", reason}, {line: 2n, field: "item_added", reason}]);
  });

  it("run_at must be a possible date-time (month, day of that month and year, hour, minute), by either reader", async () => {
    const values = ["2024-13-45T99:99", "2025-04-31T10:00:00Z", "2025-06-12T24:00", "2023-02-29", "1900-02-29T00:00Z", "2025-06-12T10:22:33.5+02:00", "2024-02-29 23:59:60", "2000-02-29"];
    const lines = values.map((run_at, i) => JSON.stringify(record({item_id: `t${i}`, run_at})));
    const reason = "run_at: expected an ISO date-time (YYYY-MM-DD, then optionally Thh:mm:ss with a fraction and Z or an offset)";
    const expected = [1n, 2n, 3n, 4n, 5n].map((line) => ({line, field: "run_at", reason}));
    expect(await ingestFile(s.wh, s.write("at.jsonl", `${lines.join("\n")}\n`))).toMatchObject({reader: "duckdb", rowsOk: 3, rowsRejected: 5});
    expect(await quarantine()).toEqual(expected);
    const latin = Buffer.concat([Buffer.from(`${lines.join("\n")}\n`), Buffer.from([0xff, 0x0a])]);
    // The same three lines pass (duplicates of the rows stored), the same five and the bad UTF-8 line are rejected.
    expect(await ingestFile(s.wh, s.write("at-latin.jsonl", latin))).toMatchObject({reader: "javascript", rowsOk: 0, rowsDuplicate: 3, rowsRejected: 6});
    expect(await s.rows("SELECT DISTINCT run_at FROM records ORDER BY run_at")).toEqual([{run_at: "2000-02-29"}, {run_at: "2024-02-29 23:59:60"}, {run_at: "2025-06-12T10:22:33.5+02:00"}]);
  });

  it("run_at has February 29 in exactly the Gregorian leap years", () => {
    for (let year = 0; year <= 9999; year++) {
      const date = new Date(Date.UTC(2000, 1, 29));
      date.setUTCFullYear(year, 1, 29);
      const leap = date.getUTCMonth() === 1;
      expect([year, RunRecordShape.run_at.safeParse(`${String(year).padStart(4, "0")}-02-29T12:00Z`).success]).toEqual([year, leap]);
    }
  });

  it("invalid UTF-8 is rejected for that line only", async () => {
    const bad = Buffer.concat([Buffer.from('{"benchmark":"qa","item_id":"b","model":"m","output":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]);
    const file = s.write("latin.jsonl", Buffer.concat([Buffer.from(jsonl([record()])), bad, Buffer.from(jsonl([record({item_id: "c"})]))]));
    expect(await ingestFile(s.wh, file)).toMatchObject({rowsOk: 2, rowsRejected: 1, reader: "javascript"});
    expect(await quarantine()).toEqual([{line: 2n, field: null, reason: "line is not valid UTF-8 text; re-export the file as UTF-8"}]);
  });

  it("an empty file is a clear error and stores nothing", async () => {
    for (const [name, body] of [["empty.jsonl", ""], ["blank.jsonl", "\n\n  \n"]]) {
      await expect(ingestFile(s.wh, s.write(name, body))).rejects.toThrow(IngestError);
      await expect(ingestFile(s.wh, s.write(name, body))).rejects.toThrow(/the file is empty \(no records in \d+ lines?\); nothing was ingested/);
    }
    expect(await s.rows("SELECT count(*) AS n FROM ingest_batches")).toEqual([{n: 0n}]);
  });

  it("--strict rejects the whole file at its first bad row", async () => {
    const file = s.write("strict.jsonl", jsonl([record(), record({item_id: "q2", score: "x"}), record({item_id: "q3", colour: 1})]));
    const summary = await ingestFile(s.wh, file, {strict: true});
    expect(summary).toMatchObject({rowsOk: 0, rowsRejected: 3, firstRejection: {line: 2, field: "score"}});
    expect(await s.rows("SELECT count(*) AS n FROM records")).toEqual([{n: 0n}]);
    const rows = await quarantine();
    expect(rows).toHaveLength(1);
    expect(rows[0].reason).toMatch(/^score: .* \(the file was rejected \(--strict\) at this row; nothing of it was stored\)$/);
    expect(await s.rows("SELECT rows_ok, rows_rejected FROM ingest_batches")).toEqual([{rows_ok: 0n, rows_rejected: 3n}]);
  });
});

describe("ingest: duplicates and corrections", () => {
  it("re-ingesting the same file adds nothing; a changed row is a correction and records_latest shows it", async () => {
    const v1 = jsonl([record({score: 0.5, passed: undefined}), record({item_id: "q2"})]);
    const file = s.write("runs.jsonl", v1);
    expect(await ingestFile(s.wh, file)).toMatchObject({rowsOk: 2});
    expect(await ingestFile(s.wh, file)).toMatchObject({rowsOk: 0, rowsDuplicate: 2, rowsCorrected: 0});
    // Same values in other text (key order, spacing, 0.50) are the same record.
    const reformatted = `{"item_id":"q1", "run_id":"r1","model":"m1","benchmark":"qa","score":0.50}\n`;
    expect(await ingestFile(s.wh, s.write("other/runs.jsonl", reformatted))).toMatchObject({rowsOk: 0, rowsDuplicate: 1});
    const v2 = s.write("runs-v2.jsonl", jsonl([record({score: 0.75, passed: undefined})]));
    expect(await ingestFile(s.wh, v2)).toMatchObject({rowsOk: 0, rowsCorrected: 1});
    expect(await s.rows("SELECT score FROM records WHERE item_id = 'q1' ORDER BY ingested_at")).toEqual([{score: 0.5}, {score: 0.75}]);
    expect(await s.rows("SELECT score FROM records_latest WHERE item_id = 'q1'")).toEqual([{score: 0.75}]);
    expect(await s.rows("SELECT count(*) AS n FROM records_latest")).toEqual([{n: 2n}]);
    // A second correction: every older version stays in records and is listed as superseded.
    await ingestFile(s.wh, s.write("runs-v3.jsonl", jsonl([record({score: 1, passed: undefined})])));
    expect(await s.rows("SELECT score FROM records_latest WHERE item_id = 'q1'")).toEqual([{score: 1}]);
    expect(await s.rows("SELECT r.score FROM superseded_records JOIN records r USING (record_id) ORDER BY r.score")).toEqual([{score: 0.5}, {score: 0.75}]);
    expect(await s.rows("SELECT count(*) AS n FROM records")).toEqual([{n: 4n}]);
  });

  it("within one file: a repeated line is a duplicate, a later different line for the key is a correction", async () => {
    const file = s.write("f.jsonl", jsonl([record({score: 1}), record({score: 1}), record({score: 0})]));
    expect(await ingestFile(s.wh, file)).toMatchObject({rowsOk: 1, rowsDuplicate: 1, rowsCorrected: 1, rowsCorrectedInFile: 1});
    expect(await s.rows("SELECT score FROM records_latest")).toEqual([{score: 0}]);
    expect(await s.rows("SELECT r.score, r.line FROM superseded_records JOIN records r USING (record_id)")).toEqual([{score: 1, line: 1n}]);
    // A correction of a key stored by an earlier file is not one within the file.
    const later = s.write("g.jsonl", jsonl([record({score: 0.5}), record({item_id: "q2", score: 1})]));
    expect(await ingestFile(s.wh, later, {runId: "f"})).toMatchObject({rowsOk: 1, rowsCorrected: 1, rowsCorrectedInFile: 0});
  });

  it("a row with the values of an older version reverts the key: it is a correction, and the latest", async () => {
    const v1 = s.write("v1.jsonl", jsonl([record({score: 1, passed: undefined})]));
    const v2 = s.write("v2.jsonl", jsonl([record({score: 0, passed: undefined})]));
    await ingestFile(s.wh, v1);
    expect(await ingestFile(s.wh, v2)).toMatchObject({rowsOk: 0, rowsCorrected: 1});
    // The same bytes as v1, and then the same values in other text: each compared with the version just before it.
    expect(await ingestFile(s.wh, v1)).toMatchObject({rowsOk: 0, rowsDuplicate: 0, rowsCorrected: 1});
    expect(await s.rows("SELECT score FROM records_latest")).toEqual([{score: 1}]);
    expect(await ingestFile(s.wh, v2)).toMatchObject({rowsCorrected: 1});
    const v1Spaced = s.write("v1-spaced.jsonl", `${JSON.stringify(record({score: 1, passed: undefined}), null, 1).replaceAll("\n", "")}\n`);
    expect(await ingestFile(s.wh, v1Spaced)).toMatchObject({rowsDuplicate: 0, rowsCorrected: 1});
    expect(await s.rows("SELECT score FROM records_latest")).toEqual([{score: 1}]);
    expect(await ingestFile(s.wh, v1)).toMatchObject({rowsDuplicate: 1, rowsCorrected: 0});
    expect(await s.rows("SELECT score FROM records ORDER BY ingested_at")).toEqual([{score: 1}, {score: 0}, {score: 1}, {score: 0}, {score: 1}]);
    // Within one file, the last line for a key is its latest.
    const file = s.write("back.jsonl", jsonl([record({item_id: "b", score: 1}), record({item_id: "b", score: 0}), record({item_id: "b", score: 1})]));
    expect(await ingestFile(s.wh, file)).toMatchObject({rowsOk: 1, rowsDuplicate: 0, rowsCorrected: 2});
    expect(await s.rows("SELECT score, line FROM records_latest WHERE item_id = 'b'")).toEqual([{score: 1, line: 3n}]);
  });

  it("JSON fields compare as values: keys in another order, 1.0 for 1, map entries reordered are duplicates", async () => {
    const state = (over: string) => `{"benchmark":"qa","item_id":"j","model":"m1","run_id":"r1","passed":true,${over}}`;
    await ingestFile(s.wh, s.write("j1.jsonl", `${state('"final_state":{"b":1,"a":{"x":[1,2]}},"slices":{"k":"1","l":"2"}')}\n`));
    const reordered = s.write("j2.jsonl", `${state('"slices":{"l":"2","k":"1"},"final_state":{"a":{"x":[1.0,2]},"b":1.0}')}\n`);
    expect(await ingestFile(s.wh, reordered)).toMatchObject({rowsOk: 0, rowsDuplicate: 1, rowsCorrected: 0});
    expect(await s.rows("SELECT d.line, r.line AS stored_line, r.final_state FROM duplicate_lines d JOIN records r USING (record_id)")).toEqual([
      {line: 1n, stored_line: 1n, final_state: '{"b":1,"a":{"x":[1,2]}}'}
    ]);
    // A real change inside the JSON is still a correction (and the order of a list is a value).
    const changed = s.write("j3.jsonl", `${state('"final_state":{"b":1,"a":{"x":[2,1]}},"slices":{"k":"1","l":"2"}')}\n`);
    expect(await ingestFile(s.wh, changed)).toMatchObject({rowsOk: 0, rowsDuplicate: 0, rowsCorrected: 1});
    expect(await s.rows("SELECT count(*) AS n FROM records WHERE item_id = 'j'")).toEqual([{n: 2n}]);
  });

  it("a duplicate line is recorded with the stored row it repeats, so a snapshot holds the rows its files repeated", async () => {
    // Snapshot A stores two rows; snapshot B's file gives the same two (one in other text) and a changed third.
    await ingestFile(s.wh, s.write("a/runs.jsonl", jsonl([record(), record({item_id: "q2"})])), {snapshotId: "A"});
    const reformatted = `{"item_id":"q2", "run_id":"r1","model":"m1","benchmark":"qa","passed":true}`;
    const b = s.write("b/runs.jsonl", `${JSON.stringify(record())}\n${reformatted}\n${JSON.stringify(record({item_id: "q3"}))}\n`);
    expect(await ingestFile(s.wh, b, {snapshotId: "B"})).toMatchObject({rowsOk: 1, rowsDuplicate: 2});
    const held = (snapshot: string) =>
      s.rows(`SELECT r.item_id, r.snapshot_id AS stored_with FROM snapshot_records m JOIN records r USING (record_id) WHERE m.snapshot_id = $1 ORDER BY 1`, [snapshot]);
    expect(await held("A")).toEqual([{item_id: "q1", stored_with: "A"}, {item_id: "q2", stored_with: "A"}]);
    expect(await held("B")).toEqual([{item_id: "q1", stored_with: "A"}, {item_id: "q2", stored_with: "A"}, {item_id: "q3", stored_with: "B"}]);
    // Every non-blank line of every batch is in records, duplicate_lines or quarantine, and counted as such.
    const accounted = `SELECT b.file, b.rows_ok + b.rows_corrected AS stored, b.rows_duplicate AS duplicate,
        (SELECT count(*) FROM records r WHERE r.batch_id = b.batch_id) AS in_records,
        (SELECT count(*) FROM duplicate_lines d WHERE d.batch_id = b.batch_id) AS in_duplicates FROM ingest_batches b ORDER BY b.ingested_at`;
    expect((await s.rows(accounted)).map((r) => [r.stored, r.duplicate, r.in_records, r.in_duplicates].map(Number))).toEqual([[2, 0, 2, 0], [1, 2, 1, 2]]);
  });

  it("a line repeating an earlier line of its file that repeats a stored row points at the stored row", async () => {
    const stored = await ingestFile(s.wh, s.write("v1.jsonl", jsonl([record({score: 1})])));
    // Line 1: the stored values in other text (deleted as same values); line 2: line 1's text; line 3: the same again.
    const other = `${JSON.stringify(record({score: 1}), null, 1).replaceAll("\n", "")}`;
    const file = s.write("v1.jsonl.again", `${other}\n${other}\n${other}\n`);
    expect(await ingestFile(s.wh, file, {runId: "v1"})).toMatchObject({rowsOk: 0, rowsCorrected: 0, rowsDuplicate: 3});
    const first = await s.rows("SELECT record_id FROM records WHERE batch_id = $1", [stored.batchId]);
    expect(await s.rows("SELECT line, record_id FROM duplicate_lines ORDER BY line")).toEqual([1n, 2n, 3n].map((line) => ({line, record_id: first[0].record_id})));
    // A file of the same line three times, new: the second and third point at the first.
    const same = await ingestFile(s.wh, s.write("same.jsonl", jsonl([record({item_id: "s"}), record({item_id: "s"}), record({item_id: "s"})])));
    expect(same).toMatchObject({rowsOk: 1, rowsDuplicate: 2});
    const kept = await s.rows("SELECT record_id FROM records WHERE batch_id = $1", [same.batchId]);
    expect(await s.rows("SELECT line, record_id FROM duplicate_lines WHERE batch_id = $1 ORDER BY line", [same.batchId])).toEqual(
      [2n, 3n].map((line) => ({line, record_id: kept[0].record_id}))
    );
  });

  it("absent key fields are NULL and match each other, but never the empty string", async () => {
    await ingestFile(s.wh, s.write("a.jsonl", jsonl([record({split: undefined}), record({split: null, item_id: "q2"})])));
    const second = await ingestFile(s.wh, s.write("b.jsonl", jsonl([record({split: null, score: 1}), record({split: "", score: 1})])), {runId: "r1"});
    expect(second).toMatchObject({rowsOk: 1, rowsCorrected: 1});
    const rows = await s.rows("SELECT split, count(*) AS n FROM records WHERE item_id = 'q1' GROUP BY split ORDER BY split NULLS FIRST");
    expect(rows).toEqual([
      {split: null, n: 2n},
      {split: "", n: 1n}
    ]);
    const keys = await s.rows("SELECT DISTINCT key_hash FROM records WHERE item_id = 'q1'");
    expect(keys).toHaveLength(2);
  });

  it("key_hash is md5 of the canonical key as a JSON array, content_hash md5 of run_id and the line: both 128-bit numbers", async () => {
    const line = JSON.stringify(record({harness: "h", trial: 3}));
    await ingestFile(s.wh, s.write("h.jsonl", `${line}\n`));
    // DuckDB's md5_number reads md5's 16 bytes as a little-endian number.
    const md5 = (text: string) => BigInt(`0x${createHash("md5").update(text).digest().reverse().toString("hex")}`);
    expect(await s.rows("SELECT key_hash, content_hash FROM records")).toEqual([
      {key_hash: md5(JSON.stringify(["qa", null, "r1", "m1", "h", null, null, "q1", "3"])), content_hash: md5(`r1\n${line}`)}
    ]);
  });

  it("never fetches a DuckDB extension, and the report's loaders read no file but the warehouse", async () => {
    // Where a network exists, DuckDB would otherwise download httpfs for this query without a word.
    await expect(s.rows("SELECT * FROM 'https://example.com/runs.csv'")).rejects.toThrow(/Missing Extension Error: .*requires the extension httpfs to be loaded/);
    const path = `${s.dir}/site.duckdb`;
    (await openWarehouse(path)).close();
    const site = await openReadOnly(path);
    try {
      expect((await site.connection.runAndReadAll("SELECT count(*)::INTEGER FROM records")).getRows()).toEqual([[0]]);
      const csv = s.write("other.csv", "a,b\n1,2\n");
      await expect(site.connection.run(`SELECT * FROM read_csv(${JSON.stringify(csv)})`)).rejects.toThrow(/file system operations are disabled by configuration/);
    } finally {
      site.close();
    }
  });

  it("close() closes the warehouse's other connections too, so the file is really released", async () => {
    const path = `${s.dir}/shared.duckdb`;
    const wh = await openWarehouse(path);
    const other = await wh.connect();
    await other.run("CREATE TABLE note AS SELECT 1 AS x");
    wh.close();
    await expect(other.run("SELECT 1")).rejects.toThrow(/connection disconnected/);
    // Another process can now open it for writing (a connection left open kept the database, and its lock, alive).
    const child = spawnSync(process.execPath, ["--input-type=module", "-e",
      `import {DuckDBInstance} from "@duckdb/node-api"; const c = await (await DuckDBInstance.create(${JSON.stringify(path)})).connect(); console.log((await c.runAndReadAll("SELECT x FROM note")).getRows()[0][0]);`
    ], {cwd: PROJECT_ROOT, encoding: "utf8"});
    expect([child.status, child.stdout.trim(), child.stderr]).toEqual([0, "1", ""]);
  });

  it("names the process that holds the warehouse open, and says what to do", async () => {
    const path = `${s.dir}/held.duckdb`;
    // Another process opens the warehouse and keeps it until killed.
    const holder = spawn(process.execPath, ["--input-type=module", "-e",
      `import {DuckDBInstance} from "@duckdb/node-api"; await DuckDBInstance.create(${JSON.stringify(path)}); console.log("open"); setInterval(() => {}, 1000);`
    ], {cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "inherit"]});
    try {
      await new Promise((resolve) => holder.stdout.once("data", resolve));
      await expect(openWarehouse(path)).rejects.toThrow(
        new RegExp(`held\\.duckdb: the warehouse is open in another process \\(.*node, PID ${holder.pid}\\).*wait for that one to finish \\(or stop it\\), or use another warehouse \\(--db PATH\\)`)
      );
    } finally {
      holder.kill();
    }
  });

  it("refuses a warehouse whose hashes are md5 hex text (an earlier layout), saying what to do", async () => {
    const path = `${s.dir}/old.duckdb`;
    const old = await DuckDBInstance.create(path);
    const c = await old.connect();
    await c.run("CREATE TABLE records (key_hash VARCHAR, content_hash VARCHAR)");
    c.closeSync();
    old.closeSync();
    await expect(openWarehouse(path)).rejects.toThrow(/records\.key_hash is md5 hex text, now md5's 128-bit number\); ingest into a new warehouse \(--db NEW_PATH\) or delete this one/);
  });

  it("a file this user may not read is an IngestError naming it and saying what to do, so ingest goes on to the next file", async () => {
    // Root reads a file of mode 000, so the error is made as node reports it to anyone else.
    const denied = Object.assign(new Error("EACCES: permission denied, open 'runs.jsonl'"), {code: "EACCES", errno: -13, syscall: "open", path: "runs.jsonl"});
    const err = fileError("runs.jsonl", denied);
    // It was node's error, which is not an IngestError: benchlab ingest stopped there, leaving the files after it unread.
    expect(err).toBeInstanceOf(IngestError);
    expect(err.message).toBe("runs.jsonl: not readable by this user (permission denied); make it readable (e.g. chmod a+r runs.jsonl) or run as its owner");
  });

  it("a warehouse file this user may not open is refused with its path and what to check", async () => {
    // A read-only sysfs file: DuckDB cannot open it for writing, even as root.
    const path = "/sys/kernel/notes";
    if (!existsSync(path)) return;
    await expect(openWarehouse(path)).rejects.toThrow(
      `${path}: permission denied; give a warehouse this user can read and write (benchlab opens it for writing, even to list it): check the file's owner and mode, and its folder's, or use a copy`
    );
  });

  it("a missing warehouse is refused, pointing at the build's warehouse once a build made one", async () => {
    const missing = `${s.dir}/nope.duckdb`;
    const build = `${s.dir}/build.duckdb`;
    const refusal = `${missing}: no warehouse there; give the --db of an existing one, or ingest run records first (benchlab ingest --db ${missing} FILE)`;
    expect(missingWarehouse(missing, build).message).toBe(refusal);
    (await openWarehouse(build)).close();
    expect(missingWarehouse(missing, build).message).toBe(`${refusal}; the bundled data is in ${build} (made, and remade, by npm run build)`);
    // Asked for the build's warehouse itself, there is nothing else to point at.
    expect(missingWarehouse(build, build).message).not.toContain("the bundled data is in");
    await expect(openWarehouse(missing, {existing: true})).rejects.toThrow(refusal);
  });

  it("adds ingest_batches.options to a warehouse made before it, keeping the batches there", async () => {
    const path = `${s.dir}/before-options.duckdb`;
    const old = await DuckDBInstance.create(path);
    const c = await old.connect();
    await c.run(`CREATE TABLE ingest_batches (batch_id VARCHAR PRIMARY KEY, file VARCHAR NOT NULL, file_sha256 VARCHAR NOT NULL,
      ingested_at TIMESTAMP NOT NULL, snapshot_id VARCHAR, kind VARCHAR NOT NULL, rows_ok BIGINT NOT NULL, rows_duplicate BIGINT NOT NULL,
      rows_corrected BIGINT NOT NULL, rows_rejected BIGINT NOT NULL)`);
    await c.run("INSERT INTO ingest_batches VALUES ('b0', 'old.jsonl', 'x', now()::TIMESTAMP, NULL, 'jsonl', 1, 0, 0, 0)");
    c.closeSync();
    old.closeSync();
    const wh = await openWarehouse(path);
    try {
      await ingestFile(wh, s.write("new.jsonl", jsonl([record()])), {runId: "given"});
      const rows = (await wh.connection.runAndReadAll("SELECT batch_id, options::VARCHAR AS options FROM ingest_batches ORDER BY ingested_at")).getRowObjectsJS();
      expect(rows).toEqual([
        {batch_id: "b0", options: null},
        {batch_id: expect.any(String), options: '{"run_id":"given"}'}
      ]);
    } finally {
      wh.close();
    }
  });
});

describe("ingest: CSV long tables", () => {
  const header = "benchmark,item_id,model,run_id,passed,score,cost_usd,slices";
  it("maps columns by header, converts by field type, and an empty cell is NULL", async () => {
    const file = s.write("t.csv", `${header}\nqa,q1,m1,r1,true,0.5,,\nqa,q2,m1,r1,0,,0.01,"{""k"":""v""}"\n`);
    expect(await ingestFile(s.wh, file)).toMatchObject({rowsOk: 2, rowsRejected: 0});
    expect(await s.rows("SELECT item_id, passed, score, cost_usd, slices['k'] AS k, line FROM records ORDER BY line")).toEqual([
      {item_id: "q1", passed: true, score: 0.5, cost_usd: null, k: null, line: 2n},
      {item_id: "q2", passed: false, score: null, cost_usd: 0.01, k: "v", line: 3n}
    ]);
  });

  it("maps columns by flag (slices.NAME collects tags), and reports a bad cell by field and line", async () => {
    const file = s.write("swe.csv.gz", gzipSync("instance_id,model_tag,resolved,repo,note\nastropy-1,gpt,1,astropy/astropy,x\nastropy-2,gpt,maybe,astropy/astropy,y\n"));
    const summary = await ingestFile(s.wh, file, {
      runId: "mini",
      columns: {item_id: "instance_id", model: "model_tag", passed: "resolved", "slices.repo": "repo"},
      ignoreColumns: ["note"],
      format: "csv"
    });
    expect(summary).toMatchObject({rowsOk: 0, rowsRejected: 2});
    // benchmark is not mapped: every row lacks it.
    expect((await quarantine()).map((r) => [r.line, r.field])).toEqual([
      [2n, "benchmark"],
      [3n, "benchmark"]
    ]);
    const again = await ingestFile(s.wh, s.write("swe2.csv", "benchmark,instance_id,model_tag,resolved,repo\nswe,astropy-1,gpt,1,astropy/astropy\nswe,astropy-2,gpt,maybe,astropy/astropy\n"), {
      runId: "mini",
      columns: {item_id: "instance_id", model: "model_tag", passed: "resolved", "slices.repo": "repo"}
    });
    expect(again).toMatchObject({rowsOk: 1, rowsRejected: 1, firstRejection: {line: 3, field: "passed"}});
    expect(await s.rows("SELECT item_id, passed, slices['repo'] AS repo FROM records")).toEqual([{item_id: "astropy-1", passed: true, repo: "astropy/astropy"}]);
  });

  it("--set gives every row a field the file has no column for (a record field or a slice tag)", async () => {
    const file = s.write("set.csv", "instance_id,model_tag,resolved,repo\nastropy-1,gpt,1,astropy/astropy\nastropy-2,gpt,0,astropy/astropy\n");
    const summary = await ingestFile(s.wh, file, {
      runId: "mini",
      columns: {item_id: "instance_id", model: "model_tag", passed: "resolved", "slices.repo": "repo"},
      constants: {benchmark: "swe-bench-verified", trial: "2", "slices.source": "leaderboard"}
    });
    expect(summary).toMatchObject({rowsOk: 2, rowsRejected: 0});
    expect(await s.rows("SELECT benchmark, item_id, trial, passed, slices['repo'] AS repo, slices['source'] AS source FROM records ORDER BY line")).toEqual([
      {benchmark: "swe-bench-verified", item_id: "astropy-1", trial: 2n, passed: true, repo: "astropy/astropy", source: "leaderboard"},
      {benchmark: "swe-bench-verified", item_id: "astropy-2", trial: 2n, passed: false, repo: "astropy/astropy", source: "leaderboard"}
    ]);
    // A constant is checked like a cell: a trial that is not a whole number rejects every row, by field.
    const bad = await ingestFile(s.wh, s.write("set-bad.csv", "benchmark,item_id,model,passed\nqa,q1,m1,true\n"), {runId: "r", constants: {trial: "first"}});
    expect(bad).toMatchObject({rowsOk: 0, rowsRejected: 1, firstRejection: {line: 2, field: "trial"}});
  });

  it("--set refuses a field that is no record field or that a column already gives; CSV options on JSONL are an error", async () => {
    const file = s.write("set2.csv", "benchmark,item_id,model,passed,repo\nqa,q1,m1,true,r\n");
    await expect(ingestFile(s.wh, file, {constants: {colour: "red"}, ignoreColumns: ["repo"]})).rejects.toThrow(/set2\.csv: --set colour=red: "colour" is not a run-record field/);
    await expect(ingestFile(s.wh, file, {constants: {benchmark: "other"}, ignoreColumns: ["repo"]})).rejects.toThrow(
      /--set benchmark=other: a column of the file already gives benchmark; drop --set or leave the column out with --ignore-column/
    );
    await expect(ingestFile(s.wh, file, {columns: {"slices.repo": "repo"}, constants: {"slices.repo": "x"}})).rejects.toThrow(/--set slices\.repo=x: a column of the file already gives slices\.repo/);
    const json = s.write("r.jsonl", jsonl([record()]));
    await expect(ingestFile(s.wh, json, {columns: {item_id: "id"}, ignoreColumns: ["x"], constants: {benchmark: "qa"}})).rejects.toThrow(
      /r\.jsonl: --map and --ignore-column do not apply to this file, read as jsonl \(--map, --ignore-column and --delimiter: CSV; --set: CSV and JSONL\)/
    );
    await expect(ingestFile(s.wh, json, {format: "tau2", constants: {benchmark: "qa"}})).rejects.toThrow(/r\.jsonl: --set does not apply to this file, read as tau2/);
    expect(await s.rows("SELECT count(*) AS n FROM records")).toEqual([{n: 0n}]);
  });

  it("--set on JSON lines: written into each line as if the file gave it; a line that gives the field is rejected", async () => {
    const other = JSON.stringify(record({item_id: "q3"}));
    const lines = [
      record({benchmark: undefined}),
      record({benchmark: undefined, item_id: "q2", trial: undefined, passed: false}),
      `  ${other}`, // has its own benchmark
      "{}",
      `{"item_id":"q5","model":"m1","passed":true,}`, // DuckDB reads a trailing comma; JSON.parse does not
      "[1]"
    ].map((l) => (typeof l === "string" ? l : JSON.stringify(l)));
    const file = s.write("nobench.jsonl", `${lines.join("\n")}\n`);
    const first = await ingestFile(s.wh, file, {constants: {benchmark: "qa", trial: "3"}});
    expect(first).toMatchObject({rowsOk: 2, rowsRejected: 4, reader: "duckdb"});
    expect(await s.rows("SELECT benchmark, item_id, trial, passed FROM records ORDER BY line")).toEqual([
      {benchmark: "qa", item_id: "q1", trial: 3n, passed: true},
      {benchmark: "qa", item_id: "q2", trial: 3n, passed: false}
    ]);
    // The quarantine keeps each line as it is in the file; a syntax error is placed in that text.
    expect(await s.rows("SELECT line, field, reason, raw FROM quarantine ORDER BY line")).toEqual([
      {line: 3n, field: "benchmark", reason: "benchmark is given both by the line and by --set benchmark=qa; drop it from the line or the --set", raw: `  ${other}`},
      {line: 4n, field: "item_id", reason: "item_id: required field is missing; model: required field is missing", raw: "{}"},
      {line: 5n, field: null, reason: expect.stringMatching(/^malformed JSON: .* at position 43/), raw: lines[4]},
      {line: 6n, field: null, reason: "expected one JSON object per line, found an array", raw: "[1]"}
    ]);
    expect(JSON.parse.bind(null, lines[4])).toThrow(/position 43/);
    // The value is part of the row: the same --set again adds nothing, another value makes other records.
    expect(await ingestFile(s.wh, file, {constants: {benchmark: "qa", trial: "3"}})).toMatchObject({rowsOk: 0, rowsDuplicate: 2});
    expect(await ingestFile(s.wh, file, {constants: {benchmark: "qb", trial: "3"}})).toMatchObject({rowsOk: 2, rowsDuplicate: 0});
    // Checked like a CSV cell, and the same with JavaScript's line reader (a line of invalid UTF-8 sends it there).
    const latin = s.write("latin.jsonl", Buffer.concat([Buffer.from(`${lines.slice(0, 2).join("\n")}\n`), Buffer.from([0xff, 0x0a])]));
    const js = await ingestFile(s.wh, latin, {constants: {benchmark: "qa", trial: "first"}});
    expect(js).toMatchObject({reader: "javascript", rowsOk: 0, rowsRejected: 3, firstRejection: {line: 1, field: "trial"}});
    // A batch records the options that shaped its rows; one without any records none.
    expect(await s.rows("SELECT options::VARCHAR AS options FROM ingest_batches ORDER BY ingested_at")).toEqual([
      {options: '{"set":{"benchmark":"qa","trial":"3"}}'},
      {options: '{"set":{"benchmark":"qa","trial":"3"}}'},
      {options: '{"set":{"benchmark":"qb","trial":"3"}}'},
      {options: '{"set":{"benchmark":"qa","trial":"first"}}'}
    ]);
    await ingestFile(s.wh, s.write("plain.jsonl", jsonl([record({item_id: "z"})])));
    await ingestFile(s.wh, s.write("given.jsonl", jsonl([record({item_id: "y", run_id: undefined})])), {runId: "R", strict: true});
    expect(await s.rows("SELECT options::VARCHAR AS options FROM ingest_batches WHERE file LIKE '%/plain.jsonl' OR file LIKE '%/given.jsonl' ORDER BY ingested_at")).toEqual([
      {options: null},
      {options: '{"run_id":"R","strict":true}'}
    ]);
    // A slice tag cannot be written into a JSON line's own slices map; the message says how to give the whole map.
    await expect(ingestFile(s.wh, file, {constants: {"slices.repo": "x"}})).rejects.toThrow(/--set slices\.repo=x: a slice tag is set on CSV rows only; for JSON lines give the whole map, e\.g\. --set 'slices=\{"repo":"x"\}'/);
    await ingestFile(s.wh, s.write("sliced.jsonl", jsonl([record({item_id: "s1"})])), {constants: {slices: '{"repo":"x"}'}});
    expect(await s.rows("SELECT slices['repo'] AS repo FROM records WHERE item_id = 's1'")).toEqual([{repo: "x"}]);
  });

  it("a header that maps to no field is an error for the whole file, naming the fix", async () => {
    const file = s.write("u.csv", "benchmark,item_id,model,colour\nqa,q1,m1,red\n");
    await expect(ingestFile(s.wh, file)).rejects.toThrow(/column "colour" matches no run-record field; map with --map FIELD=HEADER .* or skip with --ignore-column HEADER/);
    expect(await s.rows("SELECT count(*) AS n FROM records")).toEqual([{n: 0n}]);
  });

  it("reads tab-separated .tsv files, and any one-character separator given as delimiter", async () => {
    const tsv = s.write("runs.tsv.gz", gzipSync("benchmark\titem_id\tmodel\tscore\toutput\nqa\tq1\tm1\t0.5\ta, b; c\n"));
    expect(await ingestFile(s.wh, tsv, {runId: "r"})).toMatchObject({rowsOk: 1, rowsRejected: 0});
    const semi = s.write("export.csv", "benchmark;item_id;model;score\nqa;q2;m1;0,75\nqa;q3;m1;1\n");
    // A decimal comma is not a number: the row is rejected for its score, not misread.
    expect(await ingestFile(s.wh, semi, {runId: "r", delimiter: ";"})).toMatchObject({rowsOk: 1, rowsRejected: 1});
    expect(await quarantine()).toEqual([{line: 2n, field: "score", reason: "score: Invalid input: expected number, received string"}]);
    expect(await s.rows("SELECT item_id, score, output FROM records ORDER BY item_id")).toEqual([
      {item_id: "q1", score: 0.5, output: "a, b; c"},
      {item_id: "q3", score: 1, output: null}
    ]);
    expect(await s.rows("SELECT options::VARCHAR AS options FROM ingest_batches ORDER BY ingested_at")).toEqual([
      {options: '{"run_id":"r"}'},
      {options: '{"run_id":"r","delimiter":";"}'}
    ]);
    // A number beyond a double's range is rejected for its field, as in JSONL, not stored as a gap.
    const huge = s.write("huge.csv", "benchmark,item_id,model,score\nqa,h1,m1,1e999\n");
    expect(await ingestFile(s.wh, huge, {runId: "r"})).toMatchObject({rowsOk: 0, rowsRejected: 1});
    expect((await quarantine()).at(-1)).toMatchObject({field: "score"});
    await expect(ingestFile(s.wh, semi, {delimiter: ";;"})).rejects.toThrow(/--delimiter ";;": give one character other than a quote or a line end/);
    await expect(ingestFile(s.wh, s.write("d.jsonl", jsonl([record()])), {delimiter: ";"})).rejects.toThrow(/--delimiter does not apply to this file, read as jsonl/);
  });

  it("reads a header named slices.NAME as a slice tag", async () => {
    const file = s.write("tagged.csv", "benchmark,item_id,model,passed,slices.repo,slices.topic\nqa,q1,m1,true,astropy,\n");
    expect(await ingestFile(s.wh, file, {runId: "r"})).toMatchObject({rowsOk: 1, rowsRejected: 0});
    // An empty cell is no tag (a gap, not an empty value).
    expect(await s.rows("SELECT to_json(slices)::VARCHAR AS slices FROM records")).toEqual([{slices: '{"repo":"astropy"}'}]);
  });

  it("a tag named __proto__ is a tag like any other; a tag the slices column gives too is rejected, naming it", async () => {
    const proto = s.write("proto.csv", "benchmark,item_id,model,passed,slices.__proto__,slices.repo\nqa,q1,m1,true,x,astropy\n");
    expect(await ingestFile(s.wh, proto, {runId: "r"})).toMatchObject({rowsOk: 1, rowsRejected: 0});
    expect(await s.rows("SELECT to_json(slices)::VARCHAR AS slices FROM records")).toEqual([{slices: '{"__proto__":"x","repo":"astropy"}'}]);
    const both = s.write("both.csv", 'benchmark,item_id,model,passed,slices,slices.repo\nqa,q2,m1,true,"{""repo"":""a""}",b\nqa,q3,m1,true,"{""topic"":""t""}",b\n');
    expect(await ingestFile(s.wh, both, {runId: "r"})).toMatchObject({rowsOk: 1, rowsRejected: 1});
    expect(await quarantine()).toEqual([
      {line: 2n, field: "slices.repo", reason: "slices.repo: given both by the slices column and by a slices.repo column or --set, so its value is ambiguous; keep one"}
    ]);
    expect(await s.rows("SELECT item_id, to_json(slices)::VARCHAR AS slices FROM records WHERE item_id <> 'q1'")).toEqual([{item_id: "q3", slices: '{"topic":"t","repo":"b"}'}]);
  });

  it("CSV gzip data cut short, or a record longer than JavaScript's longest string (a gzip bomb), is an error naming the file; nothing is stored", async () => {
    const cut = s.write("cut.csv.gz", gzipSync("benchmark,item_id,model,passed\nqa,q1,m1,true\n").subarray(0, 30));
    await expect(ingestFile(s.wh, cut)).rejects.toThrow(/cut\.csv\.gz: the gzip data is corrupt or cut short \(.*\); copy the file again/);
    const path = join(s.dir, "bomb.csv.gz");
    const gzip = createGzip({level: 1});
    const written = pipeline(gzip, createWriteStream(path));
    gzip.write("benchmark,item_id,model,passed,output\nqa,q1,m1,true,ok\nqa,q2,m1,true,");
    const chunk = Buffer.alloc(1 << 20, "a");
    for (let left = MAX_LINE_BYTES + 1; left > 0; left -= chunk.length) {
      if (!gzip.write(chunk.subarray(0, Math.min(left, chunk.length)))) await once(gzip, "drain");
    }
    gzip.end("\nqa,q3,m1,true,ok\n");
    await written;
    await expect(ingestFile(s.wh, path)).rejects.toThrow(
      new IngestError(
        `${path}: the CSV record that reaches line 3 is longer than one record can be (${MAX_LINE_BYTES.toLocaleString("en-US")} bytes, the longest text JavaScript holds; a quote opened and never closed?); nothing of the file was stored`
      )
    );
    expect(await s.rows("SELECT count(*) AS n FROM records")).toEqual([{n: 0n}]);
  }, 120_000);

  it("a header read as one column suggests the separator; two columns for one field are named", async () => {
    const semi = s.write("semi.csv", "benchmark;item_id;model;passed\nqa;q1;m1;true\n");
    await expect(ingestFile(s.wh, semi)).rejects.toThrow(/the header reads as one column: if the file's columns are separated by ";", give --delimiter ';'/);
    const tabs = s.write("tabs.csv", "benchmark\titem_id\tmodel\tpassed\nqa\tq1\tm1\ttrue\n");
    await expect(ingestFile(s.wh, tabs)).rejects.toThrow(/separated by "\\t", give --delimiter tab/);
    const mapped = s.write("two.csv", "benchmark,item_id,model,passed,resolved\nqa,q1,m1,true,1\n");
    await expect(ingestFile(s.wh, mapped, {columns: {passed: "resolved"}})).rejects.toThrow(
      /two\.csv: passed is given by more than one column \("passed" and "resolved"\); leave all but one out with --ignore-column HEADER/
    );
    const tags = s.write("tags.csv", "benchmark,item_id,model,passed,topic,slices.topic\nqa,q1,m1,true,a,b\n");
    await expect(ingestFile(s.wh, tags, {columns: {"slices.topic": "topic"}})).rejects.toThrow(
      /tags\.csv: slices\.topic is given by more than one column \("topic" and "slices\.topic"\)/
    );
    const jsonLines = s.write("lines.jsonl", `${JSON.stringify(record({item_id: "j1"}))}\n`);
    await expect(ingestFile(s.wh, jsonLines, {format: "csv"})).rejects.toThrow(/lines\.jsonl: columns .* match no run-record field; the first line is a JSON object: for JSON lines, leave out --format csv$/);
    const same = s.write("same.csv", "benchmark,item_id,model,passed,passed\nqa,q1,m1,true,false\n");
    await expect(ingestFile(s.wh, same)).rejects.toThrow(/same\.csv: the header has 2 columns named "passed"; rename or remove all but one/);
    expect(await s.rows("SELECT count(*) AS n FROM records")).toEqual([{n: 0n}]);
  });

  it("a row with the wrong number of columns is rejected with its line", async () => {
    const file = s.write("n.csv", "benchmark,item_id,model,passed\nqa,q1,m1,true\nqa,q2,m1\nqa,q3,m1,false\n");
    expect(await ingestFile(s.wh, file, {runId: "r"})).toMatchObject({rowsOk: 2, rowsRejected: 1});
    expect(await quarantine()).toEqual([{line: 3n, field: null, reason: "row has 3 columns, the header has 4"}]);
  });

  it("a quote inside an unquoted field is text, and the lines after it are read; a quote never closed is one rejected row naming the lines it took", async () => {
    const rows = ['qa,r1,m1,1,ok', 'qa,r2,m1,1,"5" inches', 'qa,r3,m1,1,fine', 'qa,r4,m1,1,he said "hi" and "bye"', 'qa,r5,m1,1,"two\nlines"', 'qa,r6,m1,1,fine'];
    const file = s.write("quotes.csv", `benchmark,item_id,model,score,output\n${rows.join("\n")}\n`);
    expect(await ingestFile(s.wh, file, {runId: "r"})).toMatchObject({rowsOk: 6, rowsRejected: 0});
    expect(await s.rows("SELECT item_id, line, output FROM records ORDER BY line")).toEqual([
      {item_id: "r1", line: 2n, output: "ok"},
      {item_id: "r2", line: 3n, output: '"5" inches'},
      {item_id: "r3", line: 4n, output: "fine"},
      {item_id: "r4", line: 5n, output: 'he said "hi" and "bye"'},
      {item_id: "r5", line: 6n, output: "two\nlines"},
      {item_id: "r6", line: 8n, output: "fine"}
    ]);

    const open = s.write("open.csv", 'benchmark,item_id,model,score,output\nqa,o1,m1,1,ok\nqa,o2,m1,1,"5 inches\nqa,o3,m1,1,fine\nqa,o4,m1,1,fine\n');
    expect(await ingestFile(s.wh, open, {runId: "r"})).toMatchObject({rowsOk: 1, rowsRejected: 1});
    const [rejected] = await s.rows("SELECT line, reason, raw FROM quarantine");
    expect(rejected).toEqual({
      line: 3n,
      reason: expect.stringMatching(/^malformed CSV: Quote Not Closed.*; lines 3-5 were read as this one record \(a quote opened and never closed\?\), and none of them is stored$/),
      raw: 'qa,o2,m1,1,"5 inches'
    });
  });
});
