// Reads just a file's header, so every input can be checked before any output is written.

import { CsvReader } from './reader.js';
import { readChunks } from './source.js';

/** Headers are short; reading a little at a time keeps checking many files cheap. */
const HEADER_CHUNK = 1 << 14;

/** The column names of a CSV file (plain or gzip); reads no more than the first chunk or so. */
export async function readHeader(path: string): Promise<string[]> {
  let names: string[] | null = null;
  const reader = new CsvReader(path, {
    header(found) {
      names = found;
    },
    row() {},
  });
  for await (const chunk of readChunks(path, HEADER_CHUNK)) {
    reader.push(chunk);
    if (names !== null) return names;
  }
  reader.end();
  return names!;
}
