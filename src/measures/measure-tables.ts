// Builds each measure's output tables from the per-file sums: groups sorted, disclosure control
// applied within each date, `value` computed from the released counts, and the per-date and
// combined CSV files formatted.

import { join } from 'node:path';
import { formatCsv, type Cell } from '../csv/format.js';
import type { MeasureDefinition } from './definitions.js';
import { discloseCounts, type ReleasedCount } from './disclosure.js';
import type { FileCounts } from './file-counter.js';

export interface OutputFile {
  path: string;
  content: string;
}

/** The table of one measure at one date: group values, released numerator and denominator, value. */
export function measureRows(measure: MeasureDefinition, index: number, grouping: number, counts: FileCounts): Cell[][] {
  const groups = counts.groups[grouping]!;
  const { numerators, denominators } = counts.sums[index]!;
  const order = groups.map((_, i) => i).sort((a, b) => compareGroups(groups[a]!, groups[b]!));
  const released = discloseCounts(
    measure.disclosure,
    order.map((i) => numerators[i]!),
    order.map((i) => denominators[i]!),
  );
  return order.map((i, r) => {
    const numerator = released.numerators[r]!;
    const denominator = released.denominators[r]!;
    return [...groups[i]!, countCell(numerator), countCell(denominator), valueCell(numerator, denominator)];
  });
}

/**
 * Columns of a measure file: its group columns, numerator, denominator and `value`. When the
 * numerator and denominator are the same column its name appears twice, so every measure file
 * has the same layout (the last three columns, before `date`, are always the counts and value).
 */
export function measureHeader(measure: MeasureDefinition): string[] {
  return [...measure.groupBy, measure.numerator, measure.denominator, 'value'];
}

/** `measure_<id>_<date>.csv`: one date's rows. */
export function dateFile(measure: MeasureDefinition, date: string, rows: readonly Cell[][], outputDir: string): OutputFile {
  return { path: join(outputDir, `measure_${measure.id}_${date}.csv`), content: formatCsv(measureHeader(measure), rows) };
}

/** `measure_<id>.csv`: every date's rows in date order, each with its date last. */
export function combinedFile(measure: MeasureDefinition, dated: ReadonlyArray<{ date: string; rows: readonly Cell[][] }>, outputDir: string): OutputFile {
  const rows = dated.flatMap(({ date, rows }) => rows.map((row) => [...row, date]));
  return { path: join(outputDir, `measure_${measure.id}.csv`), content: formatCsv([...measureHeader(measure), 'date'], rows) };
}

/** Group values compared as text, column by column, in JavaScript's default string order. */
export function compareGroups(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}

function countCell(count: ReleasedCount): string {
  return count === null ? '' : String(count);
}

/** numerator / denominator at full precision (shortest round-trip form); empty where undefined. */
function valueCell(numerator: ReleasedCount, denominator: ReleasedCount): string {
  if (numerator === null || denominator === null || denominator === 0) return '';
  return String(numerator / denominator);
}
