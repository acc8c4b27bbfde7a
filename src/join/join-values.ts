// Loads the file whose columns are joined (the ethnicity file) into a compact lookup: each key
// maps to one of a few distinct value tuples, held as the raw CSV bytes of their fields so they
// are written exactly as they were read. Two passes: the first sizes the index exactly, the
// second fills it, so memory is a few bytes per patient even for millions of patients.

import { UserError, quote } from '../errors.js';
import { columnIndex } from '../csv/header.js';
import { readCsvFile } from '../csv/read-file.js';
import type { CsvControl } from '../csv/reader.js';
import type { RowView } from '../csv/scanner.js';
import { KeyIndexWriter, keyText, readKey, type KeyIndexData, type KeyStats } from './key-index.js';

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
  const tupleIds = new Map<string, number>();
  const tuples: Uint8Array[][] = [];
  const headerFields: Uint8Array[] = [];
  let keyColumn = -1;
  let valueColumns: number[] = [];

  const header = (names: string[], row: RowView, _bom: boolean, control: CsvControl) => {
    keyColumn = columnIndex(names, key, file, 'key column');
    valueColumns = columns.map((c) => columnIndex(names, c, file, 'column to join'));
    headerFields.length = 0;
    for (const c of valueColumns) headerFields.push(Uint8Array.from(row.buffer.subarray(row.starts[c]!, row.ends[c]!)));
    control.readOnly([keyColumn, ...valueColumns]);
  };
  const tupleOf = (row: RowView): number => {
    const buf = row.buffer;
    let text = '';
    for (let i = 0; i < valueColumns.length; i++) {
      const c = valueColumns[i]!;
      const field = buf.toString('latin1', row.starts[c]!, row.ends[c]!);
      text = i === 0 ? field : `${text},${field}`;
    }
    let tuple = tupleIds.get(text);
    if (tuple === undefined) {
      tuple = tuples.length;
      tupleIds.set(text, tuple);
      tuples.push(valueColumns.map((c) => Uint8Array.from(buf.subarray(row.starts[c]!, row.ends[c]!))));
    }
    return tuple;
  };

  // First pass: how many keys, over what range, and the distinct value tuples.
  const stats: KeyStats = { integerKeys: 0, minInteger: Infinity, maxInteger: -1, valueCount: 0 };
  let textKeys = 0;
  const { rows } = await readCsvFile(file, {
    header,
    row(row) {
      const k = readKey(row, keyColumn);
      if (k === null) return;
      tupleOf(row);
      if (typeof k === 'string') textKeys++;
      else {
        stats.integerKeys++;
        if (k < stats.minInteger) stats.minInteger = k;
        if (k > stats.maxInteger) stats.maxInteger = k;
      }
    },
  });
  stats.valueCount = tuples.length;

  // Second pass: fill the index, stopping at the first key seen twice.
  const writer = new KeyIndexWriter(stats);
  let duplicate = null as { key: number | string; line: number } | null;
  await readCsvFile(file, {
    header,
    row(row, control) {
      const k = readKey(row, keyColumn);
      if (k === null) return;
      const added = typeof k === 'number' ? writer.addInteger(k, tupleOf(row)) : writer.addText(k, tupleOf(row));
      if (added) return;
      duplicate = { key: k, line: row.line };
      control.stop();
    },
  });
  if (duplicate !== null) {
    const { key: k, line } = duplicate;
    const firstLine = await findFirstLine(file, keyColumn, k);
    throw new UserError(`the key ${quote(keyText(k))} appears twice, on lines ${firstLine} and ${line}; each ${quote(key)} must appear at most once`, { file });
  }
  return { columns: [...columns], headerFields, tuples, index: writer.build().shareable, rows, keys: stats.integerKeys + textKeys };
}

/** The line of the first row holding `key` (only needed to explain a duplicate). */
async function findFirstLine(file: string, keyColumn: number, key: number | string): Promise<number> {
  let line = -1;
  await readCsvFile(file, {
    header: (_names, _row, _bom, control) => control.readOnly([keyColumn]),
    row(row, control) {
      if (readKey(row, keyColumn) !== key) return;
      line = row.line;
      control.stop();
    },
  });
  if (line < 0) throw new Error(`duplicate key ${String(key)} not found again in ${file}`);
  return line;
}
