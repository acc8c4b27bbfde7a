// Builds the Vega-Lite spec of one measure's chart: value over date, one coloured line per group,
// the y axis as a percentage. The spec carries its data inline, so it renders with nothing else.

import type { TopLevelSpec } from 'vega-lite';
import type { MeasureSeries } from '../layouts/measure-file.js';
import { vegaText, vegaTextList } from './vega-text.js';

export interface ChartOptions {
  title?: string;
  yTitle?: string;
  /** Upper end of the y scale, shared with the other charts of a dashboard row. */
  yMax?: number;
  /** Group labels in colour order, shared within a dashboard row so a group keeps its colour. */
  colorDomain?: readonly string[];
}

/** One charted number: also the rows of the table beneath the chart. */
export interface ChartDatum {
  date: string;
  group: string;
  value: number | null;
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
export function groupLabels(series: MeasureSeries): Map<string, string> {
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

export function chartData(series: MeasureSeries): ChartDatum[] {
  const labels = groupLabels(series);
  const monthly = isMonthly(series);
  return series.points.map((point) => {
    const group = labels.get(JSON.stringify(point.group))!;
    const value = point.value === null ? 'blank' : formatPercent(point.value);
    return { date: point.date, group, value: point.value, label: `${group}, ${formatDate(point.date, monthly)}: ${value}` };
  });
}

export function buildChartSpec(series: MeasureSeries, options: ChartOptions = {}): TopLevelSpec {
  const data = chartData(series);
  const monthly = isMonthly(series);
  const grouped = series.groupColumns.length > 0;
  const ownGroups = [...groupLabels(series).values()];
  const colorDomain = options.colorDomain ?? ownGroups;
  const subtitle = `${series.numerator} per ${series.denominator}${grouped ? `, by ${series.groupColumns.join(' and ')}` : ''}`;
  // Vega-Lite drops blank values from a line; with none left, the axes need explicit extents.
  const dates = series.points.map((p) => p.date).sort();
  const nothingToPlot = dates.length > 0 && series.points.every((p) => p.value === null);
  const yScale =
    options.yMax !== undefined && options.yMax > 0
      ? { zero: true, domain: [0, options.yMax], nice: true }
      : nothingToPlot
        ? { zero: true, domain: [0, 1] }
        : { zero: true };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `${options.title ?? titleFromId(series.id)}: ${subtitle}, by ${monthly ? 'month' : 'date'}`,
    title: { text: vegaText(options.title ?? titleFromId(series.id)), subtitle, anchor: 'start' },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values: data },
    mark: { type: 'line', strokeWidth: 2, point: data.length <= MAX_POINTS_WITH_MARKERS ? { size: 24 } : false },
    encoding: {
      x: {
        field: 'date',
        type: 'temporal',
        timeUnit: 'utcyearmonthdate',
        title: monthly ? 'Month' : 'Date',
        axis: { format: monthly ? '%b %Y' : '%d %b %Y', labelAngle: -45, labelOverlap: true },
        ...(nothingToPlot ? { scale: { domain: [dateTime(dates[0]!), dateTime(dates[dates.length - 1]!)] } } : {}),
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: vegaText(options.yTitle ?? `${series.numerator} per ${series.denominator} (%)`),
        axis: { format: '.1~%' },
        scale: yScale,
      },
      color: {
        field: 'group',
        type: 'nominal',
        title: grouped ? vegaText(series.groupColumns.join(', ')) : null,
        scale: { domain: [...colorDomain], scheme: colorDomain.length > 10 ? 'tableau20' : 'tableau10' },
        // A shared colour domain may hold groups this chart lacks: the legend lists only its own.
        legend: grouped ? { labelLimit: 220, ...(ownGroups.length < colorDomain.length ? { values: vegaTextList(ownGroups) } : {}) } : null,
      },
      description: { field: 'label' },
    },
    config: { font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
  };
}

/** A YYYY-MM-DD date as a Vega-Lite date-time (UTC, like the data). */
function dateTime(date: string): { year: number; month: number; date: number; utc: true } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, date: day, utc: true };
}

/** Whether every date is the first of a month, so the axis can read "Mar 2019". */
function isMonthly(series: MeasureSeries): boolean {
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
