import {readFileSync} from "node:fs";
import {join} from "node:path";
import {parse} from "csv-parse/sync";
import {describe, expect, it} from "vitest";
import {reduceTrials, type TrialOutcome} from "../../src/lib/reducers.ts";

/** tau-bench (v1) airline, gpt-4o tool-calling agent: the 35 shared tasks x 4 trials (SOURCE.md beside the CSV). */
function tauBenchTrials(): TrialOutcome[] {
  const csv = readFileSync(join(import.meta.dirname, "../fixtures/scorers/tau_bench_trials/tau_bench_v1_gpt4o_airline_trials.csv"), "utf8");
  const rows: Record<string, string>[] = parse(csv, {columns: true});
  return rows.map((r) => ({item: r.task_id, value: Number(r.reward), passed: Number(r.reward) === 1}));
}

describe("trial reducers", () => {
  it("gives tau-bench's pass^1..4 on the bundled 35 tasks x 4 trials", () => {
    const trials = tauBenchTrials();
    expect(trials).toHaveLength(140);
    const got = [1, 2, 3, 4].map((k) => reduceTrials(trials, {kind: "pass^k", k}));
    for (const r of got) expect(r.items).toBe(35);
    // SOURCE.md: "Shared part alone (35 tasks): 0.464 / 0.319 / 0.257 / 0.229".
    expect(got.map((r) => Number(r.value.toFixed(3)))).toEqual([0.464, 0.319, 0.257, 0.229]);
    // pass^1 = pass@1 = the mean reward; pass@k grows with k while pass^k shrinks.
    expect(got[0].value).toBeCloseTo(reduceTrials(trials, {kind: "mean"}).value, 12);
    expect(reduceTrials(trials, {kind: "pass@k", k: 1}).value).toBeCloseTo(got[0].value, 12);
    const passAt = [1, 2, 3, 4].map((k) => reduceTrials(trials, {kind: "pass@k", k}).value);
    expect(passAt).toEqual([...passAt].sort((a, b) => a - b));
    // pass@4 with 4 trials is the share of tasks solved at least once, max the same over 0/1 rewards.
    expect(passAt[3]).toBeCloseTo(reduceTrials(trials, {kind: "max"}).value, 12);
  });

  it("reduces per item first, so an item with more trials does not weigh more", () => {
    const trials: TrialOutcome[] = [
      {item: "a", value: 1, passed: true},
      {item: "b", value: 0, passed: false},
      {item: "b", value: 0, passed: false},
      {item: "b", value: 0.5, passed: false}
    ];
    expect(reduceTrials(trials, {kind: "mean"}).value).toBeCloseTo((1 + 0.5 / 3) / 2, 12);
    expect(reduceTrials(trials, {kind: "max"}).value).toBe(0.75);
  });

  it("leaves missing trials out rather than counting them as failures", () => {
    const trials: TrialOutcome[] = [
      {item: "a", passed: true},
      {item: "a", passed: null},
      {item: "b", passed: null, value: null}
    ];
    const r = reduceTrials(trials, {kind: "pass^k", k: 1});
    expect(r).toMatchObject({value: 1, items: 1, itemsWithoutData: 1});
    expect(r.perItem.get("a")).toEqual({n: 1, c: 1});
    expect(() => reduceTrials(trials, {kind: "pass^k", k: 2})).toThrow(/k=2 exceeds the 1 attempts/);
    expect(() => reduceTrials([{item: "x"}], {kind: "mean"})).toThrow(/no item has a trial with a value/);
  });
});
