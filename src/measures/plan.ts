// Turns measure definitions into what one pass over a cohort file needs: the distinct columns to
// read (counts and groups), the distinct groupings, and for each measure where its numbers come
// from. A standardised measure is counted twice in the same pass: by its groups, and by its
// groups and strata (the levels of `standardise.by` as one more group column). Plain data, so it
// can be sent to worker threads as is.

import { UserError, listNames, quote } from '../errors.js';
import { checkOnce } from '../csv/header.js';
import type { MeasureDefinition } from './definitions.js';
import { POPULATION } from './population.js';

export interface MeasurePlan {
  /** Columns read as non-negative integers (numerators and denominators other than `population`). */
  countColumns: string[];
  /** Columns whose values form groups. */
  groupColumns: string[];
  /** Distinct `group_by` lists (and `group_by` plus `standardise.by`), as indexes into `groupColumns`. */
  groupings: number[][];
  /** The definitions' measures in their order, then the stratified twins of standardised ones. */
  measures: PlannedMeasure[];
}

export interface PlannedMeasure {
  id: string;
  /** Index into the row's counts: `countColumns` order, then one slot that is always 1 (`population`). */
  numeratorSlot: number;
  denominatorSlot: number;
  grouping: number;
  /** A standardised measure's twin: its index in `measures`, counted by group and stratum (the stratum column last); null for none. */
  strata: number | null;
}

export function planMeasures(measures: readonly MeasureDefinition[]): MeasurePlan {
  const countColumns = distinct(measures.flatMap((m) => [m.numerator, m.denominator]).filter((c) => c !== POPULATION));
  const groupColumns = distinct(measures.flatMap((m) => [...m.groupBy, ...(m.standardise === null ? [] : [m.standardise.by])]));
  const groupingKeys: string[] = [];
  const groupings: number[][] = [];
  const slotOf = (column: string) => (column === POPULATION ? countColumns.length : countColumns.indexOf(column));
  const groupingOf = (columns: readonly string[]) => {
    const key = JSON.stringify(columns);
    let grouping = groupingKeys.indexOf(key);
    if (grouping < 0) {
      grouping = groupings.length;
      groupingKeys.push(key);
      groupings.push(columns.map((c) => groupColumns.indexOf(c)));
    }
    return grouping;
  };
  const planned = measures.map((m): PlannedMeasure => ({
    id: m.id,
    numeratorSlot: slotOf(m.numerator),
    denominatorSlot: slotOf(m.denominator),
    grouping: groupingOf(m.groupBy),
    strata: null,
  }));
  measures.forEach((m, i) => {
    if (m.standardise === null) return;
    planned[i]!.strata = planned.length;
    planned.push({ ...planned[i]!, grouping: groupingOf([...m.groupBy, m.standardise.by]), strata: null });
  });
  return { countColumns, groupColumns, groupings, measures: planned };
}

/** Where the plan's columns are in a cohort file's header. */
export interface ColumnPositions {
  countFields: number[];
  groupFields: number[];
}

/**
 * Finds every column the measures use in `header`; a missing (or repeated) column is an error on
 * the header line naming the measures that need it and the columns the file has.
 */
export function findColumns(header: readonly string[], measures: readonly MeasureDefinition[], plan: MeasurePlan, file: string): ColumnPositions {
  const missing = [...plan.countColumns, ...plan.groupColumns].filter((c) => !header.includes(c));
  if (missing.length > 0) {
    const users = measures.filter((m) => columnsOf(m).some((c) => missing.includes(c))).map((m) => m.id);
    const what = missing.length === 1 ? `column ${quote(missing[0]!)}` : `columns ${listNames(missing)}`;
    const needed = users.length === 1 ? `measure ${quote(users[0]!)} uses` : `measures ${listNames(users.slice(0, 5))}${users.length > 5 ? ' and others' : ''} use`;
    throw new UserError(`has no ${what}, which ${needed}; its columns are ${listNames(header)}`, { file, line: 1 });
  }
  const position = (column: string): number => {
    checkOnce(header, column, file);
    return header.indexOf(column);
  };
  return { countFields: plan.countColumns.map(position), groupFields: plan.groupColumns.map(position) };
}

/** Every cohort column a measure reads. */
function columnsOf(m: MeasureDefinition): string[] {
  return [m.numerator, m.denominator, ...m.groupBy, ...(m.standardise === null ? [] : [m.standardise.by])];
}

function distinct(names: readonly string[]): string[] {
  return [...new Set(names)];
}
