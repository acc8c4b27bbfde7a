// Builds each measure's output tables from the per-file sums: groups too small on every date left
// out, the rest sorted, disclosure control applied within each date to the rows that are written,
// `value` (and any extra value columns) computed from the released counts.

import type { MeasureRow } from '../layouts/measure-table.js';
import { discloseCounts, type DisclosureRule, type ReleasedCount } from '../release/rules.js';
import { groupKey } from './shared-groups.js';

/** One row of a measure's table at one date, its counts released. */
export interface ReleasedRow {
  group: string[];
  numerator: ReleasedCount;
  denominator: ReleasedCount;
}

/** One date's sums of a measure, indexed like its grouping's groups. */
export interface TableSums {
  numerators: readonly number[];
  denominators: readonly number[];
}

/**
 * The rows of one table at one date: the groups in `kept` (see shared-groups.ts; null for all),
 * sorted, their counts released by `rule` (within the date, over the rows written).
 */
export function releasedRows(rule: DisclosureRule, groups: readonly string[][], sums: TableSums, kept: ReadonlySet<string> | null): ReleasedRow[] {
  const written = groups.map((_, i) => i).filter((i) => kept === null || kept.has(groupKey(groups[i]!)));
  const order = written.sort((a, b) => compareGroups(groups[a]!, groups[b]!));
  const released = discloseCounts(
    rule,
    order.map((i) => sums.numerators[i]!),
    order.map((i) => sums.denominators[i]!),
  );
  return order.map((i, r) => ({ group: groups[i]!, numerator: released.numerators[r]!, denominator: released.denominators[r]! }));
}

/** The cells of each row as written: group values, released numerator and denominator, value, then `extras(row)`. */
export function measureRows(rows: readonly ReleasedRow[], extras: (row: ReleasedRow) => string[] = () => []): MeasureRow[] {
  return rows.map((row) => ({
    group: row.group,
    numerator: countCell(row.numerator),
    denominator: countCell(row.denominator),
    value: numberCell(releasedValue(row)),
    extra: extras(row),
  }));
}

/** numerator / denominator of the released counts; null where a count is blank or the denominator 0. */
export function releasedValue({ numerator, denominator }: ReleasedRow): number | null {
  if (numerator === null || denominator === null || denominator === 0) return null;
  return numerator / denominator;
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

/** A number at full precision (shortest round-trip form); empty where there is none. */
export function numberCell(value: number | null): string {
  return value === null ? '' : String(value);
}
