/**
 * Importer for tau2-bench results files (sierra-research/tau2-bench, `data/simulations/*.json`: one run of an
 * agent on a domain, with `info`, `tasks` and `simulations`).
 *
 * Each simulation becomes one run record: the messages become trajectory steps (assistant -> agent, user -> user,
 * tool -> tool; one step per tool call, since a message may carry several), tau2's reward becomes `score`, and the
 * task's expected actions become trajectory rules in `target` ({"rules": [...]}, one `must-call` per action, on
 * the actor that must make the call), so the trajectory scorer can check them with `rulesFromTarget`.
 * tau2's own verdicts (`reward_info.action_checks`) are returned alongside, for comparison.
 *
 * `benchlab ingest --format tau2 FILE` stages the records through `stageTau2`, so they are validated, hashed and
 * stored like any other file (line = the simulation's position in the file, from 1).
 */
import {readFileSync} from "node:fs";
import {z} from "zod";
import type {DuckDBConnection} from "@duckdb/node-api";
import type {RunRecordInput, TrajectoryStep} from "../../src/lib/schema.ts";
import {sha256Hex} from "../snapshots/manifest.ts";
import {createLinesTable, gunzipIfGzip, LineAppender, type StagedFile} from "./stage-lines.ts";

const ToolCall = z.object({name: z.string(), arguments: z.record(z.string(), z.unknown()), requestor: z.enum(["assistant", "user"]).optional()});
const Message = z.object({
  role: z.enum(["assistant", "user", "tool", "system"]),
  content: z.string().nullish(),
  tool_calls: z.array(ToolCall).nullish(),
  timestamp: z.string().nullish()
});
const Action = z.object({
  action_id: z.string(),
  requestor: z.enum(["assistant", "user"]),
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  compare_args: z.array(z.string()).nullish()
});
const Task = z.object({id: z.string(), evaluation_criteria: z.object({actions: z.array(Action).nullish()}).nullish()});
const Simulation = z.object({
  id: z.string(),
  task_id: z.string(),
  trial: z.number().int().nonnegative(),
  start_time: z.string().nullish(),
  duration: z.number().nullish(),
  agent_cost: z.number().nullish(),
  messages: z.array(Message),
  reward_info: z.object({
    reward: z.number(),
    action_checks: z.array(z.object({action: Action, action_match: z.boolean()})).nullish()
  })
});
const Results = z.object({
  timestamp: z.string(),
  info: z.object({
    git_commit: z.string().nullish(),
    agent_info: z.object({llm: z.string()}),
    environment_info: z.object({domain_name: z.string()})
  }),
  tasks: z.array(Task),
  simulations: z.array(Simulation)
});
type Action = z.infer<typeof Action>;

/** The document is not a tau2-bench results file: the message names the file and field. */
export class Tau2FormatError extends Error {}

const ACTOR = {assistant: "agent", user: "user", tool: "tool", system: "system"} as const;

/** tau2's own verdict on one expected action of one simulation. */
export interface Tau2ActionCheck {
  action_id: string;
  requestor: "assistant" | "user";
  name: string;
  match: boolean;
}

export interface Tau2Import {
  records: RunRecordInput[];
  /** tau2's action checks per simulation, keyed by `${item_id}#${trial}`. */
  actionChecks: Map<string, Tau2ActionCheck[]>;
}

/** The trajectory rule of one expected action: the named actor must make this call (tau2's compare_args kept). */
export function actionRule(a: Action) {
  return {
    type: "must-call" as const,
    id: a.action_id,
    actor: a.requestor === "assistant" ? ("agent" as const) : ("user" as const),
    tool: a.name,
    args: a.arguments,
    ...(a.compare_args != null ? {compareArgs: a.compare_args} : {})
  };
}

function steps(messages: z.infer<typeof Message>[]): TrajectoryStep[] {
  return messages.flatMap((m): TrajectoryStep[] => {
    const actor = ACTOR[m.role];
    const at = m.timestamp ?? null;
    if (!m.tool_calls?.length) return [{actor, content: m.content ?? null, at}];
    return m.tool_calls.map((c, i) => ({actor, tool: c.name, arguments: c.arguments, content: i === 0 ? (m.content ?? null) : null, at}));
  });
}

/** Parses a tau2-bench results document; `file` names it in errors. */
export function importTau2Results(doc: unknown, file: string): Tau2Import {
  const parsed = Results.safeParse(doc);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Tau2FormatError(`${file}: not a tau2-bench results file: field ${first.path.join(".")}: ${first.message}`);
  }
  const r = parsed.data;
  const actionsOf = new Map(r.tasks.map((t) => [t.id, t.evaluation_criteria?.actions ?? []]));
  const records: RunRecordInput[] = [];
  const actionChecks = new Map<string, Tau2ActionCheck[]>();
  r.simulations.forEach((s, i) => {
    const actions = actionsOf.get(s.task_id);
    if (!actions) throw new Tau2FormatError(`${file}: simulations.${i} refers to task ${JSON.stringify(s.task_id)}, which is not in tasks`);
    records.push({
      benchmark: "tau2-bench",
      split: r.info.environment_info.domain_name,
      item_id: s.task_id,
      model: r.info.agent_info.llm,
      run_id: `tau2-${r.timestamp}`,
      harness: "tau2-bench",
      harness_sha: r.info.git_commit ?? null,
      trial: s.trial,
      score: s.reward_info.reward,
      passed: s.reward_info.reward === 1,
      target: JSON.stringify({rules: actions.map(actionRule)}),
      trajectory: steps(s.messages),
      latency_ms: s.duration != null ? s.duration * 1000 : null,
      cost_usd: s.agent_cost ?? null,
      run_at: s.start_time ?? null
    });
    actionChecks.set(
      `${s.task_id}#${s.trial}`,
      (s.reward_info.action_checks ?? []).map((c) => ({action_id: c.action.action_id, requestor: c.action.requestor, name: c.action.name, match: c.action_match}))
    );
  });
  return {records, actionChecks};
}

/** Reads and imports a tau2-bench results file (JSON; gzip is detected by its magic bytes), with its sha256. */
export async function importTau2File(path: string): Promise<Tau2Import & {fileSha256: string}> {
  const raw = readFileSync(path);
  const bytes = gunzipIfGzip(raw);
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    throw new Tau2FormatError(`${path}: not valid JSON (${err instanceof Error ? err.message : String(err)}); --format tau2 expects a tau2-bench results file (data/simulations/*.json)`);
  }
  return {...importTau2Results(doc, path), fileSha256: sha256Hex(raw)};
}

/** Stages a tau2-bench results file as one JSON line per simulation, for the ordinary checks of ingest. */
export async function stageTau2(conn: DuckDBConnection, file: string): Promise<StagedFile> {
  const {records, fileSha256} = await importTau2File(file);
  await createLinesTable(conn);
  const appender = await LineAppender.open(conn);
  records.forEach((r, i) => appender.push(i + 1, JSON.stringify(r)));
  appender.close();
  return {fileSha256, lines: records.length, lastLineUnterminated: false, lastLine: records.length, rejected: [], reader: "javascript"};
}
