/**
 * Classical item statistics of a pass/fail benchmark, where the "respondents" are models (Crocker & Algina 1986,
 * Introduction to Classical and Modern Test Theory, ch. 14; Lord & Novick 1968):
 * - pass rate (classical item difficulty p) and whether the item is solved by no model or by every model — such
 *   items cannot tell these models apart;
 * - discrimination: the corrected point-biserial correlation between the item (0/1) and each model's score on the
 *   *other* items (rest score), so the item's own contribution does not inflate it. NaN when the item or the rest
 *   score is constant across models (undefined, shown as missing).
 */
import {pearsonCorrelation} from "./correlation.ts";
import type {PassFailMatrix} from "./binary-bootstrap.ts";

export interface ItemStatistic {
  item: string;
  passRate: number;
  solvedByNone: boolean;
  solvedByAll: boolean;
  pointBiserial: number;
}

export interface ItemStatisticsSummary {
  items: ItemStatistic[];
  nSolvedByNone: number;
  nSolvedByAll: number;
  /** Share of items that separate at least one pair of models (solved by some but not all). */
  fractionInformative: number;
}

export function itemStatistics(matrix: PassFailMatrix): ItemStatisticsSummary {
  const {models, items, outcomes} = matrix;
  const M = models.length;
  if (M < 2) throw new RangeError(`item statistics need at least 2 models, got ${M}`);
  const totals = outcomes.map((row, m) => {
    if (row.length !== items.length) throw new RangeError(`model ${models[m]} has ${row.length} outcomes for ${items.length} items`);
    let s = 0;
    for (let i = 0; i < row.length; i++) {
      if (row[i] !== 0 && row[i] !== 1) throw new RangeError(`model ${models[m]}, item ${items[i]}: outcome ${row[i]} is not 0 or 1`);
      s += row[i];
    }
    return s;
  });
  const stats = items.map((item, i) => {
    let passes = 0;
    for (let m = 0; m < M; m++) passes += outcomes[m][i];
    const x = outcomes.map((row) => row[i]);
    const rest = totals.map((t, m) => t - x[m]);
    return {item, passRate: passes / M, solvedByNone: passes === 0, solvedByAll: passes === M, pointBiserial: pearsonCorrelation(x, rest)};
  });
  const nSolvedByNone = stats.filter((s) => s.solvedByNone).length, nSolvedByAll = stats.filter((s) => s.solvedByAll).length;
  return {items: stats, nSolvedByNone, nSolvedByAll, fractionInformative: (items.length - nSolvedByNone - nSolvedByAll) / items.length};
}

