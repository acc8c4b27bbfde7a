// Builds the Vega-Lite spec of one measure's chart: value over date, one coloured line per group,
// the y axis as a percentage. The spec carries its data inline, so it renders with nothing else.
// A blank value is a gap in its line; a point whose released numerator of 0 stands for a range
// (0 to 7 under "round") is drawn hollow, so it never reads as a true zero. A measure with a 95%
// interval gets a shaded band around each line; a standardised measure charts its standardised rate.

import type { TopLevelSpec } from 'vega-lite';
import type { ReleasedSeries } from './released-series.js';
import { NOT_FOR_RELEASE } from '../release/marker.js';

export interface ChartOptions {
  title?: string;
  yTitle?: string;
  /** Upper end of the y scale, shared with the other charts of a dashboard row. */
  yMax?: number;
  /** Group labels in colour order, shared within a dashboard row so a group keeps its colour. */
  colorDomain?: readonly string[];
  /** Marks the spec and its title NOT FOR RELEASE (describe --not-for-release). */
  notForRelease?: boolean;
}

/** One charted number: also the rows of the table beneath the chart. */
export interface ChartDatum {
  date: string;
  group: string;
  value: number | null;
  /** The 95% interval around the value, drawn as a band; null where there is none. */
  lower: number | null;
  upper: number | null;
  /** What the point's released numerator of 0 stands for ("0 to 7"), or null: drawn hollow when set. */
  zeroStandsFor: string | null;
  /** The point's tooltip: group, month and value. */
  label: string;
}

export const CHART_WIDTH = 480;
export const CHART_HEIGHT = 240;
/** Point markers (which carry the tooltips) only while they stay legible. */
const MAX_POINTS_WITH_MARKERS = 1500;

/** A readable title from a measure id: `ad_prescribing_rate_age` → "Ad prescribing rate age". */
export function titleFromId(id: string): string {
  const words = id.replace(/_+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The label of each distinct group, in order of first appearance; labels are unique. */
export function groupLabels(series: ReleasedSeries): Map<string, string> {
  const labels = new Map<string, string>();
  const used = new Set<string>();
  for (const point of series.points) {
    const key = JSON.stringify(point.group);
    if (labels.has(key)) continue;
    const base = series.groupColumns.length === 0 ? 'All patients' : point.group.map((v) => (v === '' ? '(missing)' : v)).join(', ');
    let label = base;
    for (let n = 2; used.has(label); n++) label = `${base} [${n}]`;
    used.add(label);
    labels.set(key, label);
  }
  return labels;
}

export function chartData(series: ReleasedSeries): ChartDatum[] {
  const labels = groupLabels(series);
  const monthly = isMonthly(series);
  return series.points.map((point) => {
    const group = labels.get(JSON.stringify(point.group))!;
    const value = point.value === null ? 'blank' : formatPercent(point.value);
    const interval = point.lower === null || point.upper === null ? '' : ` (95% interval ${formatInterval(point.lower, point.upper)})`;
    const range = point.zeroStandsFor === null ? '' : ` (a numerator of 0, which stands for ${point.zeroStandsFor})`;
    return {
      date: point.date,
      group,
      value: point.value,
      lower: point.lower,
      upper: point.upper,
      zeroStandsFor: point.zeroStandsFor,
      label: `${group}, ${formatDate(point.date, monthly)}: ${value}${interval}${range}`,
    };
  });
}

export function buildChartSpec(series: ReleasedSeries, options: ChartOptions = {}): TopLevelSpec {
  const data = chartData(series);
  const monthly = isMonthly(series);
  const grouped = series.groupColumns.length > 0;
  const ownGroups = [...groupLabels(series).values()];
  const colorDomain = options.colorDomain ?? ownGroups;
  const subtitle = `${series.numerator} per ${series.denominator}${grouped ? `, by ${series.groupColumns.join(' and ')}` : ''}${bandNote(series)}`;
  // Vega-Lite drops blank values from a line; with none left, the axes need explicit extents.
  const dates = series.points.map((p) => p.date).sort();
  const nothingToPlot = series.points.every((p) => p.value === null);
  const yScale =
    options.yMax !== undefined && options.yMax > 0
      ? { zero: true, domain: [0, options.yMax], nice: true }
      : nothingToPlot
        ? { zero: true, domain: [0, 1] }
        : { zero: true };
  const title = `${options.notForRelease ? `${NOT_FOR_RELEASE}: ` : ''}${options.title ?? titleFromId(series.id)}`;
  const ranged = 'datum.zeroStandsFor != null';
  const layer: ChartLayers = [...bandLayer(data), { mark: { type: 'line', strokeWidth: 2 } }];
  if (data.length <= MAX_POINTS_WITH_MARKERS) layer.push({ transform: [{ filter: `!(${ranged})` }], mark: { type: 'point', filled: true, size: 24 } });
  // Always drawn: a released 0 that stands for a range must never pass for a true 0.
  if (data.some((d) => d.zeroStandsFor !== null)) layer.push({ transform: [{ filter: ranged }], mark: { type: 'point', filled: false, size: 36, strokeWidth: 1.5 } });
  return {
    ...(options.notForRelease ? { usermeta: { release: `${NOT_FOR_RELEASE}: counts not disclosure-controlled (describe --not-for-release)` } } : {}),
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `${title}: ${subtitle}, by ${monthly ? 'month' : 'date'}`,
    title: { text: title, subtitle, anchor: 'start' },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values: specValues(data) },
    layer,
    encoding: {
      x: {
        field: 'date',
        type: 'temporal',
        timeUnit: 'utcyearmonthdate',
        title: monthly ? 'Month' : 'Date',
        // Without a single date (every group left out) there is no time axis to draw.
        axis: dates.length === 0 ? null : { format: monthly ? '%b %Y' : '%d %b %Y', labelAngle: -45, labelOverlap: true },
        ...(nothingToPlot ? { scale: { domain: dates.length === 0 ? [0, 1] : [dateTime(dates[0]!), dateTime(dates[dates.length - 1]!)] } } : {}),
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: options.yTitle ?? `${series.numerator} per ${series.denominator} (%)`,
        axis: { format: '.1~%' },
        scale: yScale,
      },
      color: {
        field: 'group',
        type: 'nominal',
        title: grouped ? series.groupColumns.join(', ') : null,
        scale: { domain: [...colorDomain], scheme: colorDomain.length > 10 ? 'tableau20' : 'tableau10' },
        // A shared colour domain may hold groups this chart lacks: the legend lists only its own.
        legend: grouped ? { labelLimit: 220, ...(ownGroups.length < colorDomain.length ? { values: ownGroups } : {}), ...bandLegend(data) } : null,
      },
      description: { field: 'label' },
    },
    config: { font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
  };
}

type ChartLayers = NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']>;

/** The shaded 95% interval around each line, beneath it; no layer when no point has an interval. */
function bandLayer(data: readonly ChartDatum[]): ChartLayers {
  if (!data.some((d) => d.lower !== null)) return [];
  return [{ mark: { type: 'area', opacity: 0.2 }, encoding: { y: { field: 'lower', type: 'quantitative' }, y2: { field: 'upper' } } }];
}

/** The data the spec carries: the band's limits only when there is a band, so a chart without one is as before. */
function specValues(data: readonly ChartDatum[]): object[] {
  return bandLayer(data).length > 0 ? [...data] : data.map(({ lower: _lower, upper: _upper, ...datum }) => datum);
}

/** With a band beneath the lines, the legend would show its pale swatch: show each group's line instead. */
function bandLegend(data: readonly ChartDatum[]): { symbolType?: string; symbolOpacity?: number; symbolStrokeWidth?: number } {
  return bandLayer(data).length === 0 ? {} : { symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 2 };
}

/** What the subtitle adds for a standardised rate and for the band. */
function bandNote(series: ReleasedSeries): string {
  const standardised = series.standardised ? '; directly standardised rate' : '';
  const band = series.intervals ? '; shaded: 95% interval' : '';
  return `${standardised}${band}`;
}

/** A 95% interval as percentages: "5.52% to 17.44%". */
export function formatInterval(lower: number, upper: number): string {
  return `${formatPercent(lower)} to ${formatPercent(upper)}`;
}

/** A YYYY-MM-DD date as a Vega-Lite date-time (UTC, like the data). */
function dateTime(date: string): { year: number; month: number; date: number; utc: true } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, date: day, utc: true };
}

/** Whether every date is the first of a month, so the axis can read "Mar 2019". */
function isMonthly(series: ReleasedSeries): boolean {
  return series.points.every((p) => p.date.endsWith('-01'));
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function formatDate(date: string, monthly: boolean): string {
  const [year, month, day] = date.split('-');
  const name = `${MONTHS[Number(month) - 1]} ${year}`;
  return monthly ? name : `${Number(day)} ${name}`;
}

/** A proportion as a percentage to two decimal places: 0.12345 → "12.35%". */
export function formatPercent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}
