/**
 * Page "Anchor vs rotation" (src/anchor-rotation.md): tau2-bench leaderboard submissions by domain as layers.
 * airline and retail come from the 2024 tau-bench release (anchor); telecom and banking_knowledge were added later
 * (rotation), per snapshots/tau2-domains.yaml. One row per submission and domain with pass^1, a Wilson interval where
 * the domain's task count is known (snapshots/test-sets.yaml), the tau2 version as submitted and its family, and an
 * implausible-date flag:
 *   - "predates the domain": submitted before the domain was introduced;
 *   - "predates tau2-bench": a tau2 version reported with a date before tau2-bench's first release.
 * The page fits the layer trends itself (src/lib/anchor-rotation.ts), so the version filter recomputes them.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {Bool, DateDay, Float64, Table, Utf8, vectorFromArray} from "apache-arrow";
import {join} from "node:path";
import {z} from "zod";
import {wilsonInterval} from "../../../src/lib/stats/index.ts";
import {readYamlAs, SNAPSHOTS_DIR} from "../../snapshots/load-bundled.ts";
import {readTestSets} from "./discrimination.ts";

export const DOMAINS_FILE = "tau2-domains.yaml";

const isoDate = z.union([z.date(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]).transform((d) => (d instanceof Date ? d : new Date(`${d}T00:00:00Z`)));
const Domains = z.object({
  tau2_release: isoDate,
  domains: z.array(z.object({domain: z.string(), layer: z.enum(["anchor", "rotation"]), introduced: isoDate.optional()}))
});
export type Domains = z.infer<typeof Domains>;

export function readDomains(snapshotsDir: string = SNAPSHOTS_DIR): Domains {
  const path = join(snapshotsDir, DOMAINS_FILE);
  return readYamlAs(path, Domains);
}

/** The version family of a submitted `tau2_bench_version` text: "0.1", "1.0", ..., or the text's kind. */
export function versionFamily(version: string | null): string {
  if (version === null || version.trim() === "") return "not reported";
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  if (m) return `${m[1]}.${m[2]}`;
  if (/original tau-bench/i.test(version)) return "original tau-bench";
  return "other (custom or unnamed checkout)";
}

export const SUBMISSIONS_SQL = `
SELECT r.board, r.system, r.model, r.entry_id, r.value, r.submitted, r.snapshot_id, r.notes,
       max(a.value) FILTER (WHERE a.attribute = 'domain') AS domain,
       max(a.value) FILTER (WHERE a.attribute = 'tau2_bench_version') AS tau2_version,
       max(a.value) FILTER (WHERE a.attribute = 'submitting_organization') AS submitted_by
FROM results r LEFT JOIN result_attributes a USING (batch_id, line)
WHERE r.benchmark = 'tau2-bench' AND r.metric = 'pass^1_pct'
GROUP BY ALL
-- Then the rest of the group key, for a total order: one system can submit twice on one day.
ORDER BY r.submitted, r.board, r.system, r.entry_id, r.snapshot_id, r.model, r.value, r.notes`;

export interface SubmissionRow {
  domain: string;
  layer: string | null;
  system: string;
  submitted_by: string | null;
  submitted: Date | null;
  tau2_version: string | null;
  version_family: string;
  pass1_pct: number | null;
  tasks: number | null;
  lo_pct: number | null;
  hi_pct: number | null;
  date_flag: string | null;
  notes: string | null;
  snapshot_id: string;
}

export async function submissionRows(connection: DuckDBConnection, domains: Domains = readDomains()): Promise<SubmissionRow[]> {
  const sizes = new Map(readTestSets().boards.map((b) => [b.board, b.items]));
  const byDomain = new Map(domains.domains.map((d) => [d.domain, d]));
  const rows = (await connection.runAndReadAll(SUBMISSIONS_SQL)).getRowObjectsJS();
  return rows.map((r) => {
    const domain = r.domain === null ? String(r.board).replace(/^tau2-bench\//, "") : String(r.domain);
    const facts = byDomain.get(domain);
    const submitted = r.submitted === null ? null : new Date(String(r.submitted));
    const value = r.value === null ? null : Number(r.value);
    const tasks = sizes.get(String(r.board)) ?? null;
    const ci = value === null || tasks === null ? null : wilsonInterval(Math.round((value / 100) * tasks), tasks);
    const version = r.tau2_version === null ? null : String(r.tau2_version);
    const family = versionFamily(version);
    const reasons: string[] = [];
    if (submitted && facts?.introduced && submitted < facts.introduced) {
      reasons.push(`predates the domain (${domain} introduced ${facts.introduced.toISOString().slice(0, 10)})`);
    }
    if (submitted && /^\d/.test(family) && submitted < domains.tau2_release) {
      reasons.push(`predates tau2-bench (first released ${domains.tau2_release.toISOString().slice(0, 10)}) yet reports version ${version}`);
    }
    return {
      domain,
      layer: facts?.layer ?? null,
      system: String(r.system),
      submitted_by: r.submitted_by === null ? null : String(r.submitted_by),
      submitted,
      tau2_version: version,
      version_family: family,
      pass1_pct: value,
      tasks,
      lo_pct: ci ? 100 * ci[0] : null,
      hi_pct: ci ? 100 * ci[1] : null,
      date_flag: reasons.length ? reasons.join("; ") : null,
      notes: r.notes === null ? null : String(r.notes),
      snapshot_id: String(r.snapshot_id)
    };
  });
}

export async function anchorRotationSubmissions(connection: DuckDBConnection): Promise<Table> {
  const rows = await submissionRows(connection);
  const text = (k: keyof SubmissionRow) => vectorFromArray(rows.map((r) => r[k] as string | null), new Utf8());
  const num = (k: keyof SubmissionRow) => vectorFromArray(rows.map((r) => r[k] as number | null), new Float64());
  return new Table({
    domain: text("domain"),
    layer: text("layer"),
    system: text("system"),
    submitted_by: text("submitted_by"),
    submitted: vectorFromArray(rows.map((r) => r.submitted), new DateDay()),
    tau2_version: text("tau2_version"),
    version_family: text("version_family"),
    pass1_pct: num("pass1_pct"),
    tasks: num("tasks"),
    lo_pct: num("lo_pct"),
    hi_pct: num("hi_pct"),
    implausible_date: vectorFromArray(rows.map((r) => r.date_flag !== null), new Bool()),
    date_flag: text("date_flag"),
    notes: text("notes"),
    snapshot_id: text("snapshot_id")
  });
}
