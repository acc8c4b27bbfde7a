// Turns a stream of byte chunks into a header and checked rows: strips a UTF-8 byte-order mark,
// rejects an empty file and ragged rows, and names the file and line in every error.

import { UserError } from '../errors.js';
import { CsvScanner, CsvSyntaxError, type RowView } from './scanner.js';
import { WorkBuffer } from './work-buffer.js';

export interface CsvHandlers {
  /** Called once with the column names; `row` holds the header's raw bytes; `bom` tells whether a byte-order mark preceded it. */
  header(names: string[], row: RowView, bom: boolean): void;
  /** Called for every data row, each with as many fields as the header. */
  row(row: RowView): void;
  /**
   * Called for an empty line in a file of several columns, which is no row at all
   * (in a one-column file it is a row holding one empty cell). Ignored when omitted.
   */
  blank?(row: RowView): void;
}

export interface CsvReadSummary {
  /** Data rows, not counting the header or blank lines. */
  rows: number;
  /** Whether the file began with a UTF-8 byte-order mark. */
  bom: boolean;
}

/**
 * Push-based reader: feed it chunks of any size, then call `end()`. Rows are scanned in one work
 * buffer reused for the whole file, so memory stays flat; the rows of one push stay in place
 * until the next push, so a consumer may copy spans of them after `push`.
 */
export class CsvReader {
  private readonly scanner: CsvScanner;
  private readonly buffer: WorkBuffer;
  private columns = -1;
  private rows = 0;

  constructor(
    readonly file: string,
    private readonly handlers: CsvHandlers,
    /** Expected chunk size, so the work buffer is allocated once. */
    chunkSize = 1 << 16,
  ) {
    this.buffer = new WorkBuffer(chunkSize);
    this.scanner = new CsvScanner((row) => this.onRow(row));
  }

  /** Data rows read so far. */
  get rowCount(): number {
    return this.rows;
  }

  push(chunk: Uint8Array): void {
    if (this.buffer.push(chunk)) this.scan(false);
  }

  end(): CsvReadSummary {
    this.buffer.end();
    this.scan(true);
    if (this.columns < 0) throw new UserError('the file is empty: expected a header line naming the columns', { file: this.file, line: 1 });
    return { rows: this.rows, bom: this.buffer.bom };
  }

  /** Gives the work buffer back for the next file; the reader and its rows are unusable after. */
  release(): void {
    this.buffer.release();
  }

  private scan(final: boolean): void {
    const buffer = this.buffer;
    try {
      buffer.consumed = this.scanner.scan(buffer.bytes, buffer.consumed, buffer.filled, final);
    } catch (error) {
      if (error instanceof CsvSyntaxError) throw new UserError(error.message, { file: this.file, line: error.line });
      throw error;
    }
  }

  private onRow(row: RowView): void {
    if (this.columns < 0) {
      if (row.blank) throw new UserError('the header line is empty: expected the names of the columns', { file: this.file, line: row.line });
      const names: string[] = [];
      for (let f = 0; f < row.fieldCount; f++) names.push(row.text(f));
      this.columns = row.fieldCount;
      this.handlers.header(names, row, this.buffer.bom);
      return;
    }
    if (row.fieldCount !== this.columns) {
      if (row.blank && this.columns > 1) {
        this.handlers.blank?.(row);
        return;
      }
      throw new UserError(
        `expected ${this.columns} fields, as in the header, but found ${row.fieldCount} (a ragged row)`,
        { file: this.file, line: row.line },
      );
    }
    this.rows++;
    this.handlers.row(row);
  }
}
