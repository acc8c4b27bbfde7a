// Loads the file whose columns are joined (the ethnicity file) into a compact lookup: each key
// maps to one of a few distinct value tuples, held as the raw CSV bytes of their fields so they
// are written exactly as they were read.

import { UserError, listNames, quote } from '../errors.js';
import { readCsvFile } from '../csv/read-file.js';
import type { RowView } from '../csv/scanner.js';
import { canonicalInteger, canonicalIntegerOfText, DuplicateKeyError, KeyIndexBuilder, type KeyIndexData } from './key-index.js';

/** Everything a worker needs to join; cheap to send to worker threads. */
export interface JoinValues {
  /** The joined column names, decoded. */
  columns: string[];
  /** The raw header bytes of each joined column name, for appending to a cohort header. */
  headerFields: Uint8Array[];
  /** Distinct value tuples: raw field bytes per joined column. */
  tuples: Uint8Array[][];
  /** Key → tuple index. */
  index: KeyIndexData;
  /** Rows read and rows with a (non-empty) key. */
  rows: number;
  keys: number;
}

export interface LoadJoinValuesOptions {
  file: string;
  key: string;
  columns: readonly string[];
}

export async function loadJoinValues({ file, key, columns }: LoadJoinValuesOptions): Promise<JoinValues> {
  const builder = new KeyIndexBuilder();
  const tupleIds = new Map<string, number>();
  const tuples: Uint8Array[][] = [];
  const headerFields: Uint8Array[] = [];
  let keyColumn = -1;
  let valueColumns: number[] = [];

  const addRow = (row: RowView) => {
    const buf = row.buffer;
    const s = row.starts[keyColumn]!;
    const e = row.ends[keyColumn]!;
    const text = row.quoted[keyColumn] ? row.text(keyColumn) : null;
    if (text === '' || s === e) return; // an empty key never matches anything
    let tupleKey = '';
    for (let i = 0; i < valueColumns.length; i++) {
      const c = valueColumns[i]!;
      tupleKey += i === 0 ? buf.toString('latin1', row.starts[c]!, row.ends[c]!) : `,${buf.toString('latin1', row.starts[c]!, row.ends[c]!)}`;
    }
    let tuple = tupleIds.get(tupleKey);
    if (tuple === undefined) {
      tuple = tuples.length;
      tupleIds.set(tupleKey, tuple);
      tuples.push(valueColumns.map((c) => Uint8Array.from(buf.subarray(row.starts[c]!, row.ends[c]!))));
    }
    const integer = text === null ? canonicalInteger(buf, s, e) : canonicalIntegerOfText(text);
    if (integer >= 0) builder.addInteger(integer, tuple, row.line);
    else builder.addText(text ?? buf.toString('utf8', s, e), tuple, row.line);
  };

  let summary;
  try {
    summary = await readCsvFile(file, {
      header(names, row) {
        keyColumn = columnIndex(names, key, file, 'key');
        valueColumns = columns.map((c) => columnIndex(names, c, file, 'join'));
        for (const c of valueColumns) headerFields.push(Uint8Array.from(row.buffer.subarray(row.starts[c]!, row.ends[c]!)));
      },
      row: addRow,
    });
    const index = builder.build().shareable;
    return { columns: [...columns], headerFields, tuples, index, rows: summary.rows, keys: builder.size };
  } catch (error) {
    if (error instanceof DuplicateKeyError) {
      throw new UserError(`the key ${quote(error.key)} appears twice, on lines ${error.firstLine} and ${error.secondLine}; each ${quote(key)} must appear at most once`, {
        file,
      });
    }
    throw error;
  }
}

/** The index of a column that must appear exactly once in a header. */
export function columnIndex(names: readonly string[], name: string, file: string, role: 'key' | 'join'): number {
  const index = names.indexOf(name);
  if (index < 0) {
    const what = role === 'key' ? 'key column' : 'column to join';
    throw new UserError(`has no ${what} ${quote(name)}; its columns are ${listNames(names)}`, { file, line: 1 });
  }
  if (names.indexOf(name, index + 1) >= 0) {
    throw new UserError(`the column ${quote(name)} appears more than once in the header`, { file, line: 1 });
  }
  return index;
}
