/**
 * The SQL checks generated from the zod schema must agree with zod: ingest stores exactly the lines that
 * JSON.parse + RunRecord.safeParse (+ the storage conditions: calendar dates, well-formed Unicode) accept, with
 * the values zod produces. Random lines mix valid and invalid values of every type, unknown and duplicate keys,
 * numbers JSON.parse and DuckDB read differently, and escapes.
 */
import fc from "fast-check";
import {DuckDBInstance} from "@duckdb/node-api";
import {describe, expect, it} from "vitest";
import {explainRow} from "../../data-loaders/ingest/explain.ts";
import {ingestFile} from "../../data-loaders/ingest/index.ts";
import {recordSql} from "../../data-loaders/ingest/schema-sql.ts";
import {RECORD_KEY, RunRecordShape} from "../../src/lib/schema.ts";
import {useScratch} from "./helpers.ts";

const s = useScratch();
const FIELDS = Object.keys(RunRecordShape);

/** JSON texts of values of every kind, valid for some fields and not for others. */
const VALUE_TEXTS = [
  "null", "true", "false", "0", "-0", "1", "2", "1.5", "-1", "1e2", "1.0", "0.1", "1e-7", "1e400", "-1e400",
  "9007199254740991", "9007199254740993", "123456789012345678901", '""', '"a"', '"a\\"b\\\\c"', '"\\u0000x"', '"é😀"',
  '"\\ud83d\\ude00"', '"\\ud800"', '"2024-02-29"', '"2023-02-29"', '"2000-02-29T00:00Z"', '"1900-02-29"', '"2024-1-2"', '"2025-01-02T03:04:05Z"', `"${"a".repeat(64)}"`,
  `"${"A".repeat(64)}"`, "[]", "{}", '{"k":"v"}', '{"k":1}', '{"k":"v","k":"w"}', '[{"actor":"agent","tool":"t","arguments":{"x":[1,null]}}]',
  '[{"actor":"robot"}]', '[{"actor":"user","extra":1}]', '{"a":{"b":[true,null]}}'
];
const valueText = fc.constantFrom(...VALUE_TEXTS);
/** Per field, the value texts its own zod schema accepts, so that most generated records are valid. */
const validTexts = (field: string) =>
  VALUE_TEXTS.filter((t) => (RunRecordShape as Record<string, {safeParse(v: unknown): {success: boolean}}>)[field].safeParse(JSON.parse(t)).success);
const pair = fc.oneof(
  {weight: 6, arbitrary: fc.constantFrom(...FIELDS).chain((f) => fc.tuple(fc.constant(f), fc.constantFrom(...validTexts(f))))},
  {weight: 1, arbitrary: fc.tuple(fc.constantFrom(...FIELDS), valueText)},
  {weight: 1, arbitrary: fc.tuple(fc.constantFrom("colour", "Score", ""), valueText)}
);
/** A line: mostly plausible records (required fields with string values) plus random pairs, in random order. */
const line = fc
  .record({
    required: fc.subarray(["benchmark", "item_id", "model", "run_id"], {minLength: 2}),
    outcome: fc.subarray(["score", "passed", "output"]),
    extra: fc.array(pair, {maxLength: 4}),
    spaced: fc.boolean(),
    order: fc.array(fc.nat(), {minLength: 16, maxLength: 16})
  })
  .map(({required, outcome, extra, spaced, order}) => {
    const pairs: [string, string][] = [
      ...required.map((k): [string, string] => [k, `"${k}-v"`]),
      ...outcome.map((k): [string, string] => [k, k === "score" ? "0.5" : k === "passed" ? "true" : '"out"']),
      ...extra
    ];
    const shuffled = pairs.map((p, i) => ({p, o: order[i % order.length] + i / 100})).sort((a, b) => a.o - b.o).map((x) => x.p);
    const sep = spaced ? ", " : ",";
    return `{${shuffled.map(([k, v]) => `${JSON.stringify(k)}${spaced ? ": " : ":"}${v}`).join(sep)}}`;
  });

describe("SQL checks agree with zod", () => {
  it("ingest stores exactly the lines zod accepts, with zod's values", async () => {
    let accepted = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, {minLength: 20, maxLength: 40}), async (lines) => {
        await s.wh.connection.run("DELETE FROM records; DELETE FROM quarantine; DELETE FROM ingest_batches");
        const file = s.write("random.jsonl", lines.join("\n") + "\n");
        await ingestFile(s.wh, file, {runId: "fallback"});
        const verdicts = lines.map((raw) => explainRow(raw, {runId: "fallback", unterminatedLastLine: false}));
        for (const v of verdicts) v.ok ? accepted++ : rejected++;
        const stored = await s.rows(`SELECT line, ${FIELDS.map((f) => `"${f}"`).join(", ")} FROM records ORDER BY line`);
        const quarantined = await s.rows("SELECT line, field FROM quarantine ORDER BY line");
        // Expected rows: accepted lines, minus a repeat of an earlier line's text, minus a line whose values equal
        // the previous stored version of its key (the same record in other text).
        const seenTexts = new Set<string>();
        const lastValues = new Map<string, string>();
        const expectedStored: bigint[] = [];
        verdicts.forEach((v, i) => {
          if (!v.ok) return;
          const z = JSON.parse(v.canonical) as Record<string, unknown>;
          const text = `${z.run_id}\n${lines[i]}`;
          if (seenTexts.has(text)) return;
          seenTexts.add(text);
          const key = JSON.stringify(RECORD_KEY.map((f) => z[f] ?? null));
          const values = JSON.stringify(FIELDS.map((f) => z[f] ?? null));
          if (lastValues.get(key) === values) return;
          lastValues.set(key, values);
          expectedStored.push(BigInt(i + 1));
        });
        expect(stored.map((r) => r.line)).toEqual(expectedStored);
        expect(quarantined.map((r) => r.line)).toEqual(verdicts.flatMap((v, i) => (v.ok ? [] : [BigInt(i + 1)])));
        for (const row of stored) {
          const v = verdicts[Number(row.line) - 1];
          if (!v.ok) continue;
          const zod = JSON.parse(v.canonical) as Record<string, unknown>;
          for (const f of ["benchmark", "run_id", "score", "passed", "output", "tokens_in"]) {
            const want = zod[f] ?? null;
            const got = typeof row[f] === "bigint" ? Number(row[f]) : row[f];
            expect(got, `line ${row.line} field ${f}: ${lines[Number(row.line) - 1]}`).toEqual(want);
          }
          expect(Number(row.trial)).toBe(zod.trial);
        }
      }),
      {numRuns: 15, seed: 20261122}
    );
    // The generator must exercise both outcomes in earnest.
    expect(accepted).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(100);
  }, 120_000);

  it("the fast path alone accepts plain records as JSON.stringify writes them", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    const sql = recordSql("$1");
    const lines = [
      {benchmark: "b", item_id: "1", model: "m", passed: true},
      {benchmark: "b", item_id: "2", model: "m", run_id: "r", split: "test", trial: 3, score: 0.25, output: 'say "hi"\n', latency_ms: 1.5, cost_usd: 0, tokens_in: 7, tokens_out: 0, run_at: "2025-01-02", slices: {repo: "a/b", n: "3"}, item_added: "2024-02-29", prompt_sha256: "0".repeat(64)},
      {benchmark: "b", item_id: "3", model: "m", split: null, score: -2e-7}
    ].map((r) => JSON.stringify(r).replaceAll("'", "''"));
    await conn.run(`CREATE TEMP TABLE lines AS SELECT * FROM (VALUES ${lines.map((l, i) => `(${i + 1}::BIGINT, '${l}', NULL::VARCHAR)`).join(", ")}) t(line, raw, source)`);
    const fast = await conn.runAndReadAll(`SELECT line, score, slices['repo'] AS repo, item_added::VARCHAR AS d FROM (${sql.fastSelect("lines")}) ORDER BY line`, ["fb"]);
    expect(fast.getRowObjectsJS()).toEqual([
      {line: 1n, score: null, repo: null, d: null},
      {line: 2n, score: 0.25, repo: "a/b", d: "2024-02-29"},
      {line: 3n, score: -2e-7, repo: null, d: null}
    ]);
    conn.closeSync();
    instance.closeSync();
  });
});
