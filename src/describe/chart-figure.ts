// One chart as HTML: its SVG, and beneath it the charted numbers as a table (dates down,
// groups across: wide-table.ts), so the values can be read, copied and checked without the picture.

import type { TopLevelSpec } from 'vega-lite';
import { formatPercent, type ChartDatum } from './chart-spec.js';
import { escapeHtml } from './html.js';
import { htmlTable, widen } from './wide-table.js';
import { meaningOfZero, type ReleasePattern } from '../release/patterns.js';
import { NOT_FOR_RELEASE } from '../release/marker.js';

/** A measure's chart, built and rendered. */
export interface Chart {
  id: string;
  title: string;
  spec: TopLevelSpec;
  svg: string;
  data: ChartDatum[];
  /** Group labels, in legend order. */
  groups: string[];
  /** The group columns, e.g. "region" (empty for the whole population). */
  groupTitle: string;
  /** What a released numerator of 0 stands for in this chart ("0 to 7"), when some point has one. */
  zeroStandsFor: string | null;
  /** The release pattern of the measure file's counts; null when they were not disclosure-controlled. */
  pattern: ReleasePattern | null;
  /** The measure file has no rows (every group left out). */
  empty: boolean;
  /** The table and notes (HTML) beneath a chart that is not a line chart (a deciles chart); by default the line chart's. */
  body?: { table: string; notes: string[] };
}

export interface FigureOptions {
  /** Show the table, or fold it under a "Numbers" summary. */
  tableOpen: boolean;
  /** Link to the chart's own page. */
  link: boolean;
}

export function chartFigure(chart: Chart, { tableOpen, link }: FigureOptions): string {
  const id = escapeHtml(chart.id);
  const caption = link ? `<figcaption>Measure <a href="${encodeURIComponent(chart.id)}.html"><code>${id}</code></a></figcaption>` : '';
  const table = `<div class="table-scroll">${chart.body?.table ?? chartTable(chart)}</div>`;
  const numbers = tableOpen ? table : `<details><summary>Numbers</summary>${table}</details>`;
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
  const cells = chart.data.map((d) => ({
    date: d.date,
    column: d.group,
    html: d.value === null ? '<td></td>' : d.zeroStandsFor === null ? `<td>${formatPercent(d.value)}</td>` : `<td class="zero">${formatPercent(d.value)}*</td>`,
  }));
  const what = chart.groupTitle === '' ? 'all patients' : `by ${escapeHtml(chart.groupTitle)}`;
  const zero = chart.zeroStandsFor === null ? '' : `; * a numerator of 0, which stands for ${escapeHtml(chart.zeroStandsFor)}`;
  return htmlTable({
    caption: `${escapeHtml(chart.title)}: value (%) ${what}; empty where the measure is blank or has no row${zero}`,
    columns: chart.groups,
    rows: widen(cells, dates, chart.groups),
  });
}

/** What a reader must know to read the chart right: what a 0 stands for, and a file with no rows. */
function chartNotes(chart: Chart): string[] {
  const notes: string[] = [];
  if (chart.empty) {
    notes.push('Nothing to chart: the measure file has no rows, or no group with a denominator above 0 (groups shared by too few patients are left out).');
  }
  const zero = meaningOfZero(chart.pattern);
  if (zero !== null && !chart.empty) {
    notes.push(
      `Counts are rounded ("${chart.pattern}" disclosure control): a numerator of 0 stands for ${escapeHtml(zero)} patients, and is drawn as a hollow point, never as a true zero.`,
    );
  }
  if (chart.pattern === null && !chart.empty) notes.push(`The counts of this measure file were not disclosure-controlled: ${NOT_FOR_RELEASE}.`);
  return notes;
}
