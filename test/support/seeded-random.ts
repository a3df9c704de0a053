/**
 * Deterministic pseudo-random numbers in [0, 1) (mulberry32): the same seed
 * gives the same sequence, so a randomized test can be replayed from its seed
 * and the bench builds the same archive every run.
 */
export function seededRandom (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let x = state
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296
  }
}
