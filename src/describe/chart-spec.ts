// Builds the Vega-Lite spec of one measure's chart: value over date, one coloured line per group,
// the y axis on the chart's scale (a percentage unless the config says otherwise). The spec carries
// its data inline, so it renders with nothing else. A blank value is a gap in its line; a point
// whose released numerator of 0 stands for a range (0 to 7 under "round") is drawn hollow, so it
// never reads as a true zero. A measure with a 95% interval gets a shaded band around each line; a
// standardised measure charts its standardised rate. Each part of the spec is built by a small
// function of its own.

import type { TopLevelSpec } from 'vega-lite';
import type { ReleasedSeries } from './released-series.js';
import { NOT_FOR_RELEASE } from '../release/marker.js';
import { DEFAULT_Y_SCALE, formatInterval, formatScaled, scaleRule, scaledValue, type YScale } from './y-scale.js';
import { dateTime, timeAxis } from './time-axis.js';
import { vegaText, vegaTextList } from './vega-text.js';

export interface ChartOptions {
  title?: string;
  /** Default: "<numerator> per <denominator>, by <group columns>" in the words of `labels`. */
  subtitle?: string;
  yTitle?: string;
  /** How the value is shown. Default `percent`. */
  y?: YScale;
  /** Words for column names (the config's `labels`). */
  labels?: ReadonlyMap<string, string>;
  /** Upper end of the y scale (as a ratio), shared with the other charts of a dashboard row. */
  yMax?: number;
  /** Group labels in colour order, shared within a dashboard row so a group keeps its colour. */
  colorDomain?: readonly string[];
  /** Marks the spec and its title NOT FOR RELEASE (describe --not-for-release). */
  notForRelease?: boolean;
}

/** One charted number: also the rows of the tables beneath the chart. */
export interface ChartDatum {
  date: string;
  group: string;
  /** numerator / denominator; null for a gap. */
  value: number | null;
  /** The value as drawn on the chart's y scale (× 1,000 for `per_1000`). */
  y: number | null;
  /** The 95% interval around the value; null where there is none. */
  lower: number | null;
  upper: number | null;
  /** The interval as drawn, a band on the chart's y scale. */
  yLower: number | null;
  yUpper: number | null;
  /** The released counts as the measure file gives them. */
  numerator: string;
  denominator: string;
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

/** The config's words for a column, or its name. */
export function wordsFor(column: string, labels: ReadonlyMap<string, string> | undefined): string {
  return labels?.get(column) ?? column;
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

export function chartData(series: ReleasedSeries, scale: YScale = DEFAULT_Y_SCALE): ChartDatum[] {
  const labels = groupLabels(series);
  const monthly = isMonthly(series);
  return series.points.map((point) => {
    const group = labels.get(JSON.stringify(point.group))!;
    const value = point.value === null ? 'blank' : formatScaled(point.value, scale);
    const interval = point.lower === null || point.upper === null ? '' : ` (95% interval ${formatInterval(point.lower, point.upper, scale)})`;
    const range = point.zeroStandsFor === null ? '' : ` (a numerator of 0, which stands for ${point.zeroStandsFor})`;
    return {
      date: point.date,
      group,
      value: point.value,
      y: point.value === null ? null : scaledValue(point.value, scale),
      lower: point.lower,
      upper: point.upper,
      yLower: point.lower === null ? null : scaledValue(point.lower, scale),
      yUpper: point.upper === null ? null : scaledValue(point.upper, scale),
      numerator: point.numerator,
      denominator: point.denominator,
      zeroStandsFor: point.zeroStandsFor,
      label: `${group}, ${formatDate(point.date, monthly)}: ${value}${interval}${range}`,
    };
  });
}

/** "<numerator> per <denominator>, by <group columns>", in the config's words. */
export function defaultSubtitle(series: Pick<ReleasedSeries, 'numerator' | 'denominator' | 'groupColumns'>, labels?: ReadonlyMap<string, string>): string {
  const words = (column: string) => wordsFor(column, labels);
  const by = series.groupColumns.length > 0 ? `, by ${series.groupColumns.map(words).join(' and ')}` : '';
  return `${words(series.numerator)} per ${words(series.denominator)}${by}`;
}

/** The y axis title: the config's, or "<numerator> per <denominator> (%)" (the unit of the scale). */
export function yTitleOf(series: Pick<ReleasedSeries, 'numerator' | 'denominator'>, options: ChartOptions): string {
  if (options.yTitle !== undefined) return options.yTitle;
  const words = (column: string) => wordsFor(column, options.labels);
  return `${words(series.numerator)} per ${words(series.denominator)} ${scaleRule(options.y ?? DEFAULT_Y_SCALE).unit}`;
}

export function buildChartSpec(series: ReleasedSeries, options: ChartOptions = {}): TopLevelSpec {
  const scale = options.y ?? DEFAULT_Y_SCALE;
  const data = chartData(series, scale);
  const monthly = isMonthly(series);
  const subtitle = `${options.subtitle ?? defaultSubtitle(series, options.labels)}${bandNote(series)}`;
  // Vega-Lite drops blank values from a line; with none left, the axes need explicit extents.
  const nothingToPlot = series.points.every((p) => p.value === null);
  return {
    ...specHead(options.title ?? titleFromId(series.id), subtitle, monthly, options.notForRelease),
    data: { values: specValues(data) },
    layer: layers(data),
    encoding: {
      x: timeEncoding([...new Set(series.points.map((p) => p.date))].sort(), monthly, nothingToPlot),
      y: valueEncoding(yTitleOf(series, options), scale, options.yMax, nothingToPlot),
      color: colorEncoding(series, options, data),
      description: { field: 'label' },
    },
    config: CHART_CONFIG,
  };
}

/** The font of every chart. */
export const CHART_CONFIG = { font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' };

/** What every chart's spec opens with: the NOT FOR RELEASE mark, the schema, the title and subtitle (and the description read aloud), and the size. */
export function specHead(title: string, subtitle: string, monthly: boolean, notForRelease = false) {
  const text = `${notForRelease ? `${NOT_FOR_RELEASE}: ` : ''}${title}`;
  return {
    ...(notForRelease ? { usermeta: { release: `${NOT_FOR_RELEASE}: counts not disclosure-controlled (describe --not-for-release)` } } : {}),
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `${text}: ${subtitle}, by ${monthly ? 'month' : 'date'}`,
    title: { text: vegaText(text), subtitle, anchor: 'start' as const },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
  };
}

type Layers = NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']>;

/** The band beneath the lines, the line, its points while legible, and the hollow points that a 0 stands for a range. */
function layers(data: readonly ChartDatum[]): Layers {
  const ranged = 'datum.zeroStandsFor != null';
  const layer: Layers = [...bandLayer(data), { mark: { type: 'line', strokeWidth: 2 } }];
  // Each point layer only when it has points: an empty one leaves Vega an infinite extent to warn of.
  if (data.length <= MAX_POINTS_WITH_MARKERS && data.some((d) => d.zeroStandsFor === null)) {
    layer.push({ transform: [{ filter: `!(${ranged})` }], mark: { type: 'point', filled: true, size: 24 } });
  }
  // Always drawn: a released 0 that stands for a range must never pass for a true 0.
  if (data.some((d) => d.zeroStandsFor !== null)) layer.push({ transform: [{ filter: ranged }], mark: { type: 'point', filled: false, size: 36, strokeWidth: 1.5 } });
  return layer;
}

/** The shaded 95% interval around each line, beneath it, on the y scale of the line; no layer when no point has an interval. */
function bandLayer(data: readonly ChartDatum[]): Layers {
  if (!hasBand(data)) return [];
  return [{ mark: { type: 'area', opacity: 0.2 }, encoding: { y: { field: 'yLower', type: 'quantitative' }, y2: { field: 'yUpper' } } }];
}

function hasBand(data: readonly ChartDatum[]): boolean {
  return data.some((d) => d.yLower !== null);
}

/** The data the spec carries: the band's limits only when there is a band, so a chart without one is as before. */
export function specValues(data: readonly ChartDatum[]): object[] {
  return hasBand(data) ? [...data] : data.map(({ lower: _lower, upper: _upper, yLower: _yLower, yUpper: _yUpper, ...datum }) => datum);
}

/** What the subtitle adds for a standardised rate and for the band. */
function bandNote(series: ReleasedSeries): string {
  const standardised = series.standardised ? '; directly standardised rate' : '';
  const band = series.intervals ? '; shaded: 95% interval' : '';
  return `${standardised}${band}`;
}

/** The x axis: the series' dates (distinct, ascending), labelled once each; `nothingToPlot` (every value blank) gives it explicit extents. */
export function timeEncoding(dates: readonly string[], monthly: boolean, nothingToPlot: boolean) {
  return {
    field: 'date',
    type: 'temporal' as const,
    timeUnit: 'utcyearmonthdate' as const,
    title: monthly ? 'Month' : 'Date',
    // Without a single date (every group left out) there is no time axis to draw.
    axis: dates.length === 0 ? null : timeAxis(dates, monthly),
    ...(nothingToPlot ? { scale: { domain: dates.length === 0 ? [0, 1] : [dateTime(dates[0]!), dateTime(dates[dates.length - 1]!)] } } : {}),
  };
}

/** The y axis from 0, on the chart's scale, up to `yMax` (a ratio) when a dashboard row shares it. */
export function valueEncoding(title: string, scale: YScale, yMax: number | undefined, nothingToPlot: boolean) {
  const domain =
    yMax !== undefined && yMax > 0
      ? { zero: true, domain: [0, scaledValue(yMax, scale)], nice: true }
      : nothingToPlot
        ? { zero: true, domain: [0, scaledValue(1, scale)] }
        : { zero: true };
  return {
    field: 'y',
    type: 'quantitative' as const,
    title: vegaText(title),
    axis: { format: scaleRule(scale).axisFormat },
    scale: domain,
  };
}

function colorEncoding(series: ReleasedSeries, options: ChartOptions, data: readonly ChartDatum[]) {
  const grouped = series.groupColumns.length > 0;
  const ownGroups = [...groupLabels(series).values()];
  const colorDomain = options.colorDomain ?? ownGroups;
  // With a band beneath the lines, the legend would show its pale swatch: show each group's line instead.
  const bandLegend = hasBand(data) ? { symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 2 } : {};
  return {
    field: 'group',
    type: 'nominal' as const,
    title: grouped ? vegaText(series.groupColumns.map((column) => wordsFor(column, options.labels)).join(', ')) : null,
    scale: { domain: [...colorDomain], scheme: colorDomain.length > 10 ? 'tableau20' : 'tableau10' },
    // A shared colour domain may hold groups this chart lacks: the legend lists only its own.
    legend: grouped ? { labelLimit: 220, ...(ownGroups.length < colorDomain.length ? { values: vegaTextList(ownGroups) } : {}), ...bandLegend } : null,
  };
}

/** Whether every date is the first of a month, so the axis can read "Mar 2019". */
export function isMonthly(series: Pick<ReleasedSeries, 'points'>): boolean {
  return series.points.every((p) => p.date.endsWith('-01'));
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function formatDate(date: string, monthly: boolean): string {
  const [year, month, day] = date.split('-');
  const name = `${MONTHS[Number(month) - 1]} ${year}`;
  return monthly ? name : `${Number(day)} ${name}`;
}
