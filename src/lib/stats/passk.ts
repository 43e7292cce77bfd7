/**
 * pass@k and pass^k from n sampled attempts per task, c of them correct.
 *
 * pass@k: the unbiased estimator of "at least one of k attempts succeeds",
 *   1 − C(n−c, k) / C(n, k)   (Chen et al. 2021, "Evaluating Large Language Models Trained on Code",
 *   arXiv:2107.03374, §2.1). Computed with their numerically stable product 1 − Π_{i=n−c+1..n} (1 − k/i).
 * pass^k: the unbiased estimator of "all k i.i.d. attempts succeed",
 *   C(c, k) / C(n, k)   (Yao et al. 2024, "τ-bench", arXiv:2406.12045; tau2-bench `pass_hat_k`).
 *   Computed as Π_{i=0..k−1} (c−i)/(n−i), which never forms a large binomial coefficient.
 *
 * k > n leaves both estimators undefined (there are fewer than k attempts to choose from): the per-task
 * functions return NaN and the benchmark means throw, naming the task, as tau2-bench does.
 */

/** One task's attempts: n sampled attempts, c of them correct. */
export interface TaskAttempts {
  n: number;
  c: number;
}

function checkCounts(n: number, c: number, k: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`pass@k: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(c) || c < 0 || c > n) throw new RangeError(`pass@k: c must be an integer in [0, n=${n}], got ${c}`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`pass@k: k must be a positive integer, got ${k}`);
}

/** Unbiased pass@k for one task (Chen et al. 2021). NaN when k > n (undefined). */
export function passAtK(n: number, c: number, k: number): number {
  checkCounts(n, c, k);
  if (k > n) return NaN;
  if (n - c < k) return 1;
  let allFail = 1;
  for (let i = n - c + 1; i <= n; i++) allFail *= 1 - k / i;
  return 1 - allFail;
}

/** Unbiased pass^k for one task: C(c,k)/C(n,k) (Yao et al. 2024, τ-bench). NaN when k > n (undefined). */
export function passHatK(n: number, c: number, k: number): number {
  checkCounts(n, c, k);
  if (k > n) return NaN;
  if (c < k) return 0;
  let allPass = 1;
  for (let i = 0; i < k; i++) allPass *= (c - i) / (n - i);
  return allPass;
}

function meanOverTasks(tasks: readonly TaskAttempts[], k: number, perTask: (n: number, c: number, k: number) => number, name: string): number {
  if (tasks.length === 0) throw new RangeError(`${name}: no tasks to average`);
  const values = tasks.map((t, i) => {
    if (k > t.n) {
      throw new RangeError(`${name}: k=${k} exceeds the ${t.n} attempts of task ${i}; the estimator is undefined. Use k <= ${Math.min(...tasks.map((x) => x.n))} or run more attempts.`);
    }
    return perTask(t.n, t.c, k);
  });
  // Summed in ascending order so that the mean is bit-identical whatever order the tasks came in.
  return values.sort((x, y) => x - y).reduce((s, v) => s + v, 0) / tasks.length;
}

/** Benchmark pass@k: the unweighted mean over tasks (equal weight even when n differs). Throws if any task has n < k. */
export function meanPassAtK(tasks: readonly TaskAttempts[], k: number): number {
  return meanOverTasks(tasks, k, passAtK, "pass@k");
}

/** Benchmark pass^k: the unweighted mean over tasks. Throws if any task has n < k. */
export function meanPassHatK(tasks: readonly TaskAttempts[], k: number): number {
  return meanOverTasks(tasks, k, passHatK, "pass^k");
}
