// Turns a stream of byte chunks into a header and checked rows: strips a UTF-8 byte-order mark,
// rejects an empty file and ragged rows, and names the file and line in every error.

import { UserError } from '../errors.js';
import { CsvScanner, CsvSyntaxError, type RowView } from './scanner.js';

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

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Push-based reader: feed it chunks of any size, then call `end()`. */
export class CsvReader {
  private readonly scanner: CsvScanner;
  private pending: Buffer | null = null;
  private started = false;
  private columns = -1;
  private rows = 0;
  private bom = false;

  constructor(
    readonly file: string,
    private readonly handlers: CsvHandlers,
  ) {
    this.scanner = new CsvScanner((row) => this.onRow(row));
  }

  /** Data rows read so far. */
  get rowCount(): number {
    return this.rows;
  }

  push(chunk: Buffer): void {
    let buf = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    if (!this.started) {
      if (buf.length < BOM.length && BOM.subarray(0, buf.length).equals(buf)) {
        this.pending = buf;
        return;
      }
      this.started = true;
      if (buf.subarray(0, BOM.length).equals(BOM)) {
        this.bom = true;
        buf = buf.subarray(BOM.length);
      }
    }
    const from = this.scan(buf, false);
    this.pending = from < buf.length ? buf.subarray(from) : null;
  }

  end(): CsvReadSummary {
    let buf = this.pending ?? Buffer.alloc(0);
    this.pending = null;
    if (!this.started) {
      this.started = true;
      if (buf.subarray(0, BOM.length).equals(BOM)) {
        this.bom = true;
        buf = buf.subarray(BOM.length);
      }
    }
    this.scan(buf, true);
    if (this.columns < 0) throw new UserError('the file is empty: expected a header line naming the columns', { file: this.file, line: 1 });
    return { rows: this.rows, bom: this.bom };
  }

  private scan(buf: Buffer, final: boolean): number {
    try {
      return this.scanner.scan(buf, 0, buf.length, final);
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
      this.handlers.header(names, row, this.bom);
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
