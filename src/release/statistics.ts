// Disclosure control for descriptive statistics: which numbers may leave the secure
// environment, and how they are rounded. The README's "Disclosure rules" section explains them.

import { ROUND_ZERO_AT_OR_BELOW, roundCount } from './rules.js';

/** Mean, sd and quartiles are released only when the rounded count of values is at least this. */
export const MIN_COUNT_FOR_SUMMARY = 100;
/** A quartile is released only when at least this many patients share its value (or its 1% bucket). */
export const MIN_SHARED_VALUE = ROUND_ZERO_AT_OR_BELOW + 1;

/** A count as released: rounded, or null (an empty cell) when rounding leaves nothing to show. */
export function releasedCount(count: number): number | null {
  const rounded = roundCount(count);
  return rounded === 0 ? null : rounded;
}

/** A percentage of released counts, to one decimal place; null when either is suppressed. */
export function releasedPercent(count: number | null, total: number | null): string | null {
  if (count === null || total === null || total === 0) return null;
  return ((100 * count) / total).toFixed(1);
}

/** Means and standard deviations to 4 significant figures, so no one value can be read back precisely. */
export function formatSummaryValue(value: number): string {
  return String(Number(value.toPrecision(4)));
}
