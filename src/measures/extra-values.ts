// The extra value columns of a measure's rows, after `value`: its 95% interval (Wilson's for a
// proportion of patients, Byar's for a rate of events) and its directly standardised rate with
// Dobson's interval, each worked out from released counts only, and empty where `value` is.

import { valueInterval, type IntervalMethod } from '../release/intervals.js';
import { standardisedRate } from '../release/standardised-rate.js';
import { POPULATION, type MeasureDefinition } from './definitions.js';
import type { FileCounts } from './file-counter.js';
import type { MeasurePlan } from './plan.js';
import { numberCell, releasedValue, type ReleasedRow } from './measure-tables.js';
import { groupKey } from './shared-groups.js';
import type { StrataByGroup } from './strata.js';

/**
 * Wilson's interval when the numerator is `population` or a flag column (every value in every
 * cohort file 0, 1 or empty: a count of patients out of the denominator), else Byar's.
 */
export function intervalMethod(measure: MeasureDefinition, plan: MeasurePlan, counts: readonly FileCounts[]): IntervalMethod {
  if (measure.numerator === POPULATION) return 'wilson';
  const column = plan.countColumns.indexOf(measure.numerator);
  return counts.every((file) => file.flags[column]) ? 'wilson' : 'byar';
}

/** The extra cells of each row of one date: lower, upper (with an interval), then the standardised rate and its limits (with `strata`). */
export function extraCells(measure: MeasureDefinition, method: IntervalMethod, strata: StrataByGroup | null): (row: ReleasedRow) => string[] {
  return (row) => {
    const cells: string[] = [];
    const defined = releasedValue(row) !== null;
    if (measure.confidenceInterval) {
      const interval = defined ? valueInterval(method, row.numerator, row.denominator) : null;
      cells.push(numberCell(interval?.lower ?? null), numberCell(interval?.upper ?? null));
    }
    if (strata !== null) {
      const rate = defined ? standardisedRate(strata.get(groupKey(row.group)) ?? []) : null;
      cells.push(numberCell(rate?.value ?? null), numberCell(rate?.lower ?? null), numberCell(rate?.upper ?? null));
    }
    return cells;
  };
}
