// What a deciles chart shows beneath its SVG: the percentiles as a table (dates down,
// percentiles across; a date without deciles is an empty row) and the notes a reader needs.

import { decilesTableFileName, type DecileRow } from '../layouts/deciles-table.js';
import { NOT_FOR_RELEASE } from '../release/marker.js';
import { meaningOfZero, type ReleasePattern } from '../release/patterns.js';
import { formatPercent } from './chart-spec.js';
import { MIN_GROUPS_FOR_DECILES } from './deciles.js';
import { percentileLabel } from './deciles-spec.js';
import { escapeHtml } from './html.js';

export interface DecilesFigureInput {
  id: string;
  title: string;
  by: string;
  rows: readonly DecileRow[];
  dates: readonly string[];
  percentiles: readonly number[];
}

export async function decilesTableHtml(input: DecilesFigureInput): Promise<string> {
  // Imported here: only describe's deciles charts need arquero.
  const { table } = await import('arquero');
  const columns = input.percentiles.map(String);
  const wide = input.rows.length === 0 ? null : table({
    date: input.rows.map((r) => r.date),
    percentile: input.rows.map((r) => String(r.percentile)),
    value: input.rows.map((r) => r.value),
  })
    .groupby('date')
    .pivot('percentile', 'value');
  // Every date, in order; those without deciles come out of the join with no values.
  const all = table({ date: [...input.dates] });
  const joined = (wide === null ? all : all.join_left(wide, 'date').orderby('date')).objects() as Array<Record<string, string | number | undefined>>;
  const head = `<tr><th scope="col">Date</th>${input.percentiles.map((p) => `<th scope="col">${percentileLabel(p)}</th>`).join('')}</tr>`;
  const body = joined
    .map((row) => {
      const cells = columns.map((column) => {
        const value = row[column];
        return typeof value === 'number' ? `<td>${formatPercent(value)}</td>` : '<td></td>';
      });
      return `<tr><th scope="row">${escapeHtml(String(row.date))}</th>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table>
<caption>${escapeHtml(input.title)}: percentiles of value (%) across ${escapeHtml(input.by)} values; empty where fewer than ${MIN_GROUPS_FOR_DECILES} have a value</caption>
<thead>${head}</thead>
<tbody>
${body}
</tbody>
</table>`;
}

export interface DecilesNotesInput {
  id: string;
  by: string;
  rows: readonly DecileRow[];
  dates: readonly string[];
  pattern: ReleasePattern | null;
  /** Some group value the deciles were taken over is a released 0 that stands for a range. */
  hasRangedZero: boolean;
  /** The 1st-9th and 91st-99th percentiles are drawn too. */
  outerPercentiles: boolean;
}

/** The notes beneath a deciles chart (HTML, escaped). */
export function decilesNotes(input: DecilesNotesInput): string[] {
  const by = escapeHtml(input.by);
  const notes: string[] = [];
  const withDeciles = new Set(input.rows.map((r) => r.date)).size;
  if (input.dates.length === 0) {
    notes.push('Nothing to chart: the measure file has no rows, or no group with a denominator above 0 (groups shared by too few patients are left out).');
    return notes;
  }
  notes.push(
    `Each ${by}'s value is its numerator over its denominator; on each date the percentiles are taken across the ${by} values that are not empty (linear interpolation, as pandas' quantile). ` +
      `The median is the solid line, the other deciles are dashed${input.outerPercentiles ? ' and the 1st-9th and 91st-99th percentiles dotted' : ''}.`,
  );
  if (withDeciles === 0) notes.push(`No deciles: on every date fewer than ${MIN_GROUPS_FOR_DECILES} ${by} values are not empty.`);
  else if (withDeciles < input.dates.length) notes.push(`Dates on which fewer than ${MIN_GROUPS_FOR_DECILES} ${by} values are not empty have no deciles (a gap in the lines).`);
  const zero = meaningOfZero(input.pattern);
  if (zero !== null && input.hasRangedZero) {
    notes.push(`Counts are rounded ("${input.pattern}" disclosure control): a ${by}'s numerator of 0 stands for ${escapeHtml(zero)} patients, so low percentiles may be understated.`);
  }
  if (input.pattern === null) notes.push(`The counts of this measure file were not disclosure-controlled: ${NOT_FOR_RELEASE}.`);
  const csv = escapeHtml(decilesTableFileName(input.id));
  notes.push(`The percentiles as CSV: <a href="${encodeURIComponent(decilesTableFileName(input.id))}">${csv}</a>.`);
  return notes;
}
