// Reads a whole CSV file (plain or gzip) through the checked reader, streaming; stops reading
// the file as soon as a handler returns STOP.

import { CsvReader, type CsvHandlers, type CsvReadSummary } from './reader.js';
import { CHUNK_SIZE, readChunks } from './source.js';

export interface ReadCsvFileOptions {
  /** Called after each chunk with the data rows read so far; a step that writes as it reads flushes here. */
  afterChunk?(rowsSoFar: number): Promise<void> | void;
  /** Bytes per read (default CHUNK_SIZE). */
  chunkSize?: number;
}

export async function readCsvFile(path: string, handlers: CsvHandlers, options: ReadCsvFileOptions = {}): Promise<CsvReadSummary> {
  const chunkSize = options.chunkSize ?? CHUNK_SIZE;
  const reader = new CsvReader(path, handlers, chunkSize);
  try {
    for await (const chunk of readChunks(path, chunkSize)) {
      const more = reader.push(chunk);
      if (options.afterChunk) await options.afterChunk(reader.rowCount);
      if (!more) break;
    }
    const summary = reader.end();
    if (options.afterChunk && !summary.stopped) await options.afterChunk(reader.rowCount);
    return summary;
  } finally {
    reader.release();
  }
}
