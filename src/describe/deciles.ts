// The deciles of a measure across its groups (practices), per date, as OpenSAFELY's deciles-charts
// action and OpenPrescribing compute them: pandas' `groupby(date).quantile(q)`, which interpolates
// linearly between the two nearest of the sorted values (arquero's quantile is the same
// definition), over the groups whose value is not empty. A date with fewer than 10 such groups
// has none: a percentile of a handful of practices is close to one practice's own value.

import { op, table } from 'arquero';
import type { DecileRow } from '../layouts/deciles-table.js';
import { MAX_RELEASE_CSV_ROWS } from '../release/limits.js';

/** The deciles, the median among them. */
export const DECILES: readonly number[] = [10, 20, 30, 40, 50, 60, 70, 80, 90];
/** The outer percentiles: 1st-9th and 91st-99th. */
export const OUTER_PERCENTILES: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 91, 92, 93, 94, 95, 96, 97, 98, 99];
export const MEDIAN = 50;
/** Dates with fewer groups than this that have a value get no deciles. */
export const MIN_GROUPS_FOR_DECILES = 10;

/** The percentiles drawn, in ascending order. */
export function percentilesOf(outerPercentiles: boolean): number[] {
  return [...DECILES, ...(outerPercentiles ? OUTER_PERCENTILES : [])].sort((a, b) => a - b);
}

export interface GroupValue {
  date: string;
  /** null where the group's value is empty (a blank count, or a denominator of 0). */
  value: number | null;
}

export interface DecilesTable {
  /** By date, then percentile. */
  rows: DecileRow[];
  /** Every date of the measure, in order, those without deciles too. */
  dates: string[];
}

/** The percentiles of `value` across the groups of each date (each group's value once per date). */
export function decilesTable(values: readonly GroupValue[], percentiles: readonly number[]): DecilesTable {
  const column = (p: number) => `p${p}`;
  const rollup = Object.fromEntries([['groups', op.valid('value')], ...percentiles.map((p) => [column(p), op.quantile('value', p / 100)])]);
  const byDate = table({ date: values.map((v) => v.date), value: values.map((v) => v.value) })
    .groupby('date')
    .rollup(rollup)
    .orderby('date');
  const dates = byDate.array('date') as string[];
  const long = byDate
    .params({ min: MIN_GROUPS_FOR_DECILES })
    .filter((d: { groups: number }, $: { min: number }) => d.groups >= $.min)
    .fold(percentiles.map(column), { as: ['percentile', 'value'] })
    .objects() as Array<{ date: string; percentile: string; value: number }>;
  const rows = long.map((row) => ({ date: row.date, percentile: Number(row.percentile.slice(1)), value: row.value }));
  return { rows, dates: [...dates] };
}

export interface ReleasableDeciles {
  rows: DecileRow[];
  /** What was left out to keep within the row limit of a released CSV, in words, or null. */
  leftOut: string | null;
}

/**
 * The rows of a deciles table that fit in a released CSV: all of them when they fit; else the
 * deciles without the outer percentiles; else, as well, only the latest dates that fit. The
 * chart and its page still show every percentile of every date.
 */
export function releasableDeciles(rows: readonly DecileRow[], maxRows = MAX_RELEASE_CSV_ROWS): ReleasableDeciles {
  if (rows.length <= maxRows) return { rows: [...rows], leftOut: null };
  const deciles = new Set(DECILES);
  const inner = rows.filter((r) => deciles.has(r.percentile));
  const outer = inner.length < rows.length ? 'the 1st-9th and 91st-99th percentiles' : null;
  if (inner.length <= maxRows) return { rows: inner, leftOut: outer };
  const dates = [...new Set(inner.map((r) => r.date))];
  const kept = new Set(dates.slice(dates.length - Math.floor(maxRows / DECILES.length)));
  const earliest = `the earliest ${dates.length - kept.size} of ${dates.length} dates`;
  return { rows: inner.filter((r) => kept.has(r.date)), leftOut: outer === null ? earliest : `${outer} and ${earliest}` };
}
