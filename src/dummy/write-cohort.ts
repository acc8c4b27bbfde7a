// Streams rows into a cohort file through one reused byte buffer, so memory stays flat however many
// rows there are and no per-batch strings pile up for the garbage collector. The file is staged
// (written and synced under a temporary name); the caller commits or aborts it.

import { AtomicFile } from '../io/atomic-file.js';
import { formatCsvRows } from '../csv/format.js';

const BUFFER_BYTES = 1 << 20;

export interface StagedFile {
  file: AtomicFile;
  rows: number;
}

/**
 * Writes the header and the rows (CSV lines without line ends, already quoted) to a temporary file
 * next to `target`; `onBatch` gets the rows written so far after each buffer written.
 */
export async function stageCohortFile(target: string, header: readonly string[], lines: Iterable<string>, onBatch?: (rows: number) => void): Promise<StagedFile> {
  const file = await AtomicFile.open(target);
  try {
    await file.write(formatCsvRows([header]));
    let buffer = Buffer.allocUnsafe(BUFFER_BYTES);
    let used = 0;
    let count = 0;
    for (const line of lines) {
      // A UTF-16 code unit takes at most 3 bytes in UTF-8; the newline one more.
      if (used + 3 * line.length + 1 > buffer.length) {
        // The disk may still be reading the old buffer, so writing continues in a fresh one.
        await file.write(buffer.subarray(0, used));
        onBatch?.(count);
        buffer = Buffer.allocUnsafe(Math.max(BUFFER_BYTES, 3 * line.length + 1));
        used = 0;
      }
      used += buffer.write(line, used, 'utf8');
      buffer[used++] = 0x0a;
      count++;
    }
    if (used > 0) await file.write(buffer.subarray(0, used));
    onBatch?.(count);
    await file.finish();
    return { file, rows: count };
  } catch (error) {
    await file.abort();
    throw error;
  }
}
