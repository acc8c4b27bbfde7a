// One chart as HTML: its SVG, and beneath it the charted numbers as a table (dates down,
// groups across), so the values can be read, copied and checked without the picture.

import type { TopLevelSpec } from 'vega-lite';
import { formatInterval, formatPercent, type ChartDatum } from './chart-spec.js';
import { escapeHtml } from './html.js';
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
  /** The chart shows the directly standardised rate, not the crude value. */
  standardised: boolean;
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
  const table = `<div class="table-scroll">${chartTable(chart)}</div>`;
  const numbers = tableOpen ? table : `<details><summary>Numbers</summary>${table}</details>`;
  const notes = chartNotes(chart).map((note) => `<p class="note">${note}</p>`).join('\n');
  return `<figure class="chart" id="chart-${id}" data-measure="${id}">
${chart.svg}
${caption}
${notes}
${numbers}
</figure>`;
}

export function chartTable(chart: Chart): string {
  const dates = [...new Set(chart.data.map((d) => d.date))].sort();
  const byKey = new Map(chart.data.map((d) => [`${d.date}\u0000${d.group}`, d]));
  const head = `<tr><th scope="col">Date</th>${chart.groups.map((g) => `<th scope="col">${escapeHtml(g)}</th>`).join('')}</tr>`;
  const body = dates
    .map((date) => {
      const cells = chart.groups.map((group) => {
        const datum = byKey.get(`${date}\u0000${group}`);
        if (datum === undefined || datum.value === null) return '<td></td>';
        const interval = datum.lower === null || datum.upper === null ? '' : ` <span class="interval">(${formatInterval(datum.lower, datum.upper)})</span>`;
        return datum.zeroStandsFor === null ? `<td>${formatPercent(datum.value)}${interval}</td>` : `<td class="zero">${formatPercent(datum.value)}*${interval}</td>`;
      });
      return `<tr><th scope="row">${date}</th>${cells.join('')}</tr>`;
    })
    .join('\n');
  const what = chart.groupTitle === '' ? 'all patients' : `by ${escapeHtml(chart.groupTitle)}`;
  const charted = chart.standardised ? 'directly standardised rate (%)' : 'value (%)';
  const interval = chart.data.some((d) => d.lower !== null) ? ', with its 95% interval in brackets' : '';
  return `<table>
<caption>${escapeHtml(chart.title)}: ${charted} ${what}${interval}; empty where the measure is blank or has no row${
    chart.zeroStandsFor === null ? '' : `; * a numerator of 0, which stands for ${escapeHtml(chart.zeroStandsFor)}`
  }</caption>
<thead>${head}</thead>
<tbody>
${body}
</tbody>
</table>`;
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
  if (chart.standardised && !chart.empty) {
    notes.push(
      'Drawn: the directly standardised rate, worked out by <code>analyse measures</code> from the released counts of each stratum; it is blank where fewer than 10 events were left in the strata.',
    );
  }
  if (chart.pattern === null && !chart.empty) notes.push(`The counts of this measure file were not disclosure-controlled: ${NOT_FOR_RELEASE}.`);
  return notes;
}
