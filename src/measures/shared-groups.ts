// The group-size rule applied to one measure over every date: which groups enough cohort rows
// share on some date to be written, and how many are left out (counted, never named).

import { groupIsShared } from '../release/group-size.js';
import type { FileCounts } from './file-counter.js';

export interface SharedGroups {
  /** Keys (groupKey) of the groups to write; null when the rule is off and every group is written. */
  kept: Set<string> | null;
  /** Groups seen on some date but left out of every file. */
  leftOut: number;
}

/** A group's values as one key. */
export function groupKey(values: readonly string[]): string {
  return JSON.stringify(values);
}

export function sharedGroups(grouping: number, minGroupSize: number, counts: readonly FileCounts[]): SharedGroups {
  if (minGroupSize <= 0) return { kept: null, leftOut: 0 };
  const mostRows = new Map<string, number>();
  for (const file of counts) {
    const rows = file.groupRows[grouping]!;
    file.groups[grouping]!.forEach((values, id) => {
      const key = groupKey(values);
      mostRows.set(key, Math.max(mostRows.get(key) ?? 0, rows[id]!));
    });
  }
  const kept = new Set<string>();
  for (const [key, rows] of mostRows) if (groupIsShared(rows, minGroupSize)) kept.add(key);
  return { kept, leftOut: mostRows.size - kept.size };
}
