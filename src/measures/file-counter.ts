// Adds up every measure over the rows of one cohort file, in one pass: per row it parses the
// count columns from the bytes, finds the group ids, and adds to each measure's sums for its
// group. Memory grows with the number of distinct groups, never with rows.

import { UserError, quote } from '../errors.js';
import type { RowView } from '../csv/scanner.js';
import { GroupValues } from './group-values.js';
import { GroupTuples } from './group-tuples.js';
import type { ColumnPositions, MeasurePlan } from './plan.js';

/** One file's sums: per grouping its groups, per measure its sums by group. Plain data for postMessage. */
export interface FileCounts {
  rows: number;
  /** Per grouping (plan order): each group's values, in the grouping's column order. */
  groups: string[][][];
  /** Per measure (plan order): numerator and denominator sums, indexed like its grouping's groups. */
  sums: Array<{ numerators: number[]; denominators: number[] }>;
}

const ZERO = 0x30;

export class FileCounter {
  private rows = 0;
  /** This row's counts, by plan slot; the last slot (`population`) is always 1. */
  private readonly counts: Float64Array;
  private readonly countFields: Int32Array;
  private readonly groupFields: Int32Array;
  private readonly groupValues: GroupValues[];
  /** This row's value id per group column. */
  private readonly valueIds: Int32Array;
  /** Per grouping: its one column (or -1 for none, -2 for several), tuples for several, and this row's group id. */
  private readonly singleColumn: Int32Array;
  private readonly tuples: Array<GroupTuples | null>;
  private readonly groupIds: Int32Array;
  /** Per grouping: sums of its measures, `width` per group: numerator then denominator of each. */
  private readonly sums: Float64Array[];
  private readonly widths: Int32Array;
  /** Per measure: its grouping, its offset within a group's sums, and its count slots. */
  private readonly grouping: Int32Array;
  private readonly offset: Int32Array;
  private readonly numeratorSlot: Int32Array;
  private readonly denominatorSlot: Int32Array;

  constructor(
    private readonly plan: MeasurePlan,
    positions: ColumnPositions,
    private readonly file: string,
  ) {
    this.counts = new Float64Array(plan.countColumns.length + 1);
    this.counts[plan.countColumns.length] = 1;
    this.countFields = Int32Array.from(positions.countFields);
    this.groupFields = Int32Array.from(positions.groupFields);
    this.groupValues = plan.groupColumns.map(() => new GroupValues());
    this.valueIds = new Int32Array(plan.groupColumns.length);
    this.singleColumn = Int32Array.from(plan.groupings, (columns) => (columns.length === 1 ? columns[0]! : columns.length === 0 ? -1 : -2));
    this.tuples = plan.groupings.map((columns) => (columns.length > 1 ? new GroupTuples(columns) : null));
    this.groupIds = new Int32Array(plan.groupings.length);
    const perGrouping = plan.groupings.map(() => 0);
    this.grouping = Int32Array.from(plan.measures, (m) => m.grouping);
    this.offset = Int32Array.from(plan.measures, (m) => 2 * perGrouping[m.grouping]!++);
    this.numeratorSlot = Int32Array.from(plan.measures, (m) => m.numeratorSlot);
    this.denominatorSlot = Int32Array.from(plan.measures, (m) => m.denominatorSlot);
    this.widths = Int32Array.from(perGrouping, (n) => 2 * n);
    this.sums = perGrouping.map((n) => new Float64Array(2 * n * 16));
  }

  row(row: RowView): void {
    this.rows++;
    const buf = row.buffer;
    const starts = row.starts;
    const ends = row.ends;
    const quoted = row.quoted;

    const counts = this.counts;
    const countFields = this.countFields;
    for (let k = 0; k < countFields.length; k++) {
      const field = countFields[k]!;
      let start = starts[field]!;
      let end = ends[field]!;
      if (quoted[field] === 1) {
        start++;
        end--;
      }
      let value = 0;
      for (let i = start; i < end; i++) {
        const digit = buf[i]! - ZERO;
        if (digit >>> 0 > 9) this.notACount(row, k);
        value = value * 10 + digit;
      }
      if (value > Number.MAX_SAFE_INTEGER) this.notACount(row, k);
      counts[k] = value;
    }

    const valueIds = this.valueIds;
    const groupFields = this.groupFields;
    for (let j = 0; j < groupFields.length; j++) {
      const field = groupFields[j]!;
      const values = this.groupValues[j]!;
      valueIds[j] = quoted[field] === 1 ? values.idOfQuoted(buf, starts[field]!, ends[field]!) : values.idOf(buf, starts[field]!, ends[field]!);
    }

    const groupIds = this.groupIds;
    const singleColumn = this.singleColumn;
    for (let g = 0; g < groupIds.length; g++) {
      const column = singleColumn[g]!;
      const id = column >= 0 ? valueIds[column]! : column === -1 ? 0 : this.tuples[g]!.idOf(valueIds);
      groupIds[g] = id;
      if ((id + 1) * this.widths[g]! > this.sums[g]!.length) this.growSums(g);
    }

    const grouping = this.grouping;
    const offset = this.offset;
    const numeratorSlot = this.numeratorSlot;
    const denominatorSlot = this.denominatorSlot;
    for (let m = 0; m < grouping.length; m++) {
      const denominator = counts[denominatorSlot[m]!]!;
      // Only rows in the denominator count towards the numerator.
      if (denominator > 0) {
        const g = grouping[m]!;
        const at = groupIds[g]! * this.widths[g]! + offset[m]!;
        const sums = this.sums[g]!;
        sums[at] += counts[numeratorSlot[m]!]!;
        sums[at + 1] += denominator;
      }
    }
  }

  /** The sums so far, as plain data. */
  result(): FileCounts {
    const plan = this.plan;
    const texts = this.groupValues.map((values) => values.texts());
    const groups = plan.groupings.map((columns, g): string[][] => {
      if (columns.length === 0) return this.rows > 0 ? [[]] : [];
      if (columns.length === 1) return texts[columns[0]!]!.map((text) => [text]);
      const tuples = this.tuples[g]!;
      return Array.from({ length: tuples.count }, (_, id) => tuples.valueIdsOf(id).map((valueId, i) => texts[columns[i]!]![valueId]!));
    });
    const sums = plan.measures.map((measure, m) => {
      const all = this.sums[measure.grouping]!;
      const width = this.widths[measure.grouping]!;
      const numerators: number[] = [];
      const denominators: number[] = [];
      for (let id = 0; id < groups[measure.grouping]!.length; id++) {
        numerators.push(all[id * width + this.offset[m]!]!);
        denominators.push(all[id * width + this.offset[m]! + 1]!);
      }
      if ([...numerators, ...denominators].some((sum) => sum > Number.MAX_SAFE_INTEGER)) {
        throw new UserError(`the counts of measure ${quote(measure.id)} add up to more than ${Number.MAX_SAFE_INTEGER}, too large to count exactly`, { file: this.file });
      }
      return { numerators, denominators };
    });
    return { rows: this.rows, groups, sums };
  }

  private growSums(g: number): void {
    const sums = this.sums[g]!;
    const bigger = new Float64Array(Math.max(2 * sums.length, (this.groupIds[g]! + 1) * this.widths[g]!));
    bigger.set(sums);
    this.sums[g] = bigger;
  }

  private notACount(row: RowView, k: number): never {
    const field = this.countFields[k]!;
    const column = this.plan.countColumns[k]!;
    throw new UserError(`expected a count (a whole number 0 or more, such as 0 or 1, or an empty cell), but found ${quote(row.text(field))}`, {
      file: this.file,
      line: row.lineOfField(field),
      column,
    });
  }
}
