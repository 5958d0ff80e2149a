/**
 * A small seeded generator (mulberry32): the same seed gives the same
 * sequence, so generated benchmarks, fuzz inputs and property tests replay
 * exactly.
 */
export type Rand = () => number;

export function prng(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
