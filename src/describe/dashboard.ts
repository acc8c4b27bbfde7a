// The pages describe writes for the charts: one page per measure, and the dashboard holding
// every chart, laid out in the config's rows and columns (the rest follow in a grid).

import { chartFigure, type Chart } from './chart-figure.js';
import type { DashboardLayout } from './describe-config.js';
import { escapeHtml, htmlPage } from './html.js';

export const DASHBOARD_FILE = 'dashboard.html';

export function chartPage(chart: Chart, notForRelease = false): string {
  const id = encodeURIComponent(chart.id);
  const body = `<nav><a href="${DASHBOARD_FILE}">← All charts (dashboard)</a></nav>
<h1>${escapeHtml(chart.title)}</h1>
<p class="lead">Measure <code>${escapeHtml(chart.id)}</code>, drawn from <code>${escapeHtml(chart.source)}</code>. Vega-Lite spec: <a href="${id}.vl.json">${escapeHtml(chart.id)}.vl.json</a>; the chart alone, for a manuscript: <a href="${id}.svg">${escapeHtml(chart.id)}.svg</a>.</p>
${chartFigure(chart, { ownPage: true })}`;
  return htmlPage({ title: chart.title, body, notForRelease });
}

/** `emptyFiles`: names of ehrQL measures files with no rows, which no chart stands for. */
export function dashboardPage(charts: readonly Chart[], layout: DashboardLayout | null, notForRelease = false, emptyFiles: readonly string[] = []): string {
  const title = layout?.title ?? 'Measures';
  const byId = new Map(charts.map((c) => [c.id, c]));
  const placed = new Set<string>();
  const sections: string[] = [];
  if (layout !== null && layout.rows.length > 0) {
    const width = Math.max(layout.columns.length, ...layout.rows.map((r) => r.charts.length), 1);
    const grid = `style="grid-template-columns: repeat(${width}, minmax(0, 1fr))"`;
    if (layout.columns.length > 0) {
      const headings = Array.from({ length: width }, (_, i) => `<div class="column-heading">${escapeHtml(layout.columns[i] ?? '')}</div>`);
      sections.push(`<div class="grid" ${grid}>${headings.join('')}</div>`);
    }
    for (const row of layout.rows) {
      const cells = Array.from({ length: width }, (_, i) => {
        const id = row.charts[i] ?? null;
        const chart = id === null ? undefined : byId.get(id);
        if (chart === undefined) return '<figure class="chart empty" aria-hidden="true"></figure>';
        placed.add(chart.id);
        return chartFigure(chart, { ownPage: false });
      });
      const heading = row.title === null ? '' : `<h2>${escapeHtml(row.title)}</h2>\n`;
      sections.push(`<section class="row">\n${heading}<div class="grid" ${grid}>\n${cells.join('\n')}\n</div>\n</section>`);
    }
  }
  const rest = charts.filter((c) => !placed.has(c.id));
  if (rest.length > 0) {
    const heading = placed.size > 0 ? '<h2>Other charts</h2>\n' : '';
    sections.push(`<section class="row">\n${heading}<div class="grid auto">\n${rest.map((c) => chartFigure(c, { ownPage: false })).join('\n')}\n</div>\n</section>`);
  }
  for (const file of emptyFiles) {
    sections.push(
      `<p class="note">Nothing to chart in <code>${escapeHtml(file)}</code>: the measures file has no rows (groups shared by too few patients are left out, and a measure left with no group has no row to name it).</p>`,
    );
  }
  const count = `${charts.length} chart${charts.length === 1 ? '' : 's'}`;
  const body = `<h1>${escapeHtml(title)}</h1>
<p class="lead">${count} of measure values over time, one line per group (in a deciles chart, per percentile across the groups); hover a point for its value, or open "Numbers" beneath a chart for the table.</p>
${sections.join('\n')}`;
  return htmlPage({ title, body, notForRelease });
}
