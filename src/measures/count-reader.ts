// Feeds a cohort file's bytes, chunk by chunk, to the measures' scanner: strips a byte-order mark,
// reads the header with the shared scanner, then hands whole rows to a CountScanner. Like the
// CSV reader, it keeps one work buffer per file, so memory stays flat.

import { UserError } from '../errors.js';
import { CsvScanner, CsvSyntaxError, type RowView } from '../csv/scanner.js';
import { WorkBuffer } from '../csv/work-buffer.js';
import type { CountScanner } from './count-scanner.js';

const LF = 0x0a;

export class CountReader {
  private readonly buffer: WorkBuffer;
  private scanner: CountScanner | null = null;

  constructor(
    readonly file: string,
    /** Called with the header's column names and the line the first row starts on; returns the scanner for the rows. */
    private readonly onHeader: (names: string[], firstLine: number) => CountScanner,
    chunkSize: number,
  ) {
    this.buffer = new WorkBuffer(chunkSize);
  }

  push(chunk: Uint8Array): void {
    if (this.buffer.push(chunk)) this.scan(false);
  }

  end(): void {
    this.buffer.end();
    this.scan(true);
    if (this.scanner === null) throw new UserError('the file is empty: expected a header line naming the columns', { file: this.file, line: 1 });
  }

  /** Gives the work buffer back for the next file. */
  release(): void {
    this.buffer.release();
  }

  private scan(final: boolean): void {
    if (this.scanner === null && !this.readHeader(final)) return;
    const buffer = this.buffer;
    buffer.consumed = this.scanner!.scan(buffer.bytes, buffer.consumed, buffer.filled, final);
  }

  /** Reads the header if it is complete; false if more bytes are needed. */
  private readHeader(final: boolean): boolean {
    const buffer = this.buffer;
    let header: RowView | null = null;
    const stop = new Error('header read');
    const scanner = new CsvScanner((row) => {
      header = row;
      throw stop;
    });
    try {
      scanner.scan(buffer.bytes, buffer.consumed, buffer.filled, final);
    } catch (error) {
      if (error instanceof CsvSyntaxError) throw new UserError(error.message, { file: this.file, line: error.line });
      if (error !== stop) throw error;
    }
    const row = header as RowView | null;
    if (row === null) return false;
    if (row.blank) throw new UserError('the header line is empty: expected the names of the columns', { file: this.file, line: 1 });
    const names: string[] = [];
    for (let f = 0; f < row.fieldCount; f++) names.push(row.text(f));
    let firstLine = 1;
    for (let i = row.start; i < row.next; i++) if (buffer.bytes[i] === LF) firstLine++;
    buffer.consumed = row.next;
    this.scanner = this.onHeader(names, firstLine);
    return true;
  }
}
