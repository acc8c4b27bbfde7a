// Directly standardised rates and their 95% intervals, from the released counts of each stratum
// (an age band, say) of one group at one date: the rate the group would have with the standard
// population's make-up, and Dobson's interval built on Byar's limits for its total events.

import { Z_95, byarLimits } from './intervals.js';
import type { ReleasedCount } from './rules.js';

/** Fewer released events than this over the strata used leave the standardised rate unreleased: it would be too unstable to read. */
export const MIN_STANDARDISED_EVENTS = 10;

/** One stratum of a group at one date: its released counts and its standard population weight. */
export interface Stratum {
  numerator: ReleasedCount;
  denominator: ReleasedCount;
  weight: number;
}

export interface StandardisedRate {
  value: number;
  lower: number;
  upper: number;
}

/**
 * The directly standardised rate: the sum over strata of weight × (numerator / denominator),
 * divided by the sum of those strata's weights, over the strata whose released denominator is
 * above 0; its interval by Dobson's method (Dobson AJ, Kuulasmaa K, Eberle E, Scherer J.
 * Confidence intervals for weighted sums of Poisson parameters. Stat Med 1991;10:457-462) with
 * Byar's limits for the total numerator O of those strata:
 * rate + sqrt(var / O) × (limit(O) − O), where var = Σ weight² · numerator / denominator² / (Σ weight)².
 * Null (not released) when fewer than 10 events are left, or when a stratum used has a blanked
 * numerator, whose rate no one can know.
 */
export function standardisedRate(strata: readonly Stratum[], z = Z_95): StandardisedRate | null {
  let weights = 0;
  let events = 0;
  let weighted = 0;
  let variance = 0;
  for (const { numerator, denominator, weight } of strata) {
    if (denominator === null || !(denominator > 0)) continue;
    if (numerator === null) return null;
    weights += weight;
    events += numerator;
    weighted += (weight * numerator) / denominator;
    variance += (weight * weight * numerator) / (denominator * denominator);
  }
  if (events < MIN_STANDARDISED_EVENTS) return null;
  const value = weighted / weights;
  const spread = Math.sqrt(variance / (weights * weights) / events);
  const limits = byarLimits(events, z);
  return { value, lower: value + spread * (limits.lower - events), upper: value + spread * (limits.upper - events) };
}
