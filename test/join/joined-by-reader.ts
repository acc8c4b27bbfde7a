// What the compiled join must write, as the JavaScript reader reads the file: the input from the
// first data row on, with each row's suffix inserted at its end (before its line end), the bytes
// between rows (blank lines, line ends) as they are. Shared by the join's property tests.

import { CsvReader } from '../../src/csv/reader.js';
import { readKey } from '../../src/join/key-index.js';

/**
 * `tupleOf` gives the suffix index of a row's integer key, or -1 for none (the last suffix is
 * then used); `textKeys.seen` is set when a key is not a canonical integer.
 */
export function joinedByReader(csv: Buffer, suffixes: readonly Buffer[], tupleOf: (key: number) => number, keyColumn = 0, textKeys?: { seen: boolean }): Buffer {
  const parts: Buffer[] = [];
  let copied = -1;
  const reader = new CsvReader('c.csv', {
    header(_names, row) {
      copied = row.next;
    },
    row(row) {
      const key = readKey(row, keyColumn);
      if (typeof key === 'string' && textKeys !== undefined) textKeys.seen = true;
      const tuple = typeof key === 'number' ? tupleOf(key) : -1;
      parts.push(csv.subarray(copied, row.end), suffixes[tuple >= 0 ? tuple : suffixes.length - 1]!);
      copied = row.end;
    },
  });
  try {
    reader.push(csv);
    reader.end();
  } finally {
    reader.release();
  }
  parts.push(csv.subarray(copied));
  return Buffer.concat(parts);
}
