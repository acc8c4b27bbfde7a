// The strata of a standardised measure, from its twin counted in the same pass by group and level
// of `by`: levels summed into their strata (ages into ESP 2013 bands), the group-size rule
// applied to each group and stratum as to any group, and the measure's disclosure rule to the
// stratum counts of each date, before any standardised rate is worked out from them.

import type { Stratum } from '../release/standardised-rate.js';
import type { MeasureDefinition, Standardisation } from './definitions.js';
import type { FileCounts } from './file-counter.js';
import type { MeasurePlan } from './plan.js';
import { releasedRows } from './measure-tables.js';
import { groupKey, sharedGroups } from './shared-groups.js';
import { checkLevels, stratumOf, weightOf } from './strata-levels.js';

/** One date's strata of each written group (by groupKey of its values), their counts released. */
export type StrataByGroup = Map<string, Stratum[]>;

/**
 * Per date, the released strata of measure `index` (which must be standardised): released as the
 * rows of the same measure grouped by its groups and the strata would be. A group left out by the
 * group-size rule has every stratum left out too, since none has more rows than the group.
 */
export function stratumTables(measure: MeasureDefinition, index: number, plan: MeasurePlan, counts: readonly FileCounts[]): StrataByGroup[] {
  const standardise = measure.standardise!;
  const twin = plan.measures[index]!.strata!;
  const banded = counts.map((file) => bandedCounts(file, plan.measures[twin]!.grouping, twin, standardise));
  const shared = sharedGroups(0, measure.minGroupSize, banded);
  return banded.map((file) => {
    const byGroup: StrataByGroup = new Map();
    for (const row of releasedRows(measure.disclosure, file.groups[0]!, file.sums[0]!, shared.kept)) {
      const key = groupKey(row.group.slice(0, -1));
      const strata = byGroup.get(key) ?? [];
      strata.push({ numerator: row.numerator, denominator: row.denominator, weight: weightOf(standardise, row.group[row.group.length - 1]!) });
      byGroup.set(key, strata);
    }
    return byGroup;
  });
}

/**
 * One file's counts of the twin with its levels summed into strata, as the counts of a single
 * grouping (its groups being the group values, then the stratum) and a single measure.
 */
function bandedCounts(file: FileCounts, grouping: number, twin: number, standardise: Standardisation): FileCounts {
  const at = new Map<string, number>();
  const groups: string[][] = [];
  const rows: number[] = [];
  const numerators: number[] = [];
  const denominators: number[] = [];
  const sums = file.sums[twin]!;
  file.groups[grouping]!.forEach((values, i) => {
    const stratified = [...values.slice(0, -1), stratumOf(standardise, values[values.length - 1]!)!];
    const key = groupKey(stratified);
    let j = at.get(key);
    if (j === undefined) {
      j = groups.length;
      at.set(key, j);
      groups.push(stratified);
      rows.push(0);
      numerators.push(0);
      denominators.push(0);
    }
    rows[j]! += file.groupRows[grouping]![i]!;
    numerators[j]! += sums.numerators[i]!;
    denominators[j]! += sums.denominators[i]!;
  });
  return { rows: file.rows, groups: [groups], groupRows: [rows], sums: [{ numerators, denominators }], flags: [] };
}

/** Every level of every standardised measure's `by`, in every file, must have a stratum (see strata-levels.ts). */
export async function checkStrata(measures: readonly MeasureDefinition[], plan: MeasurePlan, files: ReadonlyArray<{ path: string }>, counts: readonly FileCounts[]): Promise<void> {
  for (const [m, measure] of measures.entries()) {
    if (measure.standardise === null) continue;
    const grouping = plan.measures[plan.measures[m]!.strata!]!.grouping;
    for (const [i, file] of files.entries()) {
      const levels = new Set(counts[i]!.groups[grouping]!.map((values) => values[values.length - 1]!));
      await checkLevels(measure.id, measure.standardise, [...levels], file.path);
    }
  }
}
