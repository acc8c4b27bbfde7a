// Builds each measure's output tables from the per-file sums: groups sorted, disclosure control
// applied within each date, `value` computed from the released counts.

import type { Cell } from '../csv/format.js';
import type { MeasureDefinition } from './definitions.js';
import { discloseCounts, type ReleasedCount } from '../release/rules.js';
import type { FileCounts } from './file-counter.js';

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
