// Reads just a file's header, so every input can be checked before any output is written; and
// finds the columns a step needs in it, with the one message for a missing or repeated column.

import { UserError } from '../errors.js';
import { duplicateColumn, missingColumn } from './messages.js';
import { readCsvFile } from './read-file.js';

/** Headers are short; reading a little at a time keeps checking many files cheap. */
const HEADER_CHUNK = 1 << 14;

/** The column names of a CSV file (plain or gzip); reads no more than the first chunk or so. */
export async function readHeader(path: string): Promise<string[]> {
  let names: string[] = [];
  await readCsvFile(
    path,
    {
      header(found, _row, _bom, control) {
        names = found;
        control.stop();
      },
      row() {},
    },
    { chunkSize: HEADER_CHUNK },
  );
  return names;
}

/**
 * The index of `name` in a header, which must hold it exactly once; `what` says what the step
 * wants it for ("key column", "column to join").
 */
export function columnIndex(names: readonly string[], name: string, file: string, what: string): number {
  const index = names.indexOf(name);
  if (index < 0) throw new UserError(missingColumn(what, name, names), { file, line: 1 });
  checkOnce(names, name, file);
  return index;
}

/** A column the step uses must not appear twice: it would be unclear which to use. */
export function checkOnce(names: readonly string[], name: string, file: string): void {
  if (names.indexOf(name) !== names.lastIndexOf(name)) throw new UserError(duplicateColumn(name), { file, line: 1 });
}

/** Every name in the header is distinct (for a step that uses every column). */
export function checkDistinct(names: readonly string[], file: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new UserError(duplicateColumn(name), { file, line: 1 });
    seen.add(name);
  }
}
