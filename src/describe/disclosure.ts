// Disclosure control for descriptive statistics: which numbers may leave the secure
// environment, and how they are rounded. The README's "Disclosure rules" section explains them.

/** Counts of 7 or fewer are suppressed, as in the measures' "round" rule. */
export const SUPPRESS_AT_OR_BELOW = 7;
/** Counts are rounded to a multiple of this. */
export const ROUND_TO = 5;
/** Mean, sd and quartiles are released only when the rounded count of values is at least this. */
export const MIN_COUNT_FOR_SUMMARY = 100;
/** A quartile is released only when at least this many patients share its value (or its 1% bucket). */
export const MIN_SHARED_VALUE = SUPPRESS_AT_OR_BELOW + 1;

/** The "round" rule: 7 or less becomes 0, then the nearest multiple of 5. */
export function roundCount(count: number): number {
  return count <= SUPPRESS_AT_OR_BELOW ? 0 : Math.round(count / ROUND_TO) * ROUND_TO;
}

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
