// Builds the Vega-Lite spec of a deciles chart, as OpenPrescribing and OpenSAFELY's deciles-charts
// action draw one: per date, the deciles of a measure across its groups (practices), the median
// a solid line, the other deciles dashed and the outer percentiles (1st-9th, 91st-99th) dotted,
// all in one colour. The spec holds the percentiles only, never a group's value or name.

import type { TopLevelSpec } from 'vega-lite';
import type { DecileRow } from '../layouts/deciles-table.js';
import { CHART_CONFIG, formatDate, specHead, specValues, timeEncoding, titleFromId, valueEncoding, wordsFor, type ChartDatum, type ChartOptions } from './chart-spec.js';
import { MEDIAN, MIN_GROUPS_FOR_DECILES } from './deciles.js';
import { DEFAULT_Y_SCALE, formatScaled, scaleRule, scaledValue, type YScale } from './y-scale.js';

export interface DecilesChartInput {
  id: string;
  numerator: string;
  denominator: string;
  /** The group column the percentiles are taken across, such as "practice". */
  by: string;
  rows: readonly DecileRow[];
  /** Every date of the measure, those without deciles too (a gap in the lines). */
  dates: readonly string[];
  percentiles: readonly number[];
}

/** The three kinds of line, in legend order. */
export const LINE_KINDS = ['median', 'decile', 'outer'] as const;
type LineKind = (typeof LINE_KINDS)[number];
const LINE_TITLES: { [K in LineKind]: string } = { median: 'Median', decile: 'Deciles', outer: '1st-9th and 91st-99th percentiles' };
const LINE_DASH: { [K in LineKind]: number[] } = { median: [1, 0], decile: [6, 4], outer: [1, 3] };
const LINE_WIDTH: { [K in LineKind]: number } = { median: 2.25, decile: 1.25, outer: 1 };
const LINE_COLOUR = '#1f5fa8';

export interface DecilesDatum extends ChartDatum {
  /** The percentile's line: the median, a decile or an outer percentile (its legend title). */
  line: string;
  percentile: number;
  /** Neither the date before nor the one after has deciles: no line reaches the point, so it is drawn as a dot. */
  isolated: boolean;
}

/** A table heading: "1st", "2nd", "3rd", "10th", "50th (median)", "91st", ... */
export function percentileLabel(percentile: number): string {
  return `${ordinal(percentile)}${percentile === MEDIAN ? ' (median)' : ''}`;
}

/** A line's name: "10th percentile", "Median (50th percentile)". */
export function percentileLineLabel(percentile: number): string {
  return percentile === MEDIAN ? `Median (${ordinal(percentile)} percentile)` : `${ordinal(percentile)} percentile`;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function lineKind(percentile: number): LineKind {
  return percentile === MEDIAN ? 'median' : percentile % 10 === 0 ? 'decile' : 'outer';
}

/** One datum per date and percentile; a date without deciles gets blank values, so each line breaks there. */
export function decilesData(input: DecilesChartInput, scale: YScale = DEFAULT_Y_SCALE): DecilesDatum[] {
  const values = new Map(input.rows.map((row) => [`${row.date}\u0000${row.percentile}`, row.value]));
  const monthly = input.dates.every((date) => date.endsWith('-01'));
  const dated = new Set(input.rows.map((row) => row.date));
  const hasDeciles = (i: number) => dated.has(input.dates[i] ?? '');
  return input.dates.flatMap((date, i) =>
    input.percentiles.map((percentile) => {
      const value = values.get(`${date}\u0000${percentile}`) ?? null;
      const group = percentileLineLabel(percentile);
      const shown = value === null ? `no deciles (fewer than ${MIN_GROUPS_FOR_DECILES} ${input.by} values)` : formatScaled(value, scale);
      const isolated = value !== null && !hasDeciles(i - 1) && !hasDeciles(i + 1);
      // A percentile has no counts of its own, nor an interval.
      const y = value === null ? null : scaledValue(value, scale);
      const label = `${group}, ${formatDate(date, monthly)}: ${shown}`;
      return { date, group, value, y, lower: null, upper: null, yLower: null, yUpper: null, numerator: '', denominator: '', zeroStandsFor: null, label, line: LINE_TITLES[lineKind(percentile)], percentile, isolated };
    }),
  );
}

export function buildDecilesSpec(input: DecilesChartInput, options: ChartOptions = {}): TopLevelSpec {
  const scale = options.y ?? DEFAULT_Y_SCALE;
  const data = decilesData(input, scale);
  const words = (column: string) => wordsFor(column, options.labels);
  const monthly = input.dates.every((date) => date.endsWith('-01'));
  const kinds = LINE_KINDS.filter((kind) => input.percentiles.some((p) => lineKind(p) === kind));
  const outer = kinds.includes('outer');
  const subtitle = options.subtitle ?? `${words(input.numerator)} per ${words(input.denominator)}: ${outer ? 'deciles and outer percentiles' : 'deciles'} across ${words(input.by)} values`;
  const nothingToPlot = input.rows.length === 0;
  return {
    ...specHead(options.title ?? titleFromId(input.id), subtitle, monthly, options.notForRelease),
    data: { values: specValues(data) },
    // One layer per kind of line, each with its width; the dash pattern is encoded, so the legend shows it.
    layer: [
      ...kinds.map((kind) => ({
        transform: [{ filter: { field: 'line', equal: LINE_TITLES[kind] } }],
        mark: { type: 'line' as const, color: LINE_COLOUR, strokeWidth: LINE_WIDTH[kind] },
        encoding: {
          description: { field: 'group' },
          strokeDash: {
            field: 'line',
            type: 'nominal' as const,
            title: null,
            scale: { domain: kinds.map((k) => LINE_TITLES[k]), range: kinds.map((k) => LINE_DASH[k]) },
            legend: { orient: 'bottom' as const, direction: 'horizontal' as const, symbolStrokeColor: LINE_COLOUR, symbolType: 'stroke', labelLimit: 300 },
          },
        },
      })),
      // Invisible points carry each percentile's value as a hover title; a date between two without deciles shows as dots.
      { mark: { type: 'point', filled: true, size: 30, opacity: 0 }, encoding: { description: { field: 'label' } } },
      ...(data.some((d) => d.isolated)
        ? [{ transform: [{ filter: 'datum.isolated' }], mark: { type: 'point' as const, filled: true, size: 12, color: LINE_COLOUR }, encoding: { description: { field: 'label' } } }]
        : []),
    ],
    encoding: {
      x: timeEncoding(input.dates, monthly, nothingToPlot),
      y: valueEncoding(options.yTitle ?? `${words(input.numerator)} per ${words(input.denominator)} ${scaleRule(scale).unit}`, scale, options.yMax, nothingToPlot),
      detail: { field: 'percentile', type: 'ordinal' },
    },
    config: CHART_CONFIG,
  };
}
