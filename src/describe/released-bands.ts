// What describe charts around (or instead of) a measure's value when its file has interval or
// standardised columns. An interval is worked out again from the released counts, by the method
// (Wilson's or Byar's) whose limits the file's own numbers match, so no other number rides along
// in it. A standardised rate cannot be worked out again (its stratum counts are not in the file):
// it is charted as written, but only where the value from the released counts is charted too.

import { UserError, quote } from '../errors.js';
import { numberOfText } from '../csv/cell-number.js';
import { INTERVAL_COLUMNS, STANDARDISED_COLUMNS, type MeasurePoint, type MeasureSeries } from '../layouts/measure-table.js';
import { valueInterval, type Interval, type IntervalMethod } from '../release/intervals.js';

/** A measure file's interval limits agree with those of the released counts to this relative difference (rounding in another writer). */
const LIMIT_TOLERANCE = 1e-9;

/** What is charted at one point, beside the value from the released counts. */
export interface PointBand {
  /** The charted value: the released value, or the standardised rate (null: a gap). */
  value: number | null;
  /** The 95% interval drawn around it; null for none. */
  interval: Interval | null;
}

export interface SeriesBands {
  /** Whether the series charts its standardised rate rather than its value. */
  standardised: boolean;
  /** Whether the file has an interval to draw around the charted value. */
  intervals: boolean;
  points: PointBand[];
}

/**
 * The charted value and band of each point, given the value of its released counts
 * (`values[i]`, null for a gap) and those counts (`counts[i]`, null where one is blank).
 */
export function seriesBands(series: MeasureSeries, values: ReadonlyArray<number | null>, counts: ReadonlyArray<{ numerator: number; denominator: number } | null>, notForRelease: boolean): SeriesBands {
  const at = (name: string) => series.extraColumns.indexOf(name);
  const [standardisedValue, standardisedLower, standardisedUpper] = STANDARDISED_COLUMNS.map(at) as [number, number, number];
  if (standardisedValue >= 0) {
    const intervals = standardisedLower >= 0 && standardisedUpper >= 0;
    return {
      standardised: true,
      intervals,
      points: series.points.map((point, i) => {
        const value = values[i] === null ? null : numberCell(series, point, standardisedValue);
        if (value === null || !intervals) return { value, interval: null };
        const [lower, upper] = [numberCell(series, point, standardisedLower), numberCell(series, point, standardisedUpper)];
        return { value, interval: lower === null || upper === null ? null : { lower, upper } };
      }),
    };
  }
  const [lowerAt, upperAt] = INTERVAL_COLUMNS.map(at) as [number, number];
  if (lowerAt < 0 || upperAt < 0) return { standardised: false, intervals: false, points: values.map((value) => ({ value, interval: null })) };
  const written = series.points.map((point) => {
    const [lower, upper] = [numberCell(series, point, lowerAt), numberCell(series, point, upperAt)];
    return lower === null || upper === null ? null : { lower, upper };
  });
  const method = methodOf(series, written, counts, values, notForRelease);
  return {
    standardised: false,
    intervals: true,
    points: values.map((value, i) => {
      const count = counts[i];
      if (value === null || count === null || count === undefined) return { value, interval: null };
      return { value, interval: method === null ? written[i]! : valueInterval(method, count.numerator, count.denominator) };
    }),
  };
}

/**
 * The method whose intervals of the released counts are the file's own, wherever the file gives
 * one; with --not-for-release and no method fitting, null (the file's numbers are drawn as written).
 */
function methodOf(
  series: MeasureSeries,
  written: ReadonlyArray<Interval | null>,
  counts: ReadonlyArray<{ numerator: number; denominator: number } | null>,
  values: ReadonlyArray<number | null>,
  notForRelease: boolean,
): IntervalMethod | null {
  const fits = (method: IntervalMethod, intervals: ReadonlyArray<Interval | null>) =>
    intervals.every((interval, i) => {
      const count = counts[i];
      if (interval === null || values[i] === null || count === null || count === undefined) return true;
      const worked = valueInterval(method, count.numerator, count.denominator);
      return worked !== null && close(worked.lower, interval.lower) && close(worked.upper, interval.upper);
    });
  const methods = ['wilson', 'byar'] as const;
  const method = methods.find((m) => fits(m, written));
  if (method !== undefined) return method;
  if (notForRelease) return null;
  // The first limit no method gives, else (each fits one, but not the same one) the first limit.
  const given = written.flatMap((interval, i) => (interval === null || values[i] === null ? [] : [i]));
  const misfit = given.find((i) => methods.every((m) => !fits(m, written.map((interval, j) => (j === i ? interval : null))))) ?? given[0];
  const first = misfit === undefined ? undefined : series.points[misfit];
  throw new UserError(
    `${INTERVAL_COLUMNS.join(' and ')} are not the 95% interval (Wilson's or Byar's) of the released numerator and denominator, so they may come from counts that were not released; ` +
      'compute the measures again with confidence_interval, or give --not-for-release to chart the file anyway, with every page marked NOT FOR RELEASE',
    { file: series.path, line: first?.line, column: INTERVAL_COLUMNS[0] },
  );
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= LIMIT_TOLERANCE * Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);
}

/** An extra value cell as a number (null where empty); anything else is an error at its place. */
function numberCell(series: MeasureSeries, point: MeasurePoint, at: number): number | null {
  const text = point.extras[at]!;
  if (text === '') return null;
  const value = numberOfText(text);
  if (value === null) {
    throw new UserError(`${quote(text)} is not a number (expected an interval limit or a standardised rate, or empty)`, { file: series.path, line: point.line, column: series.extraColumns[at] });
  }
  return value;
}
