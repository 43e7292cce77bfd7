/**
 * The bundled data with some verdicts cleared (passed NULL), as records that were ingested but not yet scored:
 * in claude-3-7-sonnet's SWE-bench Verified run, every django/django instance (231) and three sympy/sympy instances
 * (one resolved, two not) lose their verdict; on tau-bench, two trials (a success and a failure) of the first task
 * with both outcomes, and all four trials of the first other task. Used by the page-query test (test/pages) and
 * the browser test of the pages on such data (test/browser/pages-5-8.test.ts).
 */
import type {DuckDBConnection} from "@duckdb/node-api";

export const CLEARED = {model: "claude-3-7-sonnet-20250219", wholeRepo: "django/django", partRepo: "sympy/sympy", partCleared: 3, wholeRepoSize: 231};

/** Clears the verdicts above on `connection` (the caller owns the transaction or the copy); returns the two tasks. */
export async function clearVerdicts(connection: DuckDBConnection): Promise<{mixedTask: string; otherTask: string}> {
  const tasks = (
    await connection.runAndReadAll(`
      SELECT item_id, count_if(passed) BETWEEN 1 AND count(*) - 1 AS mixed
      FROM records_latest WHERE benchmark = 'tau-bench' GROUP BY item_id ORDER BY item_id`)
  ).getRowObjectsJS();
  const mixedTask = String(tasks.find((t) => t.mixed)!.item_id);
  const otherTask = String(tasks.find((t) => t.item_id !== mixedTask)!.item_id);
  const swe = `SELECT record_id FROM records_latest WHERE benchmark = 'swe-bench-verified' AND model = $model AND slices['repo'] = $repo`;
  const tau = `SELECT record_id FROM records_latest WHERE benchmark = 'tau-bench' AND item_id = $task`;
  await connection.run(
    `UPDATE records SET passed = NULL WHERE record_id IN (
       (${swe.replace("$repo", "$whole")})
       UNION ALL (${swe.replace("$repo", "$part")} AND passed ORDER BY item_id LIMIT 1)
       UNION ALL (${swe.replace("$repo", "$part")} AND NOT passed ORDER BY item_id LIMIT 2)
       UNION ALL (${tau.replace("$task", "$mixed")} AND passed ORDER BY trial LIMIT 1)
       UNION ALL (${tau.replace("$task", "$mixed")} AND NOT passed ORDER BY trial LIMIT 1)
       UNION ALL (${tau.replace("$task", "$other")}))`,
    {model: CLEARED.model, whole: CLEARED.wholeRepo, part: CLEARED.partRepo, mixed: mixedTask, other: otherTask}
  );
  return {mixedTask, otherTask};
}
