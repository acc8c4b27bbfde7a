// Reads a whole CSV file (plain or gzip) through the checked reader, streaming.

import { CsvReader, type CsvHandlers, type CsvReadSummary } from './reader.js';
import { CHUNK_SIZE, readChunks } from './source.js';

export interface ReadCsvFileOptions {
  /** Called after each chunk with the data rows read so far; a step that writes as it reads flushes here. */
  afterChunk?(rowsSoFar: number): Promise<void> | void;
}

export async function readCsvFile(path: string, handlers: CsvHandlers, options: ReadCsvFileOptions = {}): Promise<CsvReadSummary> {
  const reader = new CsvReader(path, handlers, CHUNK_SIZE);
  try {
    for await (const chunk of readChunks(path)) {
      reader.push(chunk);
      if (options.afterChunk) await options.afterChunk(reader.rowCount);
    }
    const summary = reader.end();
    if (options.afterChunk) await options.afterChunk(reader.rowCount);
    return summary;
  } finally {
    reader.release();
  }
}
