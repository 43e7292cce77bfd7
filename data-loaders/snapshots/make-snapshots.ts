/**
 * Regenerates `snapshots/` from the shared real data (`../shared/data`). Run by a developer, never by the build:
 *
 *     npx tsx data-loaders/snapshots/make-snapshots.ts [--from ../shared/data] [--to snapshots]
 *
 * Each source becomes `snapshots/<snapshot_date>-<slug>/` holding gzip-compressed data files, the upstream
 * SOURCE.md verbatim, a LICENCE.md with the licence or notice the source requires, and a manifest.json
 * (validated by `SnapshotManifest`) with the sha256 and row count of every data file.
 *
 * Mapping choices (methodology_version "1"):
 * - Per-item data becomes native run-record JSONL (`*.records.jsonl.gz`, one `RunRecord` per line).
 * - Leaderboard tables become `*.results.jsonl.gz`: one `AggregateResult` per (entry, metric) plus the source's
 *   other columns as text `attributes` (see result-line.ts). Values keep the source's scale; the unit is in the
 *   metric name (`_pct` = percent). Nothing is dropped: collisions and duplicates are kept and flagged in `notes`.
 * - Label files (TriviaQA, LLMBar) and raw tables are gzipped byte-for-byte (`*.csv.gz`, `*.json.gz`), so the
 *   decompressed bytes match the sha256 in the upstream SOURCE.md inventory.
 * - An empty upstream field is null or absent, never a filler value.
 * gzip output is deterministic (zlib, level 9, no timestamp), so regenerating unchanged data rewrites identical bytes.
 */
import {Command} from "commander";
import {parse as parseCsv} from "csv-parse/sync";
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync} from "node:fs";
import {basename, join, resolve} from "node:path";
import {pathToFileURL} from "node:url";
import {gzipSync} from "node:zlib";
import {type RunRecordInput, RunRecord, SnapshotManifest, type VerificationTier} from "../../src/lib/schema.ts";
import {describeZodIssues} from "../../src/lib/zod-issues.ts";
import {PROJECT_ROOT} from "../warehouse.ts";
import {type SnapshotFile, type SnapshotFileKind, writeSnapshotFolder} from "./manifest.ts";
import {parseResultLine, RESULT_FLAGS, type ResultAttributes, type ResultLine, SOURCE_SNAPSHOTS_FILE, SourceSnapshot} from "./result-line.ts";

/** The date the shared data was taken from upstream (README_datasets.md). */
const TAKEN = "2026-11-22";
const METHODOLOGY_VERSION = "1";

type Row = Record<string, string>;

export interface SnapshotSpec {
  title: string;
  /** Upstream folder in the shared data, whose SOURCE.md is copied verbatim. */
  folder: string;
  source: string;
  source_commit: string | null;
  licence: string;
  licenceText: string;
  sources: string[];
  notes: string;
  files: SnapshotFile[];
  /** Extra upstream notes copied verbatim next to SOURCE.md (e.g. the registry's own README with its licence). */
  extraNotes?: string[];
}

function readCsv(path: string): Row[] {
  return parseCsv(readFileSync(path), {columns: true, bom: true, skip_empty_lines: false}) as Row[];
}

/** Empty upstream field -> null; anything else -> the number it spells, or an error naming the field. */
function num(row: Row, field: string, where: string): number | null {
  const text = row[field];
  if (text === undefined) throw new Error(`${where}: no column "${field}"`);
  if (text.trim() === "") return null;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`${where}: field "${field}" is "${text}", not a number`);
  return value;
}

/** A published date such as 2024-4-2 as ISO 2024-04-02; null when it is no calendar date (e.g. "2508-22-"). */
function isoDate(text: string): string | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}

/** The non-empty columns of `row` named in `fields`, as published. */
function attributes(row: Row, fields: string[]): ResultAttributes {
  const out: ResultAttributes = {};
  for (const f of fields) if (row[f] !== undefined && row[f] !== "") out[f] = row[f];
  return out;
}

function gz(text: string | Buffer): Buffer {
  return gzipSync(typeof text === "string" ? Buffer.from(text, "utf8") : text, {level: 9});
}

/** JSONL of validated run records. A record the schema rejects stops the script: bundled data must load cleanly. */
function recordsFile(records: RunRecordInput[], where: string): Buffer {
  const lines = records.map((r, i) => {
    const parsed = RunRecord.safeParse(r);
    if (!parsed.success) throw new Error(`${where} record ${i + 1}: ${describeZodIssues(parsed.error)}`);
    return JSON.stringify(r);
  });
  return gz(lines.join("\n") + "\n");
}

function resultsFile(lines: ResultLine[], where: string): Buffer {
  const text = lines.map((line, i) => {
    try {
      parseResultLine(line);
    } catch (err) {
      throw new Error(`${where} result ${i + 1}: ${(err as Error).message}`);
    }
    return JSON.stringify(line);
  });
  return gz(text.join("\n") + "\n");
}

function flags(...parts: (string | null | false | undefined)[]): string | null {
  const kept = parts.filter((p): p is string => Boolean(p));
  return kept.length ? kept.join("; ") : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Licence texts

const MIT_PERMISSION = `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`;

function mitLicence(heading: string, copyright: string): string {
  return `# Licence\n\n${heading}\n\n---\n\nMIT License\n\n${copyright}\n\n${MIT_PERMISSION}\n`;
}

const SWEBENCH_LICENCE = `# Licence

SWE-bench leaderboard data: Creative Commons Attribution-NonCommercial 4.0 International (CC BY-NC 4.0),
the licence of the \`SWE-bench/swe-bench.github.io\` repository (https://creativecommons.org/licenses/by-nc/4.0/).

Attribution: data from the SWE-bench leaderboard (https://www.swebench.com, github SWE-bench/swe-bench.github.io),
with results submitted by the teams named in each entry. Non-commercial use only. Only factual outcome data
(booleans, percentages, costs, counts, dates) are reproduced here. See SOURCE.md for the exact upstream commit.
`;

/** The per-instance runs also come from SWE-bench/experiments, which states no licence: said, not glossed over. */
const SWEBENCH_VERIFIED_LICENCE = `${SWEBENCH_LICENCE}
The per-instance details also come from \`SWE-bench/experiments\` (https://github.com/SWE-bench/experiments), which has
no licence file: no licence is granted there. Only the factual outcomes listed above are reproduced, with attribution
to SWE-bench and to the submitting teams.
`;

// ---------------------------------------------------------------------------------------------------------------
// Sources

function sweVerified(from: string, id: string): SnapshotSpec {
  const dir = join(from, "swebench_verified_per_instance");
  const perInstance = readCsv(join(dir, "per_instance.csv"));
  const records: RunRecordInput[] = perInstance.map((r, i) => {
    const where = `per_instance.csv line ${i + 2}`;
    return {
      benchmark: "swe-bench-verified",
      item_id: r.instance_id,
      model: r.model_tag,
      run_id: r.folder,
      harness: `mini-swe-agent ${r.mini_swe_agent_version}`,
      passed: r.resolved === "1",
      cost_usd: num(r, "cost", where),
      run_at: r.date,
      // api_calls has no record field yet: kept as a slice tag (text) rather than dropped.
      slices: {repo: r.repo, api_calls: r.api_calls}
    };
  });
  const runs = readCsv(join(dir, "runs.csv"));
  const results: ResultLine[] = runs.flatMap((r, i) => {
    const where = `runs.csv line ${i + 2}`;
    const published = num(r, "published_resolved_pct", where);
    const computed = num(r, "computed_resolved_pct", where);
    const nInstances = num(r, "n_instances", where);
    const nResolved = num(r, "n_resolved", where);
    const mismatch =
      published !== null && computed !== null && published !== computed
        ? `flag:${RESULT_FLAGS.publishedVsPerItem} published ${published}% vs per-instance ${nResolved}/${nInstances} = ${computed}% (differ by ${Math.abs(published - computed).toFixed(2)} pp)`
        : null;
    const base = {
      board: "bash-only",
      benchmark: "swe-bench-verified",
      snapshot_id: id,
      entry_id: r.folder,
      system: r.name,
      model: r.model_tag || null,
      // leaderboards.json at commit f1176b65 (2025-12-10) is the version these numbers were read from.
      as_of: "2025-12-10",
      submitted: isoDate(r.date),
      source: "https://github.com/SWE-bench/swe-bench.github.io/blob/f1176b65ae29d14f4f52208b48e3d8cfc972bc17/data/leaderboards.json",
      verification_tier: "self-reported" as VerificationTier,
      cost_usd: num(r, "total_cost", where),
      notes: mismatch,
      attributes: attributes(r, ["org_tag", "date", "mini_swe_agent_version", "n_instances", "n_resolved", "instance_cost", "instance_calls", "os_model", "os_system", "checked", "split"])
    };
    return [
      {...base, metric: "resolved_pct", value: published, n: null},
      {...base, metric: "resolved_pct_per_instance", value: computed, n: nInstances}
    ];
  });
  return {
    title: "SWE-bench Verified: per-instance results of 18 mini-SWE-agent (bash-only) runs",
    folder: "swebench_verified_per_instance",
    source: "https://github.com/SWE-bench/swe-bench.github.io (data/leaderboards.json, bash-only board, per_instance_details)",
    source_commit: "f1176b65ae29d14f4f52208b48e3d8cfc972bc17",
    licence: "CC BY-NC 4.0",
    licenceText: SWEBENCH_VERIFIED_LICENCE,
    sources: ["https://github.com/SWE-bench/swe-bench.github.io/blob/f1176b65ae29d14f4f52208b48e3d8cfc972bc17/data/leaderboards.json", "https://github.com/SWE-bench/experiments"],
    notes:
      "records: passed = resolved; cost_usd = the agent's $ for the instance (0 where upstream recorded 0 for self-hosted models); slices.api_calls = LM calls (text, no record field yet). results: two rows per run, resolved_pct as published (n unknown) and resolved_pct_per_instance recomputed upstream from the per-instance rows (n = instances); a difference is flagged in notes (claude-3-7-sonnet: 52.8% published vs 51/500 = 10.2%).",
    files: [
      {path: "swebench-verified.records.jsonl.gz", kind: "records", description: "Run records: 18 runs x 500 instances, benchmark swe-bench-verified, run_id = submission folder.", bytes: recordsFile(records, "per_instance.csv")},
      {path: "runs.results.jsonl.gz", kind: "results", description: "Per run: resolved_pct (published) and resolved_pct_per_instance (recomputed), cost_usd = total $ for 500 instances.", bytes: resultsFile(results, "runs.csv")},
      {path: "instances.csv.gz", kind: "other", description: "The 500 SWE-bench Verified instance ids with repo and PR number (upstream instances.csv, byte-identical).", bytes: gz(readFileSync(join(dir, "instances.csv")))}
    ]
  };
}

const SWE_BOARD_BENCHMARK: Record<string, string> = {
  Test: "swe-bench",
  test: "swe-bench",
  Lite: "swe-bench-lite",
  lite: "swe-bench-lite",
  Verified: "swe-bench-verified",
  "bash-only": "swe-bench-verified",
  "verified-mini": "swe-bench-verified-mini",
  "verified-micro": "swe-bench-verified-micro",
  Multimodal: "swe-bench-multimodal"
};

function sweHistory(from: string, id: string): SnapshotSpec {
  const dir = join(from, "swebench_leaderboard_history");
  const rows = readCsv(join(dir, "leaderboard_history.csv"));
  const group = (keyOf: (r: Row) => string | null) => {
    const counts = new Map<string, number>();
    for (const r of rows) {
      const k = keyOf(r);
      if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return counts;
  };
  const byName = group((r) => `${r.snapshot_commit}\u0000${r.board}\u0000${r.name}`);
  const byFolder = group((r) => (r.folder ? `${r.snapshot_commit}\u0000${r.board}\u0000${r.folder}` : null));
  // A lowercase board (early `lite`/`test` keys) duplicates its capitalised twin when the same
  // (name, value, date) multiset appears there in the same leaderboard snapshot.
  const signature = (commit: string, board: string) =>
    rows
      .filter((r) => r.snapshot_commit === commit && r.board === board)
      .map((r) => `${r.name}\u0000${r.resolved_pct}\u0000${r.date}`)
      .sort()
      .join("\u0001");
  const duplicateOf = new Map<string, string>();
  for (const commit of new Set(rows.filter((r) => r.board === "lite" || r.board === "test").map((r) => r.snapshot_commit))) {
    for (const [lower, upper] of [["lite", "Lite"], ["test", "Test"]]) {
      const mine = signature(commit, lower);
      if (mine !== "" && mine === signature(commit, upper)) duplicateOf.set(`${commit}\u0000${lower}`, upper);
    }
  }
  const results: ResultLine[] = rows.map((r, i) => {
    const where = `leaderboard_history.csv line ${i + 2}`;
    const benchmark = SWE_BOARD_BENCHMARK[r.board];
    if (!benchmark) throw new Error(`${where}: board "${r.board}" has no benchmark mapping; add it to SWE_BOARD_BENCHMARK`);
    const nameCount = byName.get(`${r.snapshot_commit}\u0000${r.board}\u0000${r.name}`)!;
    const folderCount = r.folder ? byFolder.get(`${r.snapshot_commit}\u0000${r.board}\u0000${r.folder}`)! : 1;
    const dup = duplicateOf.get(`${r.snapshot_commit}\u0000${r.board}`);
    const submitted = isoDate(r.date);
    const cost = num(r, "cost", where);
    const costUnreported = cost === 0 && num(r, "instance_calls", where) === 0;
    return {
      board: r.board,
      benchmark,
      // Each committed leaderboard version is its own dated snapshot of the source (several per day exist).
      snapshot_id: `${r.snapshot_date}-swebench-leaderboard-${r.snapshot_commit.slice(0, 8)}`,
      entry_id: r.folder || `${r.name}#${r.rank_in_board}`,
      system: r.name,
      model: r.model_tag || null,
      metric: "resolved_pct",
      value: num(r, "resolved_pct", where),
      n: null,
      as_of: r.snapshot_date,
      submitted,
      source: `https://github.com/SWE-bench/swe-bench.github.io/blob/${r.snapshot_commit}/${r.source_path}`,
      verification_tier: "self-reported",
      // A cost of 0 with 0 calls per instance is no run (every run calls the model): not reported, unknown, not $0.
      cost_usd: costUnreported ? null : cost,
      notes: flags(
        costUnreported && `flag:${RESULT_FLAGS.costUnreported} cost 0 and instance_calls 0 as published (no run makes no calls): not reported`,
        nameCount > 1 && `flag:${RESULT_FLAGS.sameNameCollision} ${nameCount} entries named "${r.name}" on this board in this snapshot`,
        folderCount > 1 && `flag:${RESULT_FLAGS.sameEntryCollision} ${folderCount} entries with folder ${r.folder} on this board in this snapshot`,
        dup && `flag:${RESULT_FLAGS.duplicateBoard} ${dup} (same rows as board ${dup} in this snapshot; count them once)`,
        r.date !== "" && submitted === null && `flag:${RESULT_FLAGS.badDate} submission date "${r.date}" as published`
      ),
      attributes: attributes(r, ["snapshot_commit", "source_path", "rank_in_board", "folder", "date", "org_tag", "attempts_tag", "os_model", "os_system", "oss", "checked", "verified", "instance_cost", "instance_calls", "warning"])
    } satisfies ResultLine;
  });
  // Every leaderboard version a row points to is declared, so the loader can register it as a dated snapshot.
  const versions = new Map<string, Record<string, string>>();
  for (const r of rows) {
    const snapshotId = `${r.snapshot_date}-swebench-leaderboard-${r.snapshot_commit.slice(0, 8)}`;
    if (!versions.has(snapshotId)) {
      versions.set(snapshotId, {
        snapshot_id: snapshotId,
        snapshot_date: r.snapshot_date,
        title: `SWE-bench leaderboard as committed on ${r.snapshot_date} (${r.snapshot_commit.slice(0, 8)})`,
        source: `https://github.com/SWE-bench/swe-bench.github.io/blob/${r.snapshot_commit}/${r.source_path}`,
        source_commit: r.snapshot_commit
      });
    }
  }
  const versionLines = [...versions.values()].map((v) => JSON.stringify(SourceSnapshot.parse(v))).join("\n") + "\n";
  return {
    title: "SWE-bench leaderboards: 96 committed versions (2024-04-16 .. 2025-11-18), every board and entry",
    folder: "swebench_leaderboard_history",
    source: "https://github.com/SWE-bench/swe-bench.github.io (template/data.json and data/leaderboards.json, every commit)",
    source_commit: "15491f17ea8274f55686338291d7da27df4d1bd7",
    licence: "CC BY-NC 4.0",
    licenceText: SWEBENCH_LICENCE,
    sources: ["https://github.com/SWE-bench/swe-bench.github.io", "https://github.com/SWE-bench/swe-bench.github.io/blob/15491f17ea8274f55686338291d7da27df4d1bd7/js/modelReleaseDates.js"],
    notes:
      "One results row per (leaderboard version, board, entry). snapshot_id of a row = <commit date>-swebench-leaderboard-<commit[:8]> (the leaderboard version; 96 versions over 69 dates); each version is declared in source-snapshots.jsonl.gz and loaded as its own row of `snapshots` (part of this bundle); this bundle's id is also recorded on the ingest batch. entry_id = folder, else name#rank. All rows kept: same-name and same-folder collisions are flagged, and the lowercase lite/test boards of 3 versions (2024-07-29, 2024-07-31, 2024-08-05) are flagged as duplicates of Lite/Test so pages count them once. Submission dates are normalised to ISO (2024-4-2 -> 2024-04-02); the unparseable '2508-22-' (2 rows) is null and flagged.",
    files: [
      {path: "leaderboard-history.results.jsonl.gz", kind: "results", description: "12,881 leaderboard rows as aggregate results (metric resolved_pct; cost_usd = total $ where published; a cost of 0 with 0 calls per instance is null, flagged cost-unreported).", bytes: resultsFile(results, "leaderboard_history.csv")},
      {path: SOURCE_SNAPSHOTS_FILE, kind: "other", description: "The 96 leaderboard versions (snapshot_id, snapshot_date, commit, source) that results.snapshot_id points to.", bytes: gz(versionLines)},
      {path: "model_release_dates.csv.gz", kind: "other", description: "model_tag, release_date, source_url from js/modelReleaseDates.js (upstream CSV, byte-identical).", bytes: gz(readFileSync(join(dir, "model_release_dates.csv")))}
    ]
  };
}

function tauBench(from: string, id: string): SnapshotSpec {
  const dir = join(from, "tau_bench_trials");
  const trials = readCsv(join(dir, "tau_bench_v1_gpt4o_airline_trials.csv"));
  const records: RunRecordInput[] = trials.map((r, i) => {
    const where = `tau_bench_v1_gpt4o_airline_trials.csv line ${i + 2}`;
    const reward = num(r, "reward", where);
    return {
      benchmark: r.benchmark,
      item_id: `${r.domain}/${r.task_id}`,
      model: r.model,
      run_id: "tau-bench-historical-gpt-4o-airline",
      harness: r.agent_strategy,
      trial: Number(r.trial),
      score: reward,
      passed: reward === null ? null : reward === 1,
      slices: {domain: r.domain, user_model: r.user_model}
    };
  });
  const board = readCsv(join(dir, "tau_bench_v1_readme_leaderboard.csv"));
  const results: ResultLine[] = board.flatMap((r, i) =>
    [1, 2, 3, 4].map((k) => {
      const value = num(r, `pass_${k}`, `tau_bench_v1_readme_leaderboard.csv line ${i + 2}`);
      return {
        board: `tau-bench/${r.domain}`,
        benchmark: "tau-bench",
        snapshot_id: id,
        entry_id: r.strategy,
        system: r.strategy,
        model: /\(([^)]+)\)/.exec(r.strategy)?.[1] ?? null,
        metric: `pass^${k}`,
        value,
        n: null,
        as_of: TAKEN,
        submitted: null,
        source: "https://github.com/sierra-research/tau-bench/blob/59a200c6d575d595120f1cb70fea53cef0632f6b/README.md",
        verification_tier: "self-reported",
        cost_usd: null,
        notes: flags(
          value === null && `flag:${RESULT_FLAGS.valueUnreported} "??" in the upstream README`,
          `flag:${RESULT_FLAGS.asOfTaken} as_of is the day the README was read (HEAD 59a200c6); its commit date was not captured`
        ),
        attributes: attributes(r, ["domain", "strategy"])
      } satisfies ResultLine;
    })
  );
  return {
    title: "tau-bench (v1) airline: gpt-4o tool-calling agent, 35 tasks x 4 trials; README leaderboard",
    folder: "tau_bench_trials",
    source: "https://github.com/sierra-research/tau-bench (historical_trajectories/gpt-4o-airline.json; README leaderboard)",
    source_commit: "59a200c6d575d595120f1cb70fea53cef0632f6b",
    licence: "MIT",
    licenceText: mitLicence(
      "tau-bench is released under the MIT License (upstream `LICENSE` of github sierra-research/tau-bench, read at commit 6f4b718037db619539b8b692060e6686f3f0dcc9). Its notice follows.",
      "Copyright (c) 2024 Sierra"
    ),
    sources: ["https://github.com/sierra-research/tau-bench/blob/7362a1708d720a4d697d042f21fd8637ea144c3b/historical_trajectories/gpt-4o-airline.json", "https://github.com/sierra-research/tau-bench/blob/59a200c6d575d595120f1cb70fea53cef0632f6b/README.md"],
    notes:
      "records: item_id = <domain>/<task_id>, score = reward, passed = reward == 1, trial 0-3; user_cost (the user simulator's $) and n_messages are not agent outcomes and stay in the raw CSV. results: README pass^1..pass^4 as fractions, '??' -> null and flagged.",
    files: [
      {path: "tau-bench-airline.records.jsonl.gz", kind: "records", description: "140 run records (35 tasks x 4 trials).", bytes: recordsFile(records, "tau_bench_v1_gpt4o_airline_trials.csv")},
      {path: "readme-leaderboard.results.jsonl.gz", kind: "results", description: "Upstream README tables: 14 (domain, strategy) rows x pass^1..4; as_of = the day taken (the README's commit date was not captured), flagged as-of-taken.", bytes: resultsFile(results, "tau_bench_v1_readme_leaderboard.csv")},
      {path: "tau_bench_v1_gpt4o_airline_trials.csv.gz", kind: "other", description: "Upstream CSV (byte-identical) incl. n_messages and user_cost.", bytes: gz(readFileSync(join(dir, "tau_bench_v1_gpt4o_airline_trials.csv")))}
    ]
  };
}

const TAU2_LICENCE = mitLicence(
  "tau2-bench is released under the MIT License (upstream `LICENSE` of github sierra-research/tau2-bench). The upstream LICENSE file itself was not available offline; the copyright line below is the one third-party notices of tau2-bench reproduce from it (e.g. for tag v1.0.1). Its notice follows. Leaderboard submissions are self-reported by the submitting organisations.",
  "Copyright (c) 2025 Sierra Research"
);

function tau2PerTask(from: string, id: string): SnapshotSpec {
  const dir = join(from, "tau2_per_task_results");
  const rows = readCsv(join(dir, "per_task_rewards.csv"));
  const withReward = rows.filter((r) => r.reward !== "");
  const records: RunRecordInput[] = withReward.map((r) => {
    const where = `per_task_rewards.csv task ${r.task_id} of ${r.source_blob}`;
    const reward = num(r, "reward", where)!;
    const seconds = num(r, "duration_s", where);
    return {
      benchmark: "tau2-bench",
      item_id: `${r.domain}/${r.task_id}`,
      model: r.agent_llm,
      // Two upstream files share a base name (toolorchestra at two commits): the blob prefix keeps runs apart.
      run_id: `${basename(r.source_path, ".json")}@${r.source_blob}`,
      harness: r.agent_impl || null,
      trial: Number(r.trial),
      score: reward,
      passed: reward === 1,
      cost_usd: num(r, "agent_cost", where),
      latency_ms: seconds === null ? null : seconds * 1000,
      slices: attributes(r, ["domain", "user_llm", "termination_reason"])
    };
  });
  return {
    title: "tau2-bench per-task rewards of 18 agent result files (mostly 1 trial)",
    folder: "tau2_per_task_results",
    source: "https://github.com/sierra-research/tau2-bench (results files from history; see SOURCE.md manifest)",
    source_commit: "a2c024725189473d2d7cea3a5cfdbcc67478e41f",
    licence: "MIT",
    licenceText: TAU2_LICENCE,
    sources: ["https://github.com/sierra-research/tau2-bench"],
    notes: `records: ${records.length} of ${rows.length} rows; the ${rows.length - records.length} simulations without a reward (termination_reason infrastructure_error) have no outcome to record and are only in the raw CSV. item_id = <domain>/<task_id>, run_id = <file base name>@<blob>, score = reward, passed = reward == 1, cost_usd = agent cost (user simulator cost stays in the raw CSV), latency_ms = duration_s * 1000. Community files are self-reported (e.g. the 'cascata' files report ~100% success).`,
    files: [
      {path: "tau2-bench.records.jsonl.gz", kind: "records", description: "Run records of the per-task rewards that have a reward.", bytes: recordsFile(records, "per_task_rewards.csv")},
      {path: "per_task_rewards.csv.gz", kind: "other", description: "Upstream CSV (byte-identical), all 747 rows.", bytes: gz(readFileSync(join(dir, "per_task_rewards.csv")))}
    ]
  };
}

function tau2Leaderboard(from: string, id: string): SnapshotSpec {
  const dir = join(from, "tau2_leaderboard_submissions");
  const rows = readCsv(join(dir, "submissions_by_domain.csv"));
  const results: ResultLine[] = rows.flatMap((r, i) => {
    const where = `submissions_by_domain.csv line ${i + 2}`;
    const submitted = isoDate(r.submission_date);
    const cost = num(r, "cost", where);
    return [1, 2, 3, 4].map((k) => {
      const value = num(r, `pass_${k}`, where);
      return {
        board: `tau2-bench/${r.domain}`,
        benchmark: "tau2-bench",
        snapshot_id: id,
        entry_id: r.submission_dir,
        system: r.submitting_organization ? `${r.model_name} (${r.submitting_organization})` : r.model_name,
        model: r.model_name || null,
        metric: `pass^${k}_pct`,
        value,
        n: null,
        as_of: r.git_commit_date,
        submitted,
        source: `https://github.com/sierra-research/tau2-bench/blob/${r.git_commit}/web/leaderboard/public/submissions/${r.submission_dir}/submission.json`,
        verification_tier: "self-reported",
        // As for aider: a submitted cost of 0 (API models among them, e.g. Qwen3-Max) is not reported or a
        // self-hosted model's, unknown, not $0.
        cost_usd: cost === 0 ? null : cost,
        notes: flags(
          cost === 0 && `flag:${RESULT_FLAGS.costUnreported} cost 0 as submitted (not reported, or a self-hosted model)`,
          value === null && `flag:${RESULT_FLAGS.valueUnreported} pass^${k} not reported in the submission`,
          r.submission_date !== "" && submitted === null && `flag:${RESULT_FLAGS.badDate} submission date "${r.submission_date}" as published`
        ),
        attributes: attributes(r, ["domain", "model_organization", "submitting_organization", "submission_date", "submission_type", "is_new", "reasoning_effort", "user_simulator", "tau2_bench_version", "evaluation_date", "trajectories_available", "modified_prompts", "omitted_questions", "retrieval_config", "git_commit"])
      } satisfies ResultLine;
    });
  });
  return {
    title: "tau2-bench leaderboard submissions: pass^1..4 and cost per domain (81 submissions)",
    folder: "tau2_leaderboard_submissions",
    source: "https://github.com/sierra-research/tau2-bench (web/leaderboard/public/submissions/*/submission.json, all history)",
    source_commit: "a2c024725189473d2d7cea3a5cfdbcc67478e41f",
    licence: "MIT",
    licenceText: TAU2_LICENCE,
    sources: ["https://github.com/sierra-research/tau2-bench"],
    notes:
      "One results row per (submission, domain, k): board tau2-bench/<domain>, metric pass^k_pct (percent, as submitted; empty -> null and flagged), cost_usd = USD per task as reported (not a total; a cost of 0, not reported or a self-hosted model's, is null and flagged cost-unreported), as_of = date of the commit holding that submission.json, submitted = submission_date as written by the submitter (some are implausible, e.g. a telecom row dated 2024-09-23; not corrected here). tau2_bench_version and the verification flags are in result_attributes. Domain layers (anchor/rotation) are left to the pages.",
    files: [
      {path: "submissions.results.jsonl.gz", kind: "results", description: "213 (submission, domain) rows x pass^1..4.", bytes: resultsFile(results, "submissions_by_domain.csv")}
    ]
  };
}

function tau2NativeLog(from: string, _id: string): SnapshotSpec {
  const dir = join(from, "harness_native_logs");
  const name = "2025-08-10T02-44-06.496849_telecom_llm_agent_gpt-4o_user_simulator_gpt-4o.json";
  return {
    title: "tau2-bench native Results JSON: gpt-4o telecom, 20 tasks, 1 trial (unmodified upstream file)",
    folder: "harness_native_logs",
    source: "https://github.com/sierra-research/tau2-bench/blob/8d9b50762239/data/simulations/2025-08-10T02:44:06.496849_telecom_llm_agent_gpt-4o_user_simulator_gpt-4o.json",
    source_commit: "8d9b50762239",
    licence: "MIT",
    licenceText: TAU2_LICENCE,
    sources: ["https://github.com/sierra-research/tau2-bench"],
    notes:
      "The upstream file gzipped byte-for-byte (file name ':' -> '-'), for the tau2 importer. The same 20 simulations also appear in the tau2-bench-per-task snapshot (blob 95433ae7): importing both into records stores the same results under two run ids. SOURCE.md is the note of the whole harness_native_logs folder; only the tau2 file is bundled here.",
    files: [{path: `${name}.gz`, kind: "trajectories", description: "tau2-bench Results JSON (one document).", bytes: gz(readFileSync(join(dir, "tau2_bench", name)))}]
  };
}

const AIDER_BOARD_BENCHMARK: Record<string, string> = {
  polyglot_leaderboard: "aider-polyglot",
  o1_polyglot_leaderboard: "aider-polyglot",
  r1_architect: "aider-polyglot",
  edit_leaderboard: "aider-code-editing",
  "code-in-json": "aider-code-editing",
  architect: "aider-code-editing",
  o1_results: "aider-code-editing",
  qwq: "aider-code-editing"
};

function aider(from: string, id: string): SnapshotSpec {
  const dir = join(from, "aider_leaderboards");
  const rows = readCsv(join(dir, "aider_benchmark_runs.csv"));
  const metrics = ["pass_rate_1", "pass_rate_2", "percent_cases_well_formed", "seconds_per_case"] as const;
  const metricName: Record<(typeof metrics)[number], string> = {
    pass_rate_1: "pass_rate_1_pct",
    pass_rate_2: "pass_rate_2_pct",
    percent_cases_well_formed: "percent_cases_well_formed",
    seconds_per_case: "seconds_per_case"
  };
  const results: ResultLine[] = rows.flatMap((r, i) => {
    const where = `aider_benchmark_runs.csv line ${i + 2}`;
    const benchmark = AIDER_BOARD_BENCHMARK[r.board];
    if (!benchmark) throw new Error(`${where}: board "${r.board}" has no benchmark mapping; add it to AIDER_BOARD_BENCHMARK`);
    const cost = num(r, "total_cost", where);
    return metrics.map((m) => {
      const value = num(r, m, where);
      return {
        board: r.board,
        benchmark,
        snapshot_id: id,
        entry_id: r.dirname,
        system: r.model,
        model: r.model,
        metric: metricName[m],
        value,
        n: num(r, "test_cases", where),
        as_of: "2026-05-22",
        submitted: isoDate(r.date),
        source: `https://github.com/Aider-AI/aider/blob/5dc9490bb35f9729ef2c95d00a19ccd30c26339c/aider/website/_data/${r.board}.yml`,
        verification_tier: "self-reported",
        // aider writes 0 (or nothing) when a run's cost was not reported or the model was free: unknown, not $0.
        cost_usd: cost === null || cost === 0 ? null : cost,
        notes: flags(
          cost === 0 && `flag:${RESULT_FLAGS.costUnreported} total_cost 0 as published (not reported or free)`,
          value === null && `flag:${RESULT_FLAGS.valueUnreported} ${m} not published for this run`
        ),
        attributes: attributes(r, ["edit_format", "editor_model", "editor_edit_format", "date", "released", "test_cases", "total_tests", "pass_num_1", "pass_num_2", "error_outputs", "num_malformed_responses", "num_with_malformed_responses", "user_asks", "lazy_comments", "syntax_errors", "indentation_errors", "exhausted_context_windows", "test_timeouts", "total_cost", "prompt_tokens", "completion_tokens", "reasoning_effort", "thinking_tokens", "versions", "commit_hash", "command", "first_seen_date", "first_seen_commit"])
      } satisfies ResultLine;
    });
  });
  return {
    title: "aider leaderboards: polyglot, code-editing and related boards (261 runs); polyglot row history",
    folder: "aider_leaderboards",
    source: "https://github.com/Aider-AI/aider (aider/website/_data/<board>.yml)",
    source_commit: "5dc9490bb35f9729ef2c95d00a19ccd30c26339c",
    licence: "Apache-2.0",
    licenceText: `# Licence\n\nThe aider leaderboard data files are part of github Aider-AI/aider, licensed under the Apache License, Version 2.0 (upstream LICENSE.txt). The values are reproduced unchanged in meaning (restructured as rows; see manifest notes). The licence text follows.\n\n---\n\n${readFileSync(join(PROJECT_ROOT, "node_modules", "typescript", "LICENSE.txt"), "utf8").replace(/\r\n/g, "\n").split("END OF TERMS AND CONDITIONS")[0]}END OF TERMS AND CONDITIONS\n`,
    sources: ["https://github.com/Aider-AI/aider/tree/5dc9490bb35f9729ef2c95d00a19ccd30c26339c/aider/website/_data", "https://aider.chat/docs/leaderboards/"],
    notes:
      "One results row per (run, metric): pass_rate_1_pct, pass_rate_2_pct, percent_cases_well_formed, seconds_per_case; n = test_cases; cost_usd = total $ of the run, with total_cost 0 or empty -> null (0 means not reported or free) and flagged; the published total_cost is kept in result_attributes. as_of = date of the upstream commit. Benchmarks: polyglot boards -> aider-polyglot (225 exercises), edit/code-in-json/architect/o1_results/qwq -> aider-code-editing (133).",
    files: [
      {path: "aider.results.jsonl.gz", kind: "results", description: "261 runs x 4 metrics.", bytes: resultsFile(results, "aider_benchmark_runs.csv")},
      {path: "polyglot_rows_history.csv.gz", kind: "other", description: "Every polyglot row ever published, with first/last seen (upstream CSV, byte-identical).", bytes: gz(readFileSync(join(dir, "polyglot_rows_history.csv")))},
      {path: "polyglot_file_history.csv.gz", kind: "other", description: "One row per version of polyglot_leaderboard.yml (upstream CSV, byte-identical).", bytes: gz(readFileSync(join(dir, "polyglot_file_history.csv")))}
    ]
  };
}

function triviaqa(from: string, _id: string): SnapshotSpec {
  const dir = join(from, "judge_human_triviaqa");
  return {
    title: "Judging the Judges: TriviaQA answers labelled by 11 automatic judges and humans (6 exam-takers)",
    folder: "judge_human_triviaqa",
    source: "https://github.com/UMass-Meta-LLM-Eval/llm_eval (results/TriviaQA_Judges_w_HumanJudgement_V1.csv)",
    source_commit: "7c0bf28e75703cd41c6088bebb64eefcdf348bd4",
    licence: "No upstream licence (all rights reserved); labels only, cite arXiv 2406.12624",
    licenceText: `# Licence and citation

The upstream repository (github UMass-Meta-LLM-Eval/llm_eval) has **no licence file**, so all rights are reserved by
its authors. Only the labels are bundled here (which judge or human said an answer was correct, keyed by exam-taker
and question id); no question texts, reference answers or model answers (the shared data's questions.csv is left
out). Use for internal testing and research, and cite:

> Aman Singh Thakur, Kartik Choudhary, Venkat Srinik Ramayapally, Sankaran Vaidyanathan, Dieuwke Hupkes.
> "Judging the Judges: Evaluating Alignment and Vulnerabilities in LLMs-as-Judges". arXiv:2406.12624 (2024).
> https://arxiv.org/abs/2406.12624

TriviaQA: Joshi et al., "TriviaQA: A Large Scale Distantly Supervised Challenge Dataset for Reading Comprehension", ACL 2017.
`,
    sources: ["https://github.com/UMass-Meta-LLM-Eval/llm_eval/blob/7c0bf28e75703cd41c6088bebb64eefcdf348bd4/results/TriviaQA_Judges_w_HumanJudgement_V1.csv", "https://arxiv.org/abs/2406.12624"],
    notes: "Labels only (the upstream has no licence): judgments.csv bundled byte-for-byte (gzip) for the LLM-judge issue's `benchlab ingest --labels`, not loaded into tables by load-bundled; questions.csv (TriviaQA question and alias texts) is left out. label empty = missing upstream (a gap, not a rejection).",
    files: [
      {path: "judgments.csv.gz", kind: "labels", description: "Long format: item_id, exam_taker, question_id, judge, judge_type (llm|lexical|human), label (1/0/empty), duplicate_question_for_taker.", bytes: gz(readFileSync(join(dir, "judgments.csv")))},
    ]
  };
}

function llmbar(from: string, _id: string): SnapshotSpec {
  const dir = join(from, "judge_pairwise_llmbar");
  return {
    title: "LLMBar (Natural, Adversarial Neighbor, GPTInst): 326 pairwise items with gold labels; verdicts of 6 judge LLMs x 8-15 strategies, both orders",
    folder: "judge_pairwise_llmbar",
    source: "https://github.com/princeton-nlp/LLMBar (Dataset/LLMBar)",
    source_commit: "900616bff90b6c6c8e1681f7d079250637c55992",
    licence: "MIT (Copyright (c) 2023 Princeton Natural Language Processing)",
    licenceText: mitLicence(
      "LLMBar (Zeng et al., \"Evaluating Large Language Models at Evaluating Instruction Following\", arXiv 2310.07641, ICLR 2024) is distributed under the MIT License below, the upstream `LICENSE` of github princeton-nlp/LLMBar, which covers `Dataset/`. This notice must accompany copies. LLMBar items partly derive from earlier public instruction/preference data (see the paper).",
      "Copyright (c) 2023 Princeton Natural Language Processing"
    ),
    sources: ["https://github.com/princeton-nlp/LLMBar/tree/900616bff90b6c6c8e1681f7d079250637c55992/Dataset/LLMBar", "https://arxiv.org/abs/2310.07641"],
    notes: "Bundled byte-for-byte (gzip) for the LLM-judge issue's `benchlab ingest --labels`; not loaded into tables by load-bundled. Empty verdict = unparseable upstream (a gap, not a rejection).",
    files: [
      {path: "items.csv.gz", kind: "labels", description: "326 items: split, item_id, gold (1/2), lengths, longer_output, input/output texts.", bytes: gz(readFileSync(join(dir, "items.csv")))},
      {path: "judgments.csv.gz", kind: "labels", description: "21,190 rows: item x evaluator x strategy, verdicts in both presentation orders.", bytes: gz(readFileSync(join(dir, "judgments.csv")))}
    ]
  };
}

/** The registry files a page uses; `paper_tasks.json` (2 MB of paper->task edges) is left out: no page reads it. */
const CODESOTA_FILES = ["manifest.json", "areas.json", "tasks.json", "datasets.json", "models.json", "claims.json", "sources.json", "trust_signals.json", "paper_datasets.json", "paper_models.json", "lineages.json"];

function codesota(from: string, _id: string): SnapshotSpec {
  const dir = join(from, "codesota_registry");
  return {
    title: "CodeSOTA registry export: areas, tasks, 782 datasets, 2,441 models, claims, sources (no results)",
    folder: "codesota_registry",
    source: "https://github.com/kwikiel/codesota.com (registry/)",
    source_commit: "a80e444045273820022d1a246558dbb583f5d263",
    licence: "CC BY 4.0",
    licenceText: `# Licence

Data from the CodeSOTA registry (https://www.codesota.com), CC BY 4.0
(https://creativecommons.org/licenses/by/4.0/). Attribution with a link back to https://www.codesota.com is required
wherever this data is shown. Files are gzipped byte-for-byte copies of github kwikiel/codesota.com \`registry/\` at commit
a80e444045273820022d1a246558dbb583f5d263; \`paper_tasks.json\` was left out (see manifest notes). The upstream README,
with its licence section, is kept as REGISTRY_README.md.
`,
    sources: ["https://www.codesota.com", "https://github.com/kwikiel/codesota.com/tree/a80e444045273820022d1a246558dbb583f5d263/registry"],
    notes: "Dropped: paper_tasks.json (2.0 MB, 32,917 paper->task lineage edges; no page uses them). Not in the upstream snapshot at all: benchmark_results.json and papers.json (> 4 MiB). The registry has no results, directions or tiers; snapshots/benchmarks.yaml curates those for the bundled benchmarks.",
    extraNotes: ["REGISTRY_README.md"],
    // The upstream manifest.json is renamed so it cannot be mistaken for this snapshot's manifest.
    files: CODESOTA_FILES.map((f) => ({path: f === "manifest.json" ? "registry-manifest.json.gz" : `${f}.gz`, kind: "registry" as SnapshotFileKind, description: `Upstream registry/${f} (byte-identical).`, bytes: gz(readFileSync(join(dir, f)))}))
  };
}

/** slug -> builder; the snapshot id is `<TAKEN>-<slug>`. */
const SOURCES: [string, (from: string, id: string) => SnapshotSpec][] = [
  ["swebench-verified-mini-swe-agent", sweVerified],
  ["swebench-leaderboard-history", sweHistory],
  ["tau-bench-airline-trials", tauBench],
  ["tau2-bench-per-task", tau2PerTask],
  ["tau2-bench-leaderboard", tau2Leaderboard],
  ["tau2-bench-native-log", tau2NativeLog],
  ["aider-leaderboards", aider],
  ["triviaqa-judges-human", triviaqa],
  ["llmbar-judges", llmbar],
  ["codesota-registry", codesota],
];

/**
 * Writes one snapshot folder and returns its manifest. The folder is replaced, so removed files do not linger. It is
 * written whole as `.<id>.partial` beside it and then renamed into place: a run stopped midway (killed, a file that
 * cannot be written) left the folder deleted and half rewritten, with no manifest, which failed every build; now the
 * previous folder stays as it was, and the `.partial` folder (skipped by the loader) is replaced by the next run.
 */
export function writeSnapshot(id: string, spec: SnapshotSpec, from: string, to: string): SnapshotManifest {
  const [final, dir, old] = [join(to, id), join(to, `.${id}.partial`), join(to, `.${id}.old`)];
  rmSync(dir, {recursive: true, force: true});
  mkdirSync(dir, {recursive: true});
  // Upstream notes are copied verbatim (as bytes, so the shared copies' read-only mode is not copied with them).
  const notes = Object.fromEntries(["SOURCE.md", ...(spec.extraNotes ?? [])].map((note) => [note, readFileSync(join(from, spec.folder, note))]));
  const manifest = writeSnapshotFolder(dir, {...notes, "LICENCE.md": spec.licenceText}, spec.files, {
    id,
    snapshot_date: TAKEN,
    title: spec.title,
    source: spec.source,
    source_commit: spec.source_commit,
    methodology_version: METHODOLOGY_VERSION,
    licence: spec.licence,
    sources: spec.sources,
    notes: spec.notes
  });
  rmSync(old, {recursive: true, force: true});
  if (existsSync(final)) renameSync(final, old);
  renameSync(dir, final);
  rmSync(old, {recursive: true, force: true});
  return manifest;
}

function main(argv: string[]): void {
  const program = new Command()
    .name("make-snapshots")
    .description("Regenerate snapshots/ from the shared real data (developer step, not part of the build).")
    .option("--from <dir>", "shared data folder", resolve(PROJECT_ROOT, "..", "shared", "data"))
    .option("--to <dir>", "snapshots folder", resolve(PROJECT_ROOT, "snapshots"))
    .parse(argv);
  const {from, to} = program.opts<{from: string; to: string}>();
  if (!existsSync(from)) throw new Error(`${from}: shared data folder not found; pass --from`);
  for (const [slug, make] of SOURCES) {
    const id = `${TAKEN}-${slug}`;
    const manifest = writeSnapshot(id, make(from, id), from, to);
    const summary = manifest.files.map((f) => `${f.path} (${f.rows} rows)`).join(", ");
    console.log(`${manifest.id}: ${summary}`);
  }
}

// Run as a script only: a test imports writeSnapshot.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main(process.argv);
