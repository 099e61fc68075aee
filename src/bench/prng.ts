// mulberry32: a small deterministic PRNG. Benches, synthetic test frames and randomized tests draw
// from it so a run can be repeated from its seed; never for anything secret (ids, keys use crypto).
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
