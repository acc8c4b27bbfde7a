// Feeds a cohort file's bytes, chunk by chunk, to the measures' scanner: strips a byte-order mark,
// reads the header with the shared scanner, then hands whole rows to a CountScanner. Like the
// CSV reader, it keeps one work buffer per file, so memory stays flat.

import { UserError } from '../errors.js';
import { CsvScanner, CsvSyntaxError, type RowView } from '../csv/scanner.js';
import { borrowBuffer, returnBuffer } from '../csv/buffer-pool.js';
import type { CountScanner } from './count-scanner.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const LF = 0x0a;

export class CountReader {
  private work: Buffer;
  /** Bytes held in `work`, and where the first byte not yet scanned is. */
  private filled = 0;
  private consumed = 0;
  private started = false;
  private scanner: CountScanner | null = null;

  constructor(
    readonly file: string,
    /** Called with the header's column names and the line the first row starts on; returns the scanner for the rows. */
    private readonly onHeader: (names: string[], firstLine: number) => CountScanner,
    chunkSize: number,
  ) {
    this.work = borrowBuffer(chunkSize + (chunkSize >> 4));
  }

  push(chunk: Uint8Array): void {
    this.append(chunk);
    if (!this.started) {
      if (this.filled < BOM.length && BOM.subarray(0, this.filled).equals(this.work.subarray(0, this.filled))) return;
      this.start();
    }
    this.scan(false);
  }

  end(): void {
    if (!this.started) this.start();
    this.scan(true);
    if (this.scanner === null) throw new UserError('the file is empty: expected a header line naming the columns', { file: this.file, line: 1 });
  }

  /** Gives the work buffer back for the next file. */
  release(): void {
    returnBuffer(this.work);
    this.work = Buffer.alloc(0);
  }

  private start(): void {
    this.started = true;
    if (this.filled >= BOM.length && this.work.subarray(0, BOM.length).equals(BOM)) this.consumed = BOM.length;
  }

  private scan(final: boolean): void {
    if (this.scanner === null && !this.readHeader(final)) return;
    this.consumed = this.scanner!.scan(this.work, this.consumed, this.filled, final);
  }

  /** Reads the header if it is complete; false if more bytes are needed. */
  private readHeader(final: boolean): boolean {
    let header: RowView | null = null;
    const stop = new Error('header read');
    const scanner = new CsvScanner((row) => {
      header = row;
      throw stop;
    });
    try {
      scanner.scan(this.work, this.consumed, this.filled, final);
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
    for (let i = row.start; i < row.next; i++) if (this.work[i] === LF) firstLine++;
    this.consumed = row.next;
    this.scanner = this.onHeader(names, firstLine);
    return true;
  }

  /** Moves the bytes not yet scanned to the front of the work buffer, then adds the chunk after them. */
  private append(chunk: Uint8Array): void {
    const tail = this.filled - this.consumed;
    if (this.consumed > 0) {
      this.work.copyWithin(0, this.consumed, this.filled);
      this.consumed = 0;
      this.filled = tail;
    }
    if (this.filled + chunk.length > this.work.length) {
      const bigger = borrowBuffer(Math.max(this.work.length * 2, this.filled + chunk.length));
      this.work.copy(bigger, 0, 0, this.filled);
      returnBuffer(this.work);
      this.work = bigger;
    }
    this.work.set(chunk, this.filled);
    this.filled += chunk.length;
  }
}
