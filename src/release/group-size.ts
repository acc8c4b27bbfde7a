// The group-size rule: a group (one combination of group_by values) is released only if enough
// cohort rows share it on some date. A value that one patient alone has (an age of 107, a rare
// code, an identifier) is then never written, not even as a row of rounded zeros, because the
// group's label alone would say that someone with that value exists.

import type { DisclosureRule } from './rules.js';

/** Rows a group needs on at least one date, unless the definitions say otherwise (as many as "round" makes 0, plus one). */
export const DEFAULT_MIN_GROUP_SIZE = 8;

/** The default for a measure under `rule`: off for raw counts, which are not for release anyway. */
export function defaultMinGroupSize(rule: DisclosureRule): number {
  return rule === 'none' ? 0 : DEFAULT_MIN_GROUP_SIZE;
}

/** Whether a group whose largest cohort row count over the dates is `mostRows` may be written. */
export function groupIsShared(mostRows: number, minGroupSize: number): boolean {
  return mostRows >= minGroupSize;
}
