// Adds up the counts of two parts of one file (byte ranges read by different workers): groups
// are matched by their values, and the sums and row counts of the same group added.

import type { FileCounts } from './file-counter.js';

/** `groupingOf[m]`: the grouping measure m's sums are indexed by (MeasurePlan's `grouping`). */
export function mergeCounts(a: FileCounts, b: FileCounts, groupingOf: readonly number[]): FileCounts {
  const groups = a.groups.map((groups) => groups.map((values) => [...values]));
  /** Per grouping, the index in the merged groups of each of b's groups. */
  const where = b.groups.map((bGroups, g) => {
    const index = new Map(groups[g]!.map((values, i) => [JSON.stringify(values), i]));
    return bGroups.map((values) => {
      const key = JSON.stringify(values);
      let at = index.get(key);
      if (at === undefined) {
        at = groups[g]!.length;
        index.set(key, at);
        groups[g]!.push([...values]);
      }
      return at;
    });
  });
  const sums = a.sums.map((sum, m) => {
    const numerators = [...sum.numerators];
    const denominators = [...sum.denominators];
    const grouping = groupingOf[m]!;
    b.sums[m]!.numerators.forEach((n, i) => {
      const at = where[grouping]![i]!;
      numerators[at] = (numerators[at] ?? 0) + n;
      denominators[at] = (denominators[at] ?? 0) + b.sums[m]!.denominators[i]!;
    });
    return { numerators, denominators };
  });
  const groupRows = a.groupRows.map((rows, g) => {
    const merged = [...rows];
    b.groupRows[g]!.forEach((n, i) => {
      const at = where[g]![i]!;
      merged[at] = (merged[at] ?? 0) + n;
    });
    return merged;
  });
  // A column is a flag in the whole file only if it is in both parts.
  const flags = a.flags.map((flag, k) => flag && b.flags[k]!);
  return { rows: a.rows + b.rows, groups, groupRows, sums, flags };
}
