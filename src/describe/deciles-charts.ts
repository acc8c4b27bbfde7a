// Builds every deciles chart the config names: checks that the measure is grouped by its one
// `by` column, takes the percentiles per date, and renders the chart with its table and notes.
// Deciles charts in one dashboard row that shares its y scale get the same y range.

import { basename } from 'node:path';
import { MAX_RELEASE_CSV_ROWS } from '../release/limits.js';
import { UserError, listNames, quote } from '../errors.js';
import { decilesTableFileName, type DecileRow } from '../layouts/deciles-table.js';
import type { Chart } from './chart-figure.js';
import { titleFromId, wordsFor } from './chart-spec.js';
import { MIN_GROUPS_FOR_DECILES, decilesTable, percentilesOf, releasableDeciles, type DecilesTable } from './deciles.js';
import { decilesNotes, decilesTableHtml } from './deciles-figure.js';
import { buildDecilesSpec, decilesData, percentileLineLabel } from './deciles-spec.js';
import { chartSettings, type DescribeConfig, type DecilesSettings } from './describe-config.js';
import type { ReleasedSeries } from './released-series.js';
import { renderSvg } from './render-svg.js';

export interface BuiltDecilesCharts {
  charts: Chart[];
  /** The deciles table of each chart, by measure id. */
  tables: Map<string, DecileRow[]>;
  warnings: string[];
}

/** Refuses a measure the config draws as deciles unless it is grouped by exactly its `by` column. */
export function checkDecilesGrouping(series: ReleasedSeries, settings: DecilesSettings, configFile: string | null): void {
  const columns = series.groupColumns;
  if (columns.length === 1 && columns[0] === settings.by) return;
  const grouped = columns.length === 0 ? 'not grouped' : `grouped by ${listNames(columns)}`;
  const config = configFile === null ? 'the config' : configFile;
  throw new UserError(
    // The id is named: an ehrQL measures file holds many measures.
    `measure ${quote(series.id)} is ${grouped}, but ${config} draws it as a deciles chart by ${quote(settings.by)} (deciles.${series.id}); ` +
      `a deciles chart needs a measure grouped by one column only, its "by": compute the measure with "group_by": [${JSON.stringify(settings.by)}]`,
    { file: series.path },
  );
}

/** Refuses a line chart of a measure grouped by a deciles `by` column: its lines would name every group. */
export function checkNotByColumn(series: ReleasedSeries, byColumns: ReadonlySet<string>): void {
  const column = series.groupColumns.find((c) => byColumns.has(c));
  if (column === undefined) return;
  throw new UserError(
    `measure ${quote(series.id)} is grouped by ${quote(column)}, the "by" column of a deciles chart, whose values describe never writes; ` +
      `name this measure under "deciles" in the config to draw its deciles, or leave it out of --measures`,
    { file: series.path },
  );
}

export async function buildDecilesCharts(series: readonly ReleasedSeries[], config: DescribeConfig, notForRelease = false): Promise<BuiltDecilesCharts> {
  const computed = new Map<string, { measure: ReleasedSeries; settings: DecilesSettings; percentiles: number[]; table: DecilesTable }>();
  for (const measure of series) {
    const settings = config.deciles.get(measure.id)!;
    checkDecilesGrouping(measure, settings, config.file);
    const percentiles = percentilesOf(settings.outerPercentiles);
    const table = decilesTable(measure.points.map((p) => ({ date: p.date, value: p.value })), percentiles);
    computed.set(measure.id, { measure, settings, percentiles, table });
  }
  const yMax = sharedYMax(computed, config);
  const charts: Chart[] = [];
  const tables = new Map<string, DecileRow[]>();
  const warnings: string[] = [];
  for (const { measure, settings, percentiles, table } of computed.values()) {
    const shown = chartSettings(config, measure.id);
    const title = shown.title ?? titleFromId(measure.id);
    const input = { id: measure.id, numerator: measure.numerator, denominator: measure.denominator, by: settings.by, rows: table.rows, dates: table.dates, percentiles };
    const spec = buildDecilesSpec(input, { ...shown, labels: config.labels, yMax: yMax.get(measure.id), notForRelease });
    const rendered = await renderSvg(spec);
    for (const warning of rendered.warnings) warnings.push(`${measure.path}: chart: ${warning}`);
    if (measure.emptyGroups > 0) {
      warnings.push(`${measure.path}: ${measure.emptyGroups} group${measure.emptyGroups === 1 ? '' : 's'} with no denominator above 0 on any date left out of the deciles`);
    }
    const dated = new Set(table.rows.map((r) => r.date));
    if (dated.size < table.dates.length) {
      const missing = table.dates.length - dated.size;
      warnings.push(
        `${measure.path}: ${missing} of ${table.dates.length} date${table.dates.length === 1 ? '' : 's'} ${missing === 1 ? 'has' : 'have'} fewer than ${MIN_GROUPS_FOR_DECILES} ${settings.by} values, so no deciles`,
      );
    }
    const hasRangedZero = measure.points.some((p) => p.zeroStandsFor !== null && dated.has(p.date));
    const released = releasableDeciles(table.rows);
    if (released.leftOut !== null) {
      warnings.push(
        `${measure.path}: ${decilesTableFileName(measure.id)} leaves out ${released.leftOut}, which would take it past the ${MAX_RELEASE_CSV_ROWS.toLocaleString('en-GB')}-row limit of a released CSV; the chart and its page show them`,
      );
    }
    tables.set(measure.id, released.rows);
    charts.push({
      id: measure.id,
      title,
      spec,
      svg: rendered.svg,
      data: decilesData(input, shown.y),
      groups: percentiles.map(percentileLineLabel),
      groupTitle: 'percentile',
      counts: { numerator: wordsFor(measure.numerator, config.labels), denominator: wordsFor(measure.denominator, config.labels) },
      scale: shown.y,
      source: basename(measure.path),
      // The chart's lines are its percentiles, all shown.
      groupsInFile: percentiles.length,
      zeroStandsFor: null,
      pattern: measure.pattern,
      empty: measure.points.length === 0,
      standardised: false,
      body: {
        table: decilesTableHtml({ id: measure.id, title, by: settings.by, rows: table.rows, dates: table.dates, percentiles, scale: shown.y }),
        notes: decilesNotes({ id: measure.id, by: settings.by, rows: table.rows, dates: table.dates, pattern: measure.pattern, hasRangedZero, outerPercentiles: settings.outerPercentiles, csvLeftOut: released.leftOut }),
      },
    });
  }
  return { charts, tables, warnings };
}

/** The top of the y scale each deciles chart shares with the other deciles charts of its dashboard row. */
function sharedYMax(computed: ReadonlyMap<string, { table: DecilesTable }>, config: DescribeConfig): Map<string, number> {
  const shared = new Map<string, number>();
  for (const row of config.dashboard?.rows ?? []) {
    if (!row.shareY) continue;
    const members = row.charts.filter((id): id is string => id !== null && computed.has(id));
    const top = Math.max(0, ...members.flatMap((id) => computed.get(id)!.table.rows.map((r) => r.value)));
    if (top > 0) for (const id of members) shared.set(id, top);
  }
  return shared;
}
