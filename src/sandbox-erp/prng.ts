/**
 * A small seeded PRNG for the sandbox's data set: the same seed gives the same ERP, byte for byte.
 *
 * Every part of the data set draws from its own stream (`rng(seed, 'item', 17)`), so adding
 * customers never changes the items, and an item's data does not depend on the items before it.
 *
 * @module
 */

/** mulberry32: 32-bit state, fast, good enough for test data (not for anything secret). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the labels, mixed with the seed: one independent stream per label path. */
function streamSeed(seed: number, labels: ReadonlyArray<string | number>): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (const label of labels) {
    const text = `${String(label)}\u0000`;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h;
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** Uniform in [min, max). */
  float(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(values: readonly T[]): T;
  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(values: readonly T[]): T[];
}

/** The random stream for one labelled part of the data set. */
export function rng(seed: number, ...labels: Array<string | number>): Rng {
  const next = mulberry32(streamSeed(seed, labels));
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    float: (min, max) => min + next() * (max - min),
    chance: (probability) => next() < probability,
    pick: <T>(values: readonly T[]): T => values[int(0, values.length - 1)] as T,
    shuffle: <T>(values: readonly T[]): T[] => {
      const copy = [...values];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(0, i);
        [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
      }
      return copy;
    },
  };
}

/** Cents to a decimal string with two places: 1234 -> "12.34". Integer maths, no float drift. */
export function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Zero-padded key, e.g. `key('SKU-', 7, 5)` -> `SKU-00007`. */
export function key(prefix: string, n: number, width: number): string {
  return `${prefix}${String(n).padStart(width, '0')}`;
}
