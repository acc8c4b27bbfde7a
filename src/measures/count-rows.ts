// The hot loop of analyse measures: the CSV reader locates only the cells the measures use; this
// reads each row's counts straight from their bytes and hands the counter the bounds of its group
// cells (the counter hashes their bytes), so a row costs no string and no allocation. A class, so
// that the reader's call to `row` reaches the same function for every file a worker counts (a
// closure per file is a new call target each time, and the JIT throws its inlined code away).

import { UserError, quote } from '../errors.js';
import type { CsvControl, CsvHandlers } from '../csv/reader.js';
import type { RowView } from '../csv/scanner.js';
import type { MeasureDefinition } from './definitions.js';
import type { FileCounter, FileCounts } from './file-counter.js';
import { NativeCounter } from './native-counter.js';
import { findColumns, type MeasurePlan } from './plan.js';

const ZERO = 0x30;

export class CountRows implements CsvHandlers {
  /** Field index of each count column (plan order), and of each group column. */
  private countFields = new Int32Array(0);
  private groupFields = new Int32Array(0);

  /** The compiled count path, when it reads this file's rows (see `native`). */
  private nativeCounter: NativeCounter | null = null;

  constructor(
    private readonly file: string,
    private readonly measures: readonly MeasureDefinition[],
    private readonly plan: MeasurePlan,
    private readonly counter: FileCounter,
    /** Whether to hand the rows to the compiled count path when it is built. */
    private readonly native: boolean,
  ) {}

  /** Finds the measures' columns (an error names what is missing) and asks the reader for those fields only. */
  header(names: string[], _row: RowView, _bom: boolean, control: CsvControl): void {
    const { countFields, groupFields } = findColumns(names, this.measures, this.plan, this.file);
    this.countFields = Int32Array.from(countFields);
    this.groupFields = Int32Array.from(groupFields);
    control.readOnly([...new Set([...countFields, ...groupFields])]);
    this.nativeCounter = this.native ? NativeCounter.create(this.plan, this.file, names.length, countFields, groupFields) : null;
    if (this.nativeCounter !== null) control.readBlocks(this.nativeCounter);
  }

  /** Rows counted so far. */
  get rowCount(): number {
    return this.nativeCounter?.rowCount ?? this.counter.rowCount;
  }

  /** The sums of every row counted. */
  result(): FileCounts {
    return this.nativeCounter?.result() ?? this.counter.result();
  }

  /** Adds the row to the counter; a cell that is not a count is an error naming it. */
  row(row: RowView): void {
    const countFields = this.countFields;
    const groupFields = this.groupFields;
    const counter = this.counter;
    const counts = counter.counts;
    const buf = row.buffer;
    const starts = row.starts;
    const ends = row.ends;
    const quoted = row.quoted;
    // The counts as bits when every one is 0 or 1 (-1 when one is larger): the counter tallies such rows by pattern.
    let pattern = 0;
    for (let k = 0; k < countFields.length; k++) {
      const field = countFields[k]!;
      let start = starts[field]!;
      let end = ends[field]!;
      if (quoted[field] === 1) {
        start++;
        end--;
      }
      // Most count cells are one digit (a 0/1 flag).
      const digit = buf[start]! - ZERO;
      const value = end - start === 1 && digit >>> 0 <= 9 ? digit : parseCount(buf, start, end);
      if (value < 0) this.notACount(row, field, k);
      counts[k] = value;
      pattern = value > 1 ? -1 : pattern | (value << k);
    }
    const groupStarts = counter.groupStarts;
    const groupEnds = counter.groupEnds;
    const groupQuoted = counter.groupQuoted;
    for (let j = 0; j < groupFields.length; j++) {
      const field = groupFields[j]!;
      groupStarts[j] = starts[field]!;
      groupEnds[j] = ends[field]!;
      groupQuoted[j] = quoted[field]!;
    }
    try {
      counter.add(buf, pattern);
    } catch (error) {
      // A group value is checked to be UTF-8 once, when first seen: find which cell it was.
      for (let j = 0; j < groupFields.length; j++) row.checkText(groupFields[j]!);
      throw error;
    }
  }

  private notACount(row: RowView, field: number, k: number): never {
    const text = row.text(field);
    throw new UserError(`expected a count (a whole number 0 or more, such as 0 or 1, or an empty cell), but found ${quote(text)}`, {
      file: this.file,
      line: row.lineOfField(field),
      column: this.plan.countColumns[k]!,
    });
  }
}

/** The non-negative integer in `buf[start, end)` (0 when empty), or -1 if it is not one or too large to add exactly. */
function parseCount(buf: Uint8Array, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = buf[i]! - ZERO;
    if (digit >>> 0 > 9) return -1;
    value = value * 10 + digit;
  }
  return value > Number.MAX_SAFE_INTEGER ? -1 : value;
}
