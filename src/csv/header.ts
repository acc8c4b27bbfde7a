// Reads just a file's header, so every input can be checked before any output is written.

import { CsvReader } from './reader.js';
import { readChunks } from './source.js';

/** The column names of a CSV file (plain or gzip); reads no more than the first chunk or so. */
export async function readHeader(path: string): Promise<string[]> {
  let names: string[] | null = null;
  const reader = new CsvReader(path, {
    header(found) {
      names = found;
    },
    row() {},
  });
  for await (const chunk of readChunks(path)) {
    reader.push(chunk);
    if (names !== null) return names;
  }
  reader.end();
  return names!;
}
