// What a deciles chart shows beneath its SVG: the percentiles as a table (dates down,
// percentiles across; a date without deciles is an empty row) and the notes a reader needs.

import { decilesTableFileName, type DecileRow } from '../layouts/deciles-table.js';
import { MAX_RELEASE_CSV_ROWS } from '../release/limits.js';
import { NOT_FOR_RELEASE } from '../release/marker.js';
import { meaningOfZero, type ReleasePattern } from '../release/patterns.js';
import { MIN_GROUPS_FOR_DECILES } from './deciles.js';
import { percentileLabel } from './deciles-spec.js';
import { formatScaled, scaleRule, type YScale } from './y-scale.js';
import { escapeHtml } from './html.js';
import { htmlTable, widen } from './wide-table.js';

export interface DecilesFigureInput {
  id: string;
  title: string;
  by: string;
  rows: readonly DecileRow[];
  dates: readonly string[];
  percentiles: readonly number[];
  scale: YScale;
}

export function decilesTableHtml(input: DecilesFigureInput): string {
  const cells = input.rows.map((row) => ({ date: row.date, column: String(row.percentile), html: `<td>${formatScaled(row.value, input.scale)}</td>` }));
  return htmlTable({
    caption: `${escapeHtml(input.title)}: percentiles of value ${scaleRule(input.scale).unit} across ${escapeHtml(input.by)} values; empty where fewer than ${MIN_GROUPS_FOR_DECILES} have a value`,
    columns: input.percentiles.map(percentileLabel),
    rows: widen(cells, input.dates, input.percentiles.map(String)),
  });
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
  /** What the CSV leaves out to keep within the row limit of a released CSV, in words, or null. */
  csvLeftOut?: string | null;
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
  const leftOut = input.csvLeftOut ? ` (without ${escapeHtml(input.csvLeftOut)}, which would take it past the ${MAX_RELEASE_CSV_ROWS.toLocaleString('en-GB')}-row limit of a released CSV; the table here has them)` : '';
  notes.push(`The percentiles as CSV: <a href="${encodeURIComponent(decilesTableFileName(input.id))}">${csv}</a>${leftOut}.`);
  return notes;
}
