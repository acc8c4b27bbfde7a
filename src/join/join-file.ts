// Joins the lookup's columns onto one cohort file, streaming: every byte of the input is copied
// through unchanged except the joined cells, which are appended to each row, or rewritten in
// their place when the file already has those columns (so a second run changes nothing).

import { resolve } from 'node:path';
import { AtomicFile } from '../io/atomic-file.js';
import { identityOf } from '../io/file-identity.js';
import { ByteBuffer } from '../csv/byte-buffer.js';
import { readCsvFile } from '../csv/read-file.js';
import { CHUNK_SIZE } from '../csv/source.js';
import type { RowView } from '../csv/scanner.js';
import { readWithFallback } from '../csv/compiled.js';
import { NativeJoiner } from './native-joiner.js';
import type { TaskHandler } from '../parallel/protocol.js';
import { KeyIndex } from './key-index.js';
import { checkOnce, columnIndex } from '../csv/header.js';
import type { JoinValues } from './join-values.js';

export interface JoinTask {
  input: string;
  output: string;
  key: string;
}

export interface JoinFileResult {
  input: string;
  output: string;
  rows: number;
  matched: number;
}

const COMMA = 0x2c;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function joinFile(values: JoinValues): TaskHandler<JoinTask, JoinFileResult> {
  const index = KeyIndex.fromData(values.index);
  const tuples = values.tuples.map((fields) => fields.map((f) => Buffer.from(f.buffer, f.byteOffset, f.length)));
  const headerFields = values.headerFields.map((f) => Buffer.from(f.buffer, f.byteOffset, f.length));
  const none = values.columns.map(() => Buffer.alloc(0));

  // The compiled join path, or the JavaScript one where it meets a row it leaves to it.
  return (task, progress) => readWithFallback(progress, (native, rowsSoFar) => joinWith(task, rowsSoFar, native));

  async function joinWith(task: JoinTask, report: (rowsSoFar: number) => void, native: boolean): Promise<JoinFileResult> {
    // Two output buffers: one is written to disk while the next chunk fills the other.
    let out = new ByteBuffer(CHUNK_SIZE + (CHUNK_SIZE >> 2));
    let spare = new ByteBuffer(CHUNK_SIZE + (CHUNK_SIZE >> 2));
    let writing: Promise<void> = Promise.resolve();
    let keyColumn = -1;
    // Joined columns the file already has: [field index, joined column], in field order.
    let inPlace: Array<[number, number]> = [];
    let appended: number[] = [];
    // Per tuple (and one more for "no match"), the bytes appended after a row's last field.
    let suffixes: Buffer[] = [];
    // Rows are copied as spans of the reader's current buffer: from `copiedTo` up to the next
    // cell to write; `sourceEnd` is the end of the last row or blank line seen in it.
    let source: Uint8Array | null = null;
    let copiedTo = 0;
    let sourceEnd = 0;
    let rows = 0;
    let matched = 0;
    let joiner: NativeJoiner | null = null;

    const useSource = (row: RowView): Uint8Array => {
      if (row.buffer !== source) {
        flushSource();
        source = row.buffer;
        copiedTo = row.start;
      }
      return row.buffer;
    };
    const writeRow = (row: RowView, fields: Buffer[], suffix: Buffer) => {
      const source = useSource(row);
      for (const [field, column] of inPlace) {
        out.copy(source, copiedTo, row.starts[field]!);
        out.append(fields[column]!);
        copiedTo = row.ends[field]!;
      }
      out.copy(source, copiedTo, row.end);
      out.append(suffix);
      copiedTo = row.end;
      sourceEnd = row.next;
    };
    // Copies what follows the last row written from the current buffer (its line ending, blank lines).
    const flushSource = () => {
      if (source !== null) out.copy(source, copiedTo, sourceEnd);
      source = null;
    };

    // Rewritten in place, the file must still be what was read when the joined copy replaces it.
    const unchangedSince = resolve(task.output) === resolve(task.input) ? await identityOf(task.input) : undefined;
    const file = await AtomicFile.open(task.output, { unchangedSince });
    try {
      const summary = await readCsvFile(
        task.input,
        {
          header(names, row, bom, control) {
            keyColumn = columnIndex(names, task.key, task.input, 'key column');
            inPlace = [];
            appended = [];
            values.columns.forEach((name, column) => {
              const at = names.indexOf(name);
              if (at >= 0) {
                checkOnce(names, name, task.input);
                inPlace.push([at, column]);
              } else appended.push(column);
            });
            inPlace.sort((a, b) => a[0] - b[0]);
            suffixes = [...tuples, none].map((fields) => suffixOf(fields, appended));
            if (bom) out.append(BOM);
            writeRow(row, headerFields, suffixOf(headerFields, appended));
            // Rows are copied whole: only the key and the cells rewritten in place are located.
            control.readOnly([keyColumn, ...inPlace.map(([field]) => field)]);
            joiner = native && inPlace.length === 0 ? NativeJoiner.create(names.length, keyColumn, index.shareable, suffixes, () => out) : null;
            if (joiner !== null) {
              // The header's line end first: the compiled path copies from the next row on.
              flushSource();
              control.readBlocks(joiner);
            }
          },
          row(row) {
            rows++;
            const tuple = index.getRow(row, keyColumn);
            if (tuple >= 0) {
              matched++;
              writeRow(row, tuples[tuple]!, suffixes[tuple]!);
            } else writeRow(row, none, suffixes[tuples.length]!);
          },
          blank(row) {
            useSource(row);
            sourceEnd = row.next;
          },
        },
        {
          async afterChunk(rowsSoFar) {
            flushSource();
            await writing;
            const full = out;
            writing = file.write(full.bytes());
            out = spare;
            out.clear();
            spare = full;
            report(rowsSoFar);
          },
        },
      );
      if (joiner !== null) {
        rows = summary.rows;
        matched = (joiner as NativeJoiner).matched;
      }
      await writing;
      await file.commit();
    } catch (error) {
      await writing.catch(() => {});
      await file.abort();
      throw error;
    } finally {
      out.release();
      spare.release();
    }
    return { input: task.input, output: task.output, rows, matched };
  }
}

function suffixOf(fields: readonly Buffer[], appended: readonly number[]): Buffer {
  const parts: Buffer[] = [];
  for (const column of appended) parts.push(Buffer.of(COMMA), fields[column]!);
  return Buffer.concat(parts);
}
