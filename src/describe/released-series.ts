// What describe may chart of a measure file: only files whose counts were released (every count
// fits one released pattern), unless --not-for-release says the output stays inside; `value`
// taken from the released counts, so no other number can ride along in the file; and no group
// whose denominator is 0 or blank on every date, since such a group shows nothing but its
// label, and a label alone can name someone (the one patient aged 107).

import { UserError } from '../errors.js';
import type { MeasureSeries } from '../layouts/measure-table.js';
import { CountCells } from '../release/count-cells.js';
import { meaningOfZero, type ReleasePattern } from '../release/patterns.js';
import { seriesBands } from './released-bands.js';

export interface ReleasedPoint {
  group: string[];
  date: string;
  /**
   * numerator / denominator of the released counts (or, for a standardised measure, its
   * standardised rate); null (a gap) where either count is blank or the denominator 0.
   */
  value: number | null;
  /** The 95% interval drawn around the value, as a band; null where there is none. */
  lower: number | null;
  upper: number | null;
  /** The released counts as the file gives them (empty where suppressed). */
  numerator: string;
  denominator: string;
  /** What a released numerator of 0 stands for ("0 to 7" under "round"); null where it is a true 0 or not 0. */
  zeroStandsFor: string | null;
}

export interface ReleasedSeries extends Omit<MeasureSeries, 'points'> {
  points: ReleasedPoint[];
  /** The pattern the file's counts fit; null for counts not disclosure-controlled (charted only with --not-for-release). */
  pattern: ReleasePattern | null;
  /** Groups left out for having no denominator above 0 on any date. */
  emptyGroups: number;
  /** Whether `value` is the directly standardised rate (the file's standardised_value). */
  standardised: boolean;
  /** Whether the file has a 95% interval for the charted value (drawn as a band). */
  intervals: boolean;
}

export function releaseSeries(series: MeasureSeries, notForRelease: boolean): ReleasedSeries {
  const counts = new CountCells({ rule: 'any', skipEmpty: false });
  for (const point of series.points) {
    counts.add(point.numerator, point.line, series.numerator);
    counts.add(point.denominator, point.line, series.denominator);
  }
  const problem = counts.problems()[0];
  if (problem !== undefined && !notForRelease) {
    throw new UserError(
      `${problem.reason}. describe charts only measure files whose counts were disclosure-controlled ("round", "midpoint6" or "suppress"); ` +
        'compute the measures with one of those rules, or give --not-for-release to chart the file anyway, with every page marked NOT FOR RELEASE',
      { file: series.path, line: problem.line, column: problem.column },
    );
  }
  const pattern = counts.pattern();
  const zero = meaningOfZero(pattern);
  const released = series.points.map((point) => {
    const numerator = countOf(point.numerator);
    const denominator = countOf(point.denominator);
    const defined = point.numerator !== '' && denominator > 0 && Number.isFinite(numerator);
    return defined ? { numerator, denominator } : null;
  });
  const values = released.map((counts) => (counts === null ? null : counts.numerator / counts.denominator));
  const bands = seriesBands(series, values, released, notForRelease);
  const shown = new Set<string>();
  for (const point of series.points) if (countOf(point.denominator) > 0) shown.add(JSON.stringify(point.group));
  const all = new Set(series.points.map((point) => JSON.stringify(point.group)));
  const points = series.points.flatMap((point, i): ReleasedPoint[] => {
    if (!shown.has(JSON.stringify(point.group))) return [];
    const { value, interval } = bands.points[i]!;
    // A standardised rate is empty below 10 events, so a released 0 is never charted as one.
    const zeroStandsFor = values[i] === 0 && !bands.standardised ? zero : null;
    return [
      {
        group: point.group,
        date: point.date,
        value,
        lower: interval?.lower ?? null,
        upper: interval?.upper ?? null,
        numerator: point.numerator.trim(),
        denominator: point.denominator.trim(),
        zeroStandsFor,
      },
    ];
  });
  return { ...series, points, pattern, emptyGroups: all.size - shown.size, standardised: bands.standardised, intervals: bands.intervals };
}

/** A count cell as a number: NaN where it is blank or not a number. */
function countOf(text: string): number {
  return text.trim() === '' ? NaN : Number(text);
}
