// The dominance rule for means and standard deviations, as statistical agencies apply to magnitude
// tables: a mean and sd are held back when one value dominates them, since that value could then
// be worked back from them. 999 values near 25 and one of 1,000,000 give a mean of 1,025 and an
// sd of 31,600, and mean + sd·√(n−1) ≈ 1,000,000 names the outlier.
//
// The rule: hold back both when the value farthest from the mean accounts for more than
// min(1/8, 2/√n) of the sum of squared deviations. Why this share:
// - 1/8: a value that k patients share takes about 1/k of it, so an extreme value held by fewer
//   than 8 patients (the group size rule's number) is never released, and one held by more is a
//   value many people have, like a released quartile.
// - 2/√n: with many values, an attacker who knew the spread of all the others could subtract
//   it and read the outlier's deviation; the others' own sum of squares varies by about
//   √(2n)·sd², so a share below 2/√n leaves the outlier's deviation uncertain by about a third.
// Ordinary columns are far below it: in n normal values the largest share is about 2·ln(n)/n
// (9% at n = 100, 1.4% at n = 1,000), and an age column of people over 65 about 1% at n = 1,000.
// The minimum and maximum are tracked to apply the rule and are never released themselves.

import { ROUND_ZERO_AT_OR_BELOW } from './rules.js';

/** Whatever n, no one value may hold more than this share (see above). */
export const MAX_DOMINANT_SHARE = 1 / (ROUND_ZERO_AT_OR_BELOW + 1);
/** With n values, no one value may hold more than this over √n. */
export const DOMINANCE_SCALE = 2;

/** What the rule needs of a column: kept while streaming, never released. */
export interface SpreadSummary {
  count: number;
  mean: number;
  /** Sum of squared deviations from the mean. */
  m2: number;
  min: number;
  max: number;
}

/** The largest share of the sum of squared deviations one value may take among `count` values. */
export function maxDominantShare(count: number): number {
  return Math.min(MAX_DOMINANT_SHARE, DOMINANCE_SCALE / Math.sqrt(count));
}

/** The share of the sum of squared deviations taken by the value farthest from the mean (0 when all are equal). */
export function dominantShare({ mean, m2, min, max }: SpreadSummary): number {
  if (!(m2 > 0)) return 0;
  const farthest = Math.max(Math.abs(max - mean), Math.abs(mean - min));
  return Math.min(1, (farthest * farthest) / m2);
}

/** Whether the mean and sd of these values may be released: no single value dominates them. */
export function meanAndSdReleasable(summary: SpreadSummary): boolean {
  if (!Number.isFinite(summary.mean) || !Number.isFinite(summary.m2)) return false;
  return dominantShare(summary) <= maxDominantShare(summary.count);
}
