/**
 * Distribution functions needed to reproduce reference intervals and p-values to ~1e-13: the normal, Student t,
 * beta and binomial distributions. simple-statistics' normal CDF is a 2-decimal table and its inverse error function
 * a 1e-3 approximation, too coarse for the golden fixtures, so these are written out here with textbook algorithms:
 *
 * - erfc via the regularized incomplete gamma function Q(1/2, x²): power series for small x, Lentz continued
 *   fraction otherwise (Press et al. 2007, Numerical Recipes 3rd ed., §6.2).
 * - Normal quantile: Abramowitz & Stegun 26.2.23 starting value refined by Halley steps on the accurate CDF.
 * - log Γ: Lanczos approximation with the NR3 coefficients (§6.1), relative error < 1e-15.
 * - Regularized incomplete beta I_x(a, b): Lentz continued fraction (NR3 §6.4); quantiles by safeguarded Newton.
 * - Student t CDF through I_x(ν/2, 1/2) (Abramowitz & Stegun 26.7.1); quantile by safeguarded Newton.
 */

const SQRT2 = Math.SQRT2;
const LOG_SQRT_PI = 0.5723649429247001; // ln √π = ln Γ(1/2)
const EPS = 1e-16;
const TINY = 1e-300;

/** ln Γ(x) for x > 0 (Lanczos, NR3 gammln). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be positive, got ${x}`);
  const cof = [
    57.1562356658629235, -59.5979603554754912, 14.1360979747417471, -0.491913816097620199, 0.339946499848118887e-4,
    0.465236289270485756e-4, -0.983744753048795646e-4, 0.158088703224912494e-3, -0.210264441724104883e-3,
    0.217439618115212643e-3, -0.164318106536763890e-3, 0.844182239838527433e-4, -0.261908384015814087e-4,
    0.368991826595316234e-5,
  ];
  let y = x;
  const tmp0 = x + 5.24218750000000000; // 671/128
  const tmp = (x + 0.5) * Math.log(tmp0) - tmp0;
  let ser = 0.999999999999997092;
  for (const c of cof) ser += c / ++y;
  return tmp + Math.log((2.5066282746310005 * ser) / x);
}

/** Complementary error function erfc(x) = Q(1/2, x²) for x ≥ 0, reflected for x < 0. Relative error ~1e-15. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x === Infinity) return 0;
  const x2 = x * x;
  if (x < 1.5) return 1 - lowerGammaHalf(x2);
  return upperGammaHalfCF(x2);
}

/** P(1/2, z) by its power series (converges fast for small z). */
function lowerGammaHalf(z: number): number {
  let ap = 0.5, del = 1 / 0.5, sum = del;
  for (let n = 0; n < 500; n++) {
    ap += 1;
    del *= z / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-z + 0.5 * Math.log(z) - LOG_SQRT_PI);
}

/** Q(1/2, z) by the Lentz continued fraction (for z ≳ 2). */
function upperGammaHalfCF(z: number): number {
  const a = 0.5;
  let b = z + 1 - a, c = 1 / TINY, d = 1 / b, h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-z + a * Math.log(z) - LOG_SQRT_PI) * h;
}

/** Standard normal CDF Φ(x), accurate in both tails. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / SQRT2);
}

/** Standard normal quantile Φ⁻¹(p); −∞ at 0, +∞ at 1. */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  // Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4), then Halley's method on Φ(x) − p.
  const t = Math.sqrt(-2 * Math.log(p));
  let x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  for (let i = 0; i < 4; i++) {
    const e = normalCdf(x) - p;
    const u = (e * Math.sqrt(2 * Math.PI)) * Math.exp(0.5 * x * x);
    const step = u / (1 + 0.5 * x * u);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.abs(x)) break;
  }
  return x;
}

/** Stirling-series remainder ln Γ(x) − [(x − ½) ln x − x + ½ ln 2π], for x ≥ 10 (error < 1e-15). */
function stirlingCorrection(x: number): number {
  const x2 = 1 / (x * x);
  return (1 / x) * (1 / 12 - x2 * (1 / 360 - x2 * (1 / 1260 - x2 * (1 / 1680 - x2 * (1 / 1188 - x2 * (691 / 360360))))));
}

/**
 * ln B(a, b). For large arguments ln Γ(a) − ln Γ(a + b) cancels badly (both near a ln a), so those terms are
 * combined analytically from the Stirling series, as R's `lbeta` does (after TOMS 708).
 */
export function logBeta(a: number, b: number): number {
  const p = Math.min(a, b), q = Math.max(a, b);
  if (q < 10) return logGamma(p) + logGamma(q) - logGamma(p + q);
  const corr = stirlingCorrection(q) - stirlingCorrection(p + q);
  if (p < 10) {
    // ln Γ(q) − ln Γ(p+q) = −(q − ½) ln(1 + p/q) − p ln(p+q) + p + corr
    return logGamma(p) + corr + p - p * Math.log(p + q) - (q - 0.5) * Math.log1p(p / q);
  }
  return 0.5 * Math.log(2 * Math.PI) - 0.5 * Math.log(q) + stirlingCorrection(p) + corr
    + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
}

/** Continued fraction of the incomplete beta function (NR3 betacf), modified Lentz. */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1, d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** Regularized incomplete beta function I_x(a, b), a, b > 0. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`incompleteBeta: a and b must be positive, got ${a}, ${b}`);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b));
  // The continued fraction converges fast for x < (a+1)/(a+b+2); use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) beyond.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Quantile of the Beta(a, b) distribution: the x with I_x(a, b) = p. */
export function betaQuantile(p: number, a: number, b: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return 0;
  if (p === 1) return 1;
  const logNorm = logBeta(a, b);
  const density = (x: number) => Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logNorm);
  return invertIncreasing((x) => incompleteBeta(x, a, b) - p, density, 0, 1, a / (a + b));
}

/**
 * Root of an increasing function f on [lo, hi] with derivative df: Newton steps, falling back to bisection when a
 * step leaves the bracket. Stops at machine precision.
 */
function invertIncreasing(f: (x: number) => number, df: (x: number) => number, lo: number, hi: number, start: number): number {
  let x = start;
  for (let i = 0; i < 200; i++) {
    const fx = f(x);
    if (fx === 0) return x;
    if (fx < 0) lo = x;
    else hi = x;
    const d = df(x);
    let next = x - fx / d;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 4 * Number.EPSILON * Math.max(Math.abs(x), 1e-300) || hi - lo <= 4 * Number.EPSILON * Math.abs(hi)) return next;
    x = next;
  }
  return x;
}

/** Student t CDF with ν > 0 degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTCdf: degrees of freedom must be positive, got ${df}`);
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t < 0 ? tail : 1 - tail;
}

/** Two-sided p-value P(|T| ≥ |t|) of a Student t statistic, computed without cancellation. */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** Student t density. */
export function studentTPdf(t: number, df: number): number {
  return Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** Student t quantile. */
export function studentTQuantile(p: number, df: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  // Upper half: solve the upper tail 1 − F(t) = 1 − p for t > 0, where the tail is computed without cancellation.
  const q = 1 - p;
  const upperTail = (t: number) => 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  let hi = Math.max(1, normalQuantile(p));
  while (upperTail(hi) > q) hi *= 2;
  return invertIncreasing((t) => q - upperTail(t), (t) => studentTPdf(t, df), 0, hi, Math.min(normalQuantile(p), hi));
}

/** Binomial probability mass P(X = k), X ~ Bin(n, 1/2), from exact log terms (no overflow for large n). */
export function binomialHalfPmf(k: number, n: number): number {
  if (k < 0 || k > n) return 0;
  const m = Math.min(k, n - k);
  let logC = 0;
  for (let i = 1; i <= m; i++) logC += Math.log((n - m + i) / i);
  return Math.exp(logC - n * Math.LN2);
}

/** Binomial CDF P(X ≤ k), X ~ Bin(n, 1/2): the pmf at k times a sum of term ratios (all ≤ 1 below the mode). */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (2 * k > n) return 1 - binomialHalfCdf(n - k - 1, n);
  let term = 1, sum = 1;
  for (let j = k; j > 0; j--) {
    term *= j / (n - j + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum * binomialHalfPmf(k, n);
}

/** Upper tail of the chi-square distribution with 1 degree of freedom: P(X ≥ x) = erfc(√(x/2)). */
export function chiSquare1Survival(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  return erfc(Math.sqrt(x / 2));
}
