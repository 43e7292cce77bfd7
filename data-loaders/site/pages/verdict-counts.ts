/**
 * The counts a pass rate rests on, as SELECT columns over records with a `passed` verdict: `n` the records with a
 * verdict, the successes among them under `successes` (null when none has one, so the rate is a gap, not 0), and
 * `unscored` the records without a verdict, which are never counted as failures. One rule for every page.
 */
export function verdictCountsSql(successes: string): string {
  return `count(passed)::INTEGER AS n,
       CASE WHEN count(passed) > 0 THEN (count(*) FILTER (WHERE passed))::INTEGER END AS ${successes},
       (count(*) FILTER (WHERE passed IS NULL))::INTEGER AS unscored`;
}
