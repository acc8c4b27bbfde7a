// One chart as HTML: its SVG, and beneath it the charted numbers as a table, so the values can be
// read, copied and checked without the picture: on the dashboard the values (dates down, groups
// across: wide-table.ts); on the measure's own page every row with its numerator and denominator too.

import type { TopLevelSpec } from 'vega-lite';
import type { ChartDatum } from './chart-spec.js';
import { formatInterval, formatScaled, scaleRule, type YScale } from './y-scale.js';
import { escapeHtml } from './html.js';
import { htmlTable, widen } from './wide-table.js';
import { meaningOfZero, type ReleasePattern } from '../release/patterns.js';
import { NOT_FOR_RELEASE } from '../release/marker.js';
import { formatCount } from '../progress.js';

/** A measure's chart, built and rendered. */
export interface Chart {
  id: string;
  title: string;
  spec: TopLevelSpec;
  svg: string;
  data: ChartDatum[];
  /** Group labels, in legend order. */
  groups: string[];
  /** The group columns in the config's words, e.g. "region" (empty for the whole population). */
  groupTitle: string;
  /** The numerator and denominator in the config's words. */
  counts: { numerator: string; denominator: string };
  /** How values are shown. */
  scale: YScale;
  /** The measure file's name. */
  source: string;
  /** Groups in the measure file with a denominator above 0; more than `groups` when only the largest are shown. */
  groupsInFile: number;
  /** What a released numerator of 0 stands for in this chart ("0 to 7"), when some point has one. */
  zeroStandsFor: string | null;
  /** The release pattern of the measure file's counts; null when they were not disclosure-controlled. */
  pattern: ReleasePattern | null;
  /** The measure file has no rows (every group left out). */
  empty: boolean;
  /** The table and notes (HTML) beneath a chart that is not a line chart (a deciles chart); by default the line chart's. */
  body?: { table: string; notes: string[] };
  /** The chart shows the directly standardised rate, not the crude value. */
  standardised: boolean;
}

export interface FigureOptions {
  /** The measure's own page: every row with its counts, shown; else the values, folded under "Numbers". */
  ownPage: boolean;
}

export function chartFigure(chart: Chart, { ownPage }: FigureOptions): string {
  const id = escapeHtml(chart.id);
  const caption = ownPage ? '' : `<figcaption>Measure <a href="${encodeURIComponent(chart.id)}.html"><code>${id}</code></a>, from <code>${escapeHtml(chart.source)}</code></figcaption>`;
  // A deciles chart brings its own table (its percentiles) and notes: it has no counts of its own to show.
  const table = `<div class="table-scroll">${chart.body?.table ?? (ownPage ? countsTable(chart) : chartTable(chart))}</div>`;
  const numbers = ownPage ? table : `<details><summary>Numbers</summary>${table}</details>`;
  const notes = (chart.body?.notes ?? chartNotes(chart)).map((note) => `<p class="note">${note}</p>`).join('\n');
  return `<figure class="chart" id="chart-${id}" data-measure="${id}">
${chart.svg}
${caption}
${notes}
${numbers}
</figure>`;
}

export function chartTable(chart: Chart): string {
  const dates = [...new Set(chart.data.map((d) => d.date))].sort();
  const cells = chart.data.map((d) => ({ date: d.date, column: d.group, html: valueCell(chart, d) }));
  const what = chart.groupTitle === '' ? 'all patients' : `by ${escapeHtml(chart.groupTitle)}`;
  return htmlTable({
    caption: `${escapeHtml(chart.title)}: ${chartedWhat(chart)} ${what}${intervalNote(chart)}; empty where the measure is blank or has no row${starNote(chart)}`,
    columns: chart.groups,
    rows: widen(cells, dates, chart.groups),
  });
}

/** Every charted row, date by date in legend order: its group, numerator, denominator and value. */
export function countsTable(chart: Chart): string {
  const grouped = chart.groupTitle !== '';
  const order = new Map(chart.groups.map((group, i) => [group, i]));
  const rows = [...chart.data].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : order.get(a.group)! - order.get(b.group)!));
  const head = [
    'Date',
    ...(grouped ? [escapeHtml(chart.groupTitle)] : []),
    escapeHtml(chart.counts.numerator),
    escapeHtml(chart.counts.denominator),
    `${chart.standardised ? 'Directly standardised rate' : 'Value'} ${scaleRule(chart.scale).unit}`,
  ];
  const body = rows
    .map((datum) => {
      const group = grouped ? `<td class="group">${escapeHtml(datum.group)}</td>` : '';
      return `<tr><th scope="row">${datum.date}</th>${group}<td>${escapeHtml(datum.numerator)}</td><td>${escapeHtml(datum.denominator)}</td>${valueCell(chart, datum)}</tr>`;
    })
    .join('\n');
  const what = grouped ? `by ${escapeHtml(chart.groupTitle)}` : 'all patients';
  return `<table>
<caption>${escapeHtml(chart.title)}: the released counts and ${chart.standardised ? 'directly standardised rate' : 'value'} ${what}${intervalNote(chart)}, from ${escapeHtml(chart.source)}; a count is empty where it was suppressed, the value where a count is empty or the denominator 0${starNote(chart)}</caption>
<thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody>
</table>`;
}

function valueCell(chart: Chart, datum: ChartDatum): string {
  if (datum.value === null) return '<td></td>';
  const shown = formatScaled(datum.value, chart.scale);
  const interval = datum.lower === null || datum.upper === null ? '' : ` <span class="interval">(${formatInterval(datum.lower, datum.upper, chart.scale)})</span>`;
  return datum.zeroStandsFor === null ? `<td>${shown}${interval}</td>` : `<td class="zero">${shown}*${interval}</td>`;
}

/** What the chart's values are, with their unit: "value (%)", "directly standardised rate (per 1,000)". */
function chartedWhat(chart: Chart): string {
  return `${chart.standardised ? 'directly standardised rate' : 'value'} ${scaleRule(chart.scale).unit}`;
}

function intervalNote(chart: Chart): string {
  return chart.data.some((d) => d.lower !== null) ? ', with its 95% interval in brackets' : '';
}

function starNote(chart: Chart): string {
  return chart.zeroStandsFor === null ? '' : `; * a numerator of 0, which stands for ${escapeHtml(chart.zeroStandsFor)}`;
}

/** What a reader must know to read the chart right: groups not shown, what a 0 stands for, and a file with no rows. */
function chartNotes(chart: Chart): string[] {
  const notes: string[] = [];
  if (chart.groupsInFile > chart.groups.length) {
    notes.push(
      `${formatCount(chart.groupsInFile)} groups are too many lines for one chart: the chart and table show the ${chart.groups.length} largest, by denominator over every date. Every group is in ${escapeHtml(chart.source)}.`,
    );
  }
  if (chart.empty) {
    notes.push('Nothing to chart: the measure file has no rows, or no group with a denominator above 0 (groups shared by too few patients are left out).');
  }
  const zero = meaningOfZero(chart.pattern);
  if (zero !== null && !chart.empty) {
    notes.push(
      `Counts are rounded ("${chart.pattern}" disclosure control): a numerator of 0 stands for ${escapeHtml(zero)} patients, and is drawn as a hollow point, never as a true zero.`,
    );
  }
  if (chart.standardised && !chart.empty) {
    notes.push(
      'Drawn: the directly standardised rate, worked out by <code>analyse measures</code> from the released counts of each stratum; it is blank where fewer than 10 events were left in the strata.',
    );
  }
  if (chart.pattern === null && !chart.empty) notes.push(`The counts of this measure file were not disclosure-controlled: ${NOT_FOR_RELEASE}.`);
  return notes;
}
