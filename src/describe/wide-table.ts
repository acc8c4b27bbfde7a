// The table beneath a chart: its numbers, long (a date, a column, a cell) as the charts hold
// them, reshaped with arquero into rows of dates down and columns across, then written as HTML.

import { table } from 'arquero';
import { escapeHtml } from './html.js';

/** One cell of the table: its date (row), its column, and its `<td>` element, already escaped. */
export interface LongCell {
  date: string;
  column: string;
  html: string;
}

/** Per date (in `dates` order; a date with no cell is a row of empty cells), the cells of `columns` in order, an empty `<td>` where missing. */
export function widen(cells: readonly LongCell[], dates: readonly string[], columns: readonly string[]): Array<{ date: string; cells: string[] }> {
  // Columns are keyed by position: a label from the data could be anything, "date" too.
  const position = new Map(columns.map((column, i) => [column, `c${i}`]));
  const all = table({ date: [...dates] });
  const known = cells.filter((cell) => position.has(cell.column));
  const wide =
    known.length === 0
      ? all
      : all
          .join_left(table({ date: known.map((c) => c.date), key: known.map((c) => position.get(c.column)!), html: known.map((c) => c.html) }).groupby('date').pivot('key', 'html'), 'date')
          .orderby('date');
  return (wide.objects() as Array<Record<string, string | undefined>>).map((row) => ({
    date: row.date!,
    cells: columns.map((_, i) => row[`c${i}`] ?? '<td></td>'),
  }));
}

export interface HtmlTable {
  /** HTML, already escaped. */
  caption: string;
  /** Column headings (text, escaped here), after the date column. */
  columns: readonly string[];
  /** Each date with its `<td>` elements. */
  rows: ReadonlyArray<{ date: string; cells: readonly string[] }>;
}

export function htmlTable({ caption, columns, rows }: HtmlTable): string {
  const head = `<tr><th scope="col">Date</th>${columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr><th scope="row">${escapeHtml(row.date)}</th>${row.cells.join('')}</tr>`).join('\n');
  return `<table>
<caption>${caption}</caption>
<thead>${head}</thead>
<tbody>
${body}
</tbody>
</table>`;
}
