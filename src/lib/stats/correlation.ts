/**
 * Pearson's product-moment correlation (two-pass). NaN when either variable is constant (undefined, not 0).
 * Pairs are summed in ascending (x, y) order, so the result is bit-identical whatever order the rows came in.
 */
export function pearsonCorrelation(xIn: ArrayLike<number>, yIn: ArrayLike<number>): number {
  const n = xIn.length;
  if (yIn.length !== n) throw new RangeError(`correlation needs equal-length inputs, got ${n} and ${yIn.length}`);
  const order = Array.from({length: n}, (_, k) => k).sort((i, j) => xIn[i] - xIn[j] || yIn[i] - yIn[j]);
  const x = order.map((k) => xIn[k]), y = order.map((k) => yIn[k]);
  let mx = 0, my = 0;
  for (let k = 0; k < n; k++) {
    mx += x[k];
    my += y[k];
  }
  mx /= n;
  my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let k = 0; k < n; k++) {
    sxy += (x[k] - mx) * (y[k] - my);
    sxx += (x[k] - mx) ** 2;
    syy += (y[k] - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}
