// Builds each measure's output tables from the per-file sums: groups sorted, disclosure control
// applied within each date, `value` computed from the released counts, and the per-date and
// combined CSV files formatted.

import { join } from 'node:path';
import { formatCsv, type Cell } from '../csv/format.js';
import type { MeasureDefinition } from './definitions.js';
import { discloseCounts, type ReleasedCount } from './disclosure.js';
import type { FileCounts } from './file-counter.js';

/** One dated cohort file's sums. */
export interface DatedCounts {
  date: string;
  counts: FileCounts;
}

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
 * The output files of one measure: `measure_<id>_<date>.csv` per date and `measure_<id>.csv`
 * with every date. When the numerator and denominator are the same column its name appears
 * twice in the header, so every measure file has the same layout (groups, numerator, denominator, value).
 */
export function measureFiles(measure: MeasureDefinition, index: number, grouping: number, dated: readonly DatedCounts[], outputDir: string): OutputFile[] {
  const header = [...measure.groupBy, measure.numerator, measure.denominator, 'value'];
  const files: OutputFile[] = [];
  const combined: Cell[][] = [];
  for (const { date, counts } of dated) {
    const rows = measureRows(measure, index, grouping, counts);
    files.push({ path: join(outputDir, `measure_${measure.id}_${date}.csv`), content: formatCsv(header, rows) });
    for (const row of rows) combined.push([...row, date]);
  }
  files.push({ path: join(outputDir, `measure_${measure.id}.csv`), content: formatCsv([...header, 'date'], combined) });
  return files;
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
