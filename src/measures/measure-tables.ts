// Builds each measure's output tables from the per-file sums: groups too small on every date left
// out, the rest sorted, disclosure control applied within each date to the rows that are written,
// `value` computed from the released counts.

import type { MeasureDefinition } from './definitions.js';
import type { MeasureRow } from '../layouts/measure-table.js';
import { discloseCounts, type ReleasedCount } from '../release/rules.js';
import type { FileCounts } from './file-counter.js';
import { groupKey } from './shared-groups.js';

/**
 * The rows of one measure at one date: group values, released numerator and denominator, value.
 * `kept`: the groups to write (see shared-groups.ts), or null for all.
 */
export function measureRows(measure: MeasureDefinition, index: number, grouping: number, counts: FileCounts, kept: ReadonlySet<string> | null): MeasureRow[] {
  const groups = counts.groups[grouping]!;
  const { numerators, denominators } = counts.sums[index]!;
  const written = groups.map((_, i) => i).filter((i) => kept === null || kept.has(groupKey(groups[i]!)));
  const order = written.sort((a, b) => compareGroups(groups[a]!, groups[b]!));
  const released = discloseCounts(
    measure.disclosure,
    order.map((i) => numerators[i]!),
    order.map((i) => denominators[i]!),
  );
  return order.map((i, r) => {
    const numerator = released.numerators[r]!;
    const denominator = released.denominators[r]!;
    return { group: groups[i]!, numerator: countCell(numerator), denominator: countCell(denominator), value: valueCell(numerator, denominator), extra: [] };
  });
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
