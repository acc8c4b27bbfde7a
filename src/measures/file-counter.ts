// Adds up every measure over the rows of one cohort file: for each row the scanner has put the
// counts in `counts` and the bounds of the group cells in `groupStarts`/`groupEnds`; `add` finds
// the group ids and adds to each measure's sums for its group. Memory grows with the number of
// distinct groups, never with rows.

import { UserError, quote } from '../errors.js';
import { GroupValues } from './group-values.js';
import { GroupTuples } from './group-tuples.js';
import { FlagTallies } from './flag-tallies.js';
import type { MeasurePlan } from './plan.js';

/** One file's sums: per grouping its groups, per measure its sums by group. Plain data for postMessage. */
export interface FileCounts {
  rows: number;
  /** Per grouping (plan order): each group's values, in the grouping's column order. */
  groups: string[][][];
  /** Per grouping: each group's cohort rows (for the group-size rule), indexed like its groups. */
  groupRows: number[][];
  /** Per measure (plan order): numerator and denominator sums, indexed like its grouping's groups. */
  sums: Array<{ numerators: number[]; denominators: number[] }>;
  /** Per count column (plan order): whether every value was 0 or 1 (or empty), so the column is a flag. */
  flags: boolean[];
}

/** Slots before a group's denominators: its row count. */
const ROW_SLOTS = 1;

export class FileCounter {
  private rows = 0;
  /** This row's counts, by plan slot (`countColumns` order); the last slot (`population`) is always 1. */
  readonly counts: Float64Array;
  /** This row's group cells, by group column: raw bounds in the scanner's buffer, and 1 where quoted. */
  readonly groupStarts: Int32Array;
  readonly groupEnds: Int32Array;
  readonly groupQuoted: Uint8Array;
  private readonly groupValues: GroupValues[];
  /** Rows of 0/1 counts, tallied by group and flag pattern until flushed (null: every row is added as it comes). */
  private tallies: FlagTallies | null;
  /** Count columns (the counts' slots but the last, population's). */
  private readonly flagCount: number;
  /** A flushed tally's value ids and counts. */
  private readonly flushIds: Int32Array;
  private readonly flushCounts: Float64Array;
  /** Per count column: 1 once a value above 1 was seen. */
  private readonly overOne: Uint8Array;
  /** This row's value id per group column. */
  private readonly valueIds: Int32Array;
  /** Per grouping: its one column (or -1 for none, -2 for several), and tuples for several. */
  private readonly singleColumn: Int32Array;
  private readonly tuples: Array<GroupTuples | null>;
  /**
   * Per grouping, the sums of each group laid out as its row count, its distinct denominators,
   * then its measures' numerators: measures sharing a denominator (usually `population`) share its sum.
   * `denominatorSlots[denominatorStart[g] ..]` and `numeratorSlots[numeratorStart[g] ..]` say
   * which count goes where; `numeratorOf[n]` is the count slot deciding whether a row is in
   * numerator n's denominator.
   */
  private readonly sums: Float64Array[];
  private readonly widths: Int32Array;
  private readonly denominatorStart: Int32Array;
  private readonly denominatorSlots: Int32Array;
  private readonly numeratorStart: Int32Array;
  private readonly numeratorSlots: Int32Array;
  private readonly numeratorOf: Int32Array;
  /** Per measure: where its numerator and denominator sums are within a group's sums. */
  private readonly numeratorAt: number[];
  private readonly denominatorAt: number[];

  constructor(
    private readonly plan: MeasurePlan,
    private readonly file: string,
  ) {
    this.counts = new Float64Array(plan.countColumns.length + 1);
    this.counts[plan.countColumns.length] = 1;
    this.groupStarts = new Int32Array(plan.groupColumns.length);
    this.groupEnds = new Int32Array(plan.groupColumns.length);
    this.groupQuoted = new Uint8Array(plan.groupColumns.length);
    this.groupValues = plan.groupColumns.map(() => new GroupValues());
    this.valueIds = new Int32Array(plan.groupColumns.length);
    this.flagCount = plan.countColumns.length;
    this.tallies = FlagTallies.create(plan.groupings, plan.groupColumns.length, this.flagCount);
    if (this.tallies !== null && !this.tallies.layout(this.valueCounts())) this.tallies = null;
    this.flushIds = new Int32Array(plan.groupColumns.length);
    this.flushCounts = new Float64Array(plan.countColumns.length + 1);
    this.flushCounts[plan.countColumns.length] = 1;
    this.overOne = new Uint8Array(plan.countColumns.length);
    this.singleColumn = Int32Array.from(plan.groupings, (columns) => (columns.length === 1 ? columns[0]! : columns.length === 0 ? -1 : -2));
    this.tuples = plan.groupings.map((columns) => (columns.length > 1 ? new GroupTuples(columns) : null));

    const denominatorStart = [0];
    const denominatorSlots: number[] = [];
    const numeratorStart = [0];
    const numeratorSlots: number[] = [];
    const numeratorOf: number[] = [];
    this.numeratorAt = [];
    this.denominatorAt = [];
    const widths: number[] = [];
    plan.groupings.forEach((_, g) => {
      const measures = plan.measures.filter((m) => m.grouping === g);
      const denominators = [...new Set(measures.map((m) => m.denominatorSlot))];
      denominatorSlots.push(...denominators);
      denominatorStart.push(denominatorSlots.length);
      measures.forEach((m, j) => {
        numeratorSlots.push(m.numeratorSlot);
        numeratorOf.push(m.denominatorSlot);
        this.denominatorAt[plan.measures.indexOf(m)] = ROW_SLOTS + denominators.indexOf(m.denominatorSlot);
        this.numeratorAt[plan.measures.indexOf(m)] = ROW_SLOTS + denominators.length + j;
      });
      numeratorStart.push(numeratorSlots.length);
      widths.push(ROW_SLOTS + denominators.length + measures.length);
    });
    this.denominatorStart = Int32Array.from(denominatorStart);
    this.denominatorSlots = Int32Array.from(denominatorSlots);
    this.numeratorStart = Int32Array.from(numeratorStart);
    this.numeratorSlots = Int32Array.from(numeratorSlots);
    this.numeratorOf = Int32Array.from(numeratorOf);
    this.widths = Int32Array.from(widths);
    this.sums = widths.map((width) => new Float64Array(width * 16));
  }

  /** Rows added so far. */
  get rowCount(): number {
    return this.rows;
  }

  /**
   * Adds the row whose counts and group cells (in `buf`) have been set; `pattern` has bit k set
   * where count k is 1, the others being 0, or is -1 when a count is above 1.
   */
  add(buf: Buffer, pattern: number): void {
    this.rows++;
    const counts = this.counts;
    const valueIds = this.valueIds;
    const groupStarts = this.groupStarts;
    const groupEnds = this.groupEnds;
    const groupQuoted = this.groupQuoted;
    for (let j = 0; j < valueIds.length; j++) {
      const values = this.groupValues[j]!;
      valueIds[j] = groupQuoted[j] === 1 ? values.idOfQuoted(buf, groupStarts[j]!, groupEnds[j]!) : values.idOf(buf, groupStarts[j]!, groupEnds[j]!);
    }
    const tallies = this.tallies;
    if (tallies !== null && pattern >= 0) {
      // A row of 0/1 counts is tallied by its flag pattern; its sums are added when the tallies are flushed.
      if (tallies.add(valueIds, pattern)) return;
      // A value id or pattern that does not fit the tallies' layout: the sums so far, then a new layout.
      this.flushTallies();
      if (!tallies.layout(this.valueCounts())) this.tallies = null;
    }
    const overOne = this.overOne;
    for (let k = 0; k < overOne.length; k++) if (counts[k]! > 1) overOne[k] = 1;
    for (let g = 0; g < this.singleColumn.length; g++) this.addToGroup(g, this.groupId(g, valueIds), counts, 1);
  }

  /** The id in grouping g of the group of these value ids (by group column). */
  private groupId(g: number, valueIds: Int32Array): number {
    const column = this.singleColumn[g]!;
    return column >= 0 ? valueIds[column]! : column === -1 ? 0 : this.tuples[g]!.idOf(valueIds);
  }

  /** Adds `weight` rows of these counts to the sums of group `id` of grouping g. */
  private addToGroup(g: number, id: number, counts: Float64Array, weight: number): void {
    const denominatorStart = this.denominatorStart;
    const denominatorSlots = this.denominatorSlots;
    const numeratorStart = this.numeratorStart;
    const numeratorSlots = this.numeratorSlots;
    const numeratorOf = this.numeratorOf;
    const width = this.widths[g]!;
    let at = id * width;
    if (at + width > this.sums[g]!.length) this.growSums(g, at + width);
    const sums = this.sums[g]!;
    sums[at++]! += weight; // every row counts towards its group's size, whatever its denominator
    const firstDenominator = denominatorStart[g]!;
    const lastDenominator = denominatorStart[g + 1]!;
    if (lastDenominator - firstDenominator === 1) {
      // One denominator (usually population) for every measure of the grouping: one test for all.
      const denominator = counts[denominatorSlots[firstDenominator]!]!;
      if (denominator > 0) {
        sums[at++]! += weight * denominator;
        for (let n = numeratorStart[g]!, end = numeratorStart[g + 1]!; n < end; n++, at++) sums[at]! += weight * counts[numeratorSlots[n]!]!;
      }
      return;
    }
    // A denominator of 0 adds nothing, so no test is needed here.
    for (let d = firstDenominator; d < lastDenominator; d++, at++) sums[at]! += weight * counts[denominatorSlots[d]!]!;
    // Only rows in the denominator count towards the numerator.
    for (let n = numeratorStart[g]!, end = numeratorStart[g + 1]!; n < end; n++, at++) {
      if (counts[numeratorOf[n]!]! > 0) sums[at]! += weight * counts[numeratorSlots[n]!]!;
    }
  }

  /** Adds the tallied rows to the sums. */
  private flushTallies(): void {
    const ids = this.flushIds;
    const counts = this.flushCounts;
    this.tallies!.flush(ids, (g, pattern, rows) => {
      for (let k = 0; k < this.flagCount; k++) counts[k] = (pattern >>> k) & 1;
      this.addToGroup(g, this.groupId(g, ids), counts, rows);
    });
  }

  private valueCounts(): number[] {
    return this.groupValues.map((values) => values.count);
  }

  /** The sums so far, as plain data. */
  result(): FileCounts {
    if (this.tallies !== null) this.flushTallies();
    const plan = this.plan;
    const texts = this.groupValues.map((values) => values.texts());
    const groups = plan.groupings.map((columns, g): string[][] => {
      if (columns.length === 0) return this.rows > 0 ? [[]] : [];
      if (columns.length === 1) return texts[columns[0]!]!.map((text) => [text]);
      const tuples = this.tuples[g]!;
      return Array.from({ length: tuples.count }, (_, id) => tuples.valueIdsOf(id).map((valueId, i) => texts[columns[i]!]![valueId]!));
    });
    const groupRows = plan.groupings.map((_, g) => {
      const all = this.sums[g]!;
      const width = this.widths[g]!;
      return Array.from({ length: groups[g]!.length }, (_, id) => all[id * width]!);
    });
    const sums = plan.measures.map((measure, m) => {
      const all = this.sums[measure.grouping]!;
      const width = this.widths[measure.grouping]!;
      const numerators: number[] = [];
      const denominators: number[] = [];
      for (let id = 0; id < groups[measure.grouping]!.length; id++) {
        numerators.push(all[id * width + this.numeratorAt[m]!]!);
        denominators.push(all[id * width + this.denominatorAt[m]!]!);
      }
      return checkedSums(measure.id, numerators, denominators, this.file);
    });
    return { rows: this.rows, groups, groupRows, sums, flags: Array.from(this.overOne, (seen) => seen === 0) };
  }

  private growSums(g: number, needed: number): void {
    const sums = this.sums[g]!;
    const bigger = new Float64Array(Math.max(2 * sums.length, needed));
    bigger.set(sums);
    this.sums[g] = bigger;
  }
}

/** A measure's sums, unless one is too large to have been added exactly (an error naming the measure). */
export function checkedSums(measure: string, numerators: number[], denominators: number[], file: string): { numerators: number[]; denominators: number[] } {
  if ([...numerators, ...denominators].some((sum) => sum > Number.MAX_SAFE_INTEGER)) {
    throw new UserError(`the counts of measure ${quote(measure)} add up to more than ${Number.MAX_SAFE_INTEGER}, too large to count exactly`, { file });
  }
  return { numerators, denominators };
}
