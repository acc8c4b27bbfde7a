// Builds and renders every measure's chart. Charts in one dashboard row that shares its y scale
// get the same y range and the same colour per group, so side-by-side panels compare directly.
// A measure with too many groups for one chart shows its largest groups.

import { basename } from 'node:path';
import { listNames, quote } from '../errors.js';
import { inputError, type KeyPath } from '../input/shapes.js';
import { formatCount } from '../progress.js';
import type { Chart } from './chart-figure.js';
import { buildChartSpec, chartData, groupLabels, titleFromId, wordsFor, type ChartOptions } from './chart-spec.js';
import { chartSettings, type DescribeConfig } from './describe-config.js';
import { largestGroups } from './many-groups.js';
import type { ReleasedSeries } from './released-series.js';
import { renderSvg } from './render-svg.js';

export interface BuiltCharts {
  charts: Chart[];
  warnings: string[];
}

/** Every measure id the config names must be one of the measure files found. */
export function checkChartIds(config: DescribeConfig, series: ReadonlyArray<{ id: string }>): void {
  const ids = new Set(series.map((s) => s.id));
  const named: Array<[string, KeyPath]> = [
    ...[...config.charts.keys()].map((id): [string, KeyPath] => [id, ['charts', id]]),
    ...[...config.deciles.keys()].map((id): [string, KeyPath] => [id, ['deciles', id]]),
  ];
  config.dashboard?.rows.forEach((row, r) =>
    row.charts.forEach((id, c) => {
      if (id !== null) named.push([id, ['dashboard', 'rows', r, 'charts', c]]);
    }),
  );
  for (const [id, path] of named) {
    if (ids.has(id)) continue;
    const found = ids.size > 0 ? `; found ${listNames([...ids].slice(0, 30))}${ids.size > 30 ? ' and more' : ''}` : '';
    throw inputError(config.file ?? undefined, path, `no measure file for ${quote(id)} matched --measures${found}`);
  }
}

export async function buildCharts(series: readonly ReleasedSeries[], config: DescribeConfig, notForRelease = false): Promise<BuiltCharts> {
  const limited = series.map((measure) => largestGroups(measure));
  const shared = sharedOptions(limited.map((l) => l.series), config);
  const warnings: string[] = [];
  const charts: Chart[] = [];
  for (const [i, { series: measure, groups: groupCount }] of limited.entries()) {
    const full = series[i]!;
    const settings = chartSettings(config, measure.id);
    const options: ChartOptions = { ...shared.get(measure.id), ...settings, labels: config.labels, notForRelease };
    const spec = buildChartSpec(measure, options);
    const rendered = await renderSvg(spec);
    const groups = [...groupLabels(measure).values()];
    if (groupCount > groups.length) {
      warnings.push(`${full.path}: ${measure.id} has ${formatCount(groupCount)} groups; its chart and page show the ${groups.length} largest (by denominator)`);
    }
    for (const warning of rendered.warnings) warnings.push(`${full.path}: chart: ${warning}`);
    if (full.emptyGroups > 0) {
      warnings.push(`${full.path}: ${full.emptyGroups} group${full.emptyGroups === 1 ? '' : 's'} with no denominator above 0 on any date left out of the chart`);
    }
    const data = chartData(measure, settings.y);
    const words = (column: string) => wordsFor(column, config.labels);
    charts.push({
      id: measure.id,
      title: settings.title ?? titleFromId(measure.id),
      spec,
      svg: rendered.svg,
      data,
      groups,
      groupTitle: measure.groupColumns.map(words).join(', '),
      counts: { numerator: words(measure.numerator), denominator: words(measure.denominator) },
      scale: settings.y,
      source: basename(full.path),
      groupsInFile: groupCount,
      zeroStandsFor: data.find((d) => d.zeroStandsFor !== null)?.zeroStandsFor ?? null,
      pattern: measure.pattern,
      empty: measure.points.length === 0,
      standardised: measure.standardised,
    });
  }
  return { charts, warnings };
}

/** The y range and colours each chart shares with the rest of its dashboard row. */
function sharedOptions(series: readonly ReleasedSeries[], config: DescribeConfig): Map<string, ChartOptions> {
  const byId = new Map(series.map((s) => [s.id, s]));
  const options = new Map<string, ChartOptions>();
  for (const row of config.dashboard?.rows ?? []) {
    if (!row.shareY) continue;
    // Only the line charts: a row's deciles charts share their own scale (deciles-charts.ts).
    const members = row.charts.flatMap((id) => (id === null ? [] : (byId.get(id) ?? [])));
    let yMax = 0;
    const colorDomain = new Set<string>();
    for (const measure of members) {
      // The band too must fit under the shared top of the scale.
      for (const point of measure.points) yMax = Math.max(yMax, point.value ?? 0, point.upper ?? 0);
      for (const label of groupLabels(measure).values()) colorDomain.add(label);
    }
    for (const measure of members) options.set(measure.id, { yMax: yMax > 0 ? yMax : undefined, colorDomain: [...colorDomain] });
  }
  return options;
}
