// The hot loop of analyse measures: the CSV reader locates only the cells the measures use; this
// reads each row's counts straight from their bytes and hands the counter the bounds of its group
// cells (the counter hashes their bytes), so a row costs no string and no allocation.

import { UserError, quote } from '../errors.js';
import type { RowView } from '../csv/scanner.js';
import type { FileCounter } from './file-counter.js';

const ZERO = 0x30;

export interface CountColumns {
  /** Field index of each count column (plan order) and its name. */
  countFields: readonly number[];
  countNames: readonly string[];
  /** Field index of each group column (plan order). */
  groupFields: readonly number[];
}

/** The fields the reader must locate for these columns. */
export function fieldsRead({ countFields, groupFields }: CountColumns): number[] {
  return [...new Set([...countFields, ...groupFields])];
}

/** A row handler that adds every row to `counter`; a cell that is not a count is an error naming it. */
export function countRows(layout: CountColumns, counter: FileCounter, file: string): (row: RowView) => void {
  const countFields = Int32Array.from(layout.countFields);
  const groupFields = Int32Array.from(layout.groupFields);
  const counts = counter.counts;
  const groupStarts = counter.groupStarts;
  const groupEnds = counter.groupEnds;
  const groupQuoted = counter.groupQuoted;
  return (row) => {
    const buf = row.buffer;
    const starts = row.starts;
    const ends = row.ends;
    const quoted = row.quoted;
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
      if (value < 0) notACount(row, field, layout.countNames[k]!, file);
      counts[k] = value;
    }
    for (let j = 0; j < groupFields.length; j++) {
      const field = groupFields[j]!;
      groupStarts[j] = starts[field]!;
      groupEnds[j] = ends[field]!;
      groupQuoted[j] = quoted[field]!;
    }
    try {
      counter.add(buf);
    } catch (error) {
      // A group value is checked to be UTF-8 once, when first seen: find which cell it was.
      for (let j = 0; j < groupFields.length; j++) row.checkText(groupFields[j]!);
      throw error;
    }
  };
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

function notACount(row: RowView, field: number, column: string, file: string): never {
  const text = row.text(field);
  throw new UserError(`expected a count (a whole number 0 or more, such as 0 or 1, or an empty cell), but found ${quote(text)}`, {
    file,
    line: row.lineOfField(field),
    column,
  });
}
