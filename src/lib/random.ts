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
const INV_TWO_32 = 1 / TWO_32;
const MAX_INT_RANGE = 2 ** 21;

/**
 * A xoshiro128** generator seeded with a 32-bit integer (other numbers are reduced modulo 2^32).
 * The state lives in an Int32Array: 32-bit values held in plain closure variables would be boxed as heap numbers by
 * V8 (small integers are 31-bit), which made every draw allocate.
 */
export function xoshiro128ss(seed: number = DEFAULT_SEED): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`xoshiro128ss: seed must be a finite number, got ${seed}`);
  return new Xoshiro128StarStar(Math.trunc(seed) >>> 0);
}

class Xoshiro128StarStar implements Rng {
  private readonly s = new Int32Array(4);

  constructor(seed: number) {
    const init = splitmix32(seed);
    for (let i = 0; i < 4; i++) this.s[i] = init();
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1; // all-zero is xoshiro's fixed point
  }

  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  nextFloat(): number {
    return this.nextUint32() * INV_TWO_32;
  }

  nextInt(n: number): number {
    // Lemire 2019, "Fast random integer generation in an interval": the high 32 bits of x·n are uniform on [0, n)
    // after rejecting the few low parts below (2^32 − n) mod n. x·n is exact in a double for n <= 2^21; the split
    // into high and low parts uses a power-of-two scaling and a subtraction, both exact.
    if (!(n >= 1 && n <= MAX_INT_RANGE)) throw new RangeError(`nextInt: n must be an integer in [1, 2^21], got ${n}`);
    let m = this.nextUint32() * n;
    let high = Math.floor(m * INV_TWO_32);
    let low = m - high * TWO_32;
    if (low < n) {
      const threshold = (TWO_32 - n) % n;
      while (low < threshold) {
        m = this.nextUint32() * n;
        high = Math.floor(m * INV_TWO_32);
        low = m - high * TWO_32;
      }
    }
    return high;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
