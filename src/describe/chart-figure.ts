// One chart as HTML: its SVG, and beneath it the charted numbers as a table (dates down,
// groups across), so the values can be read, copied and checked without the picture.

import type { TopLevelSpec } from 'vega-lite';
import { formatPercent, type ChartDatum } from './chart-spec.js';
import { escapeHtml } from './html.js';

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
  return `<figure class="chart" id="chart-${id}" data-measure="${id}">
${chart.svg}
${caption}
${numbers}
</figure>`;
}

export function chartTable(chart: Chart): string {
  const dates = [...new Set(chart.data.map((d) => d.date))].sort();
  const byKey = new Map(chart.data.map((d) => [`${d.date}\u0000${d.group}`, d.value]));
  const head = `<tr><th scope="col">Date</th>${chart.groups.map((g) => `<th scope="col">${escapeHtml(g)}</th>`).join('')}</tr>`;
  const body = dates
    .map((date) => {
      const cells = chart.groups.map((group) => {
        const value = byKey.get(`${date}\u0000${group}`);
        return `<td>${value === undefined || value === null ? '' : formatPercent(value)}</td>`;
      });
      return `<tr><th scope="row">${date}</th>${cells.join('')}</tr>`;
    })
    .join('\n');
  const what = chart.groupTitle === '' ? 'all patients' : `by ${escapeHtml(chart.groupTitle)}`;
  return `<table>
<caption>${escapeHtml(chart.title)}: value (%) ${what}; empty where the measure is blank or has no row</caption>
<thead>${head}</thead>
<tbody>
${body}
</tbody>
</table>`;
}
