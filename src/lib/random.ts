/**
 * Seeded pseudo-random numbers: xoshiro128** 1.1 (Blackman & Vigna 2018, "Scrambled linear pseudorandom number
 * generators", https://prng.di.unimi.it/xoshiro128starstar.c), 128-bit state, 32-bit output, period 2^128 − 1.
 * The state is filled from the seed with SplitMix32 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number
 * generators"), so any 32-bit seed gives a well-mixed, non-zero state.
 *
 * Pure 32-bit integer arithmetic (Math.imul, >>>), so the same seed gives the same stream in Node and in browsers.
 * Reproducibility also needs a canonical input order: callers resample items sorted by id (see stats/canonical.ts),
 * so the result depends on (seed, inputs) and not on the order in which rows arrived.
 */
export interface Rng {
  /** Next uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** Next uniform float in [0, 1) with 32 random bits. */
  nextFloat(): number;
  /** Next uniform integer in [0, n), unbiased (Lemire's multiply-and-reject), for integers 1 <= n <= 2^21. */
  nextInt(n: number): number;
}

/** The default seed used when a caller does not choose one. */
export const DEFAULT_SEED = 20251122;

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const TWO_32 = 4294967296;
const MAX_INT_RANGE = 2 ** 21;

/** A xoshiro128** generator seeded with a 32-bit integer (other numbers are reduced modulo 2^32). */
export function xoshiro128ss(seed: number = DEFAULT_SEED): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`xoshiro128ss: seed must be a finite number, got ${seed}`);
  const init = splitmix32(Math.trunc(seed) >>> 0);
  let s0 = init(), s1 = init(), s2 = init(), s3 = init();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is the one fixed point of xoshiro

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };

  return {
    nextUint32,
    nextFloat: () => nextUint32() / TWO_32,
    nextInt(n: number): number {
      // Lemire 2019, "Fast random integer generation in an interval". m = x·n must be exact in a double, which
      // holds for x < 2^32 and n <= 2^21 (product < 2^53); that bound is far above any item or cluster count.
      if (!(n >= 1 && n <= MAX_INT_RANGE && Number.isInteger(n))) throw new RangeError(`nextInt: n must be an integer in [1, 2^21], got ${n}`);
      let m = nextUint32() * n;
      let low = m % TWO_32;
      if (low < n) {
        const threshold = (TWO_32 - n) % n;
        while (low < threshold) {
          m = nextUint32() * n;
          low = m % TWO_32;
        }
      }
      return Math.floor(m / TWO_32);
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
