// The disclosure rules that make counts safe to release, in one place: every stage that releases
// a count (measures, describe) and every check of released counts (check, run) asks this module.
// Within one date a rule applies to the numerator column and the denominator column separately.
// A blanked count is `null` (written as an empty cell).

/** How counts are made safe to release. */
export type DisclosureRule = 'round' | 'midpoint6' | 'suppress' | 'none';

export const DISCLOSURE_RULES: readonly DisclosureRule[] = ['round', 'midpoint6', 'suppress', 'none'];

/** A count as released: a whole number, or null where it was blanked. */
export type ReleasedCount = number | null;

/** Counts this small or smaller are blanked by "suppress" (cohort-extractor's SMALL_NUMBER_THRESHOLD). */
export const SMALL_NUMBER_THRESHOLD = 5;

/** Counts this small or smaller become 0 under "round", before rounding to a multiple of 5. */
export const ROUND_ZERO_AT_OR_BELOW = 7;

/** "midpoint6" turns every count from 1 to this into its midpoint, and so on in steps of this size. */
export const MIDPOINT6_STEP = 6;

/** The released numerator and denominator counts of one measure at one date, row for row. */
export function discloseCounts(
  rule: DisclosureRule,
  numerators: readonly number[],
  denominators: readonly number[],
): { numerators: ReleasedCount[]; denominators: ReleasedCount[] } {
  if (rule === 'round') return { numerators: numerators.map(roundCount), denominators: denominators.map(roundCount) };
  if (rule === 'midpoint6') return { numerators: numerators.map(midpoint6Count), denominators: denominators.map(midpoint6Count) };
  if (rule === 'suppress') return { numerators: suppressSmallNumbers(numerators), denominators: suppressSmallNumbers(denominators) };
  return { numerators: [...numerators], denominators: [...denominators] };
}

/**
 * "round": 7 or less becomes 0; anything else goes to the nearest multiple of 5. A whole number
 * is never exactly halfway between two multiples of 5 (its remainder is 0-4, never 2.5), so no
 * tie rule is needed; integer arithmetic keeps large counts exact.
 */
export function roundCount(count: number): number {
  if (count <= ROUND_ZERO_AT_OR_BELOW) return 0;
  const remainder = count % 5;
  return remainder >= 3 ? count - remainder + 5 : count - remainder;
}

/**
 * "midpoint6", OpenSAFELY's midpoint 6 rounding: 0 stays 0; any other count x becomes
 * 6·⌈x/6⌉ − 3, the midpoint of its band of six (1-6 → 3, 7-12 → 9, ...), so a released count
 * never tells which of six values it was, and the bands' midpoints add up without bias.
 */
export function midpoint6Count(count: number): number {
  if (count <= 0) return 0;
  const remainder = count % MIDPOINT6_STEP;
  const top = remainder === 0 ? count : count - remainder + MIDPOINT6_STEP;
  return top - MIDPOINT6_STEP / 2;
}

/**
 * "suppress", as cohort-extractor's Measure._suppress_column: counts from 1 to 5 are blanked; if
 * any were and they add up to 5 or less, the total could still be worked out from the others, so
 * every count equal to the smallest count above 5 is blanked too (all of them, since blanking
 * only some of equal counts would depend on row order). Zeros are never blanked.
 */
export function suppressSmallNumbers(counts: readonly number[]): ReleasedCount[] {
  let smallCount = 0;
  let smallTotal = 0;
  let nextSmallest = Infinity;
  for (const count of counts) {
    if (count > 0 && count <= SMALL_NUMBER_THRESHOLD) {
      smallCount++;
      smallTotal += count;
    } else if (count > SMALL_NUMBER_THRESHOLD && count < nextSmallest) nextSmallest = count;
  }
  if (smallCount === 0) return [...counts];
  const alsoBlank = smallTotal <= SMALL_NUMBER_THRESHOLD ? nextSmallest : NaN;
  return counts.map((count) => ((count > 0 && count <= SMALL_NUMBER_THRESHOLD) || count === alsoBlank ? null : count));
}
