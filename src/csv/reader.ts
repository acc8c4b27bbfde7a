// Turns a stream of byte chunks into a header and checked rows: strips a UTF-8 byte-order mark,
// rejects an empty file and ragged rows, and names the file and line in every error. The one
// place where a CSV file's header, byte-order mark and emptiness are handled.

import { UserError } from '../errors.js';
import { CsvScanner, CsvSyntaxError, CsvTextError, STOP, type RowConsumer, type RowReply, type RowView } from './scanner.js';
import { EMPTY_FILE, EMPTY_HEADER, invalidUtf8, raggedRow, rowTooLong } from './messages.js';
import { WorkBuffer } from './work-buffer.js';

/** What a handler may tell the reader while it reads. */
export interface CsvControl {
  /** Stops the reading after this row: the rest of the file is not read. */
  stop(): void;
  /**
   * From the next row on, locates only these fields of each row (given in the header handler).
   * The others are still counted, so ragged rows are still found, but their text and bounds are
   * not available. Passing over unused cells this way is what makes a few columns cheap to read.
   */
  readOnly(fields: readonly number[]): void;
  /**
   * From the next row on, hands whole blocks of rows to `block` instead of calling `row` for each
   * (in the header handler, after readOnly). The reader keeps the header, the byte-order mark,
   * the end of the input, line numbers and byte ranges; the block reader reads the rows.
   */
  readBlocks(block: BlockReader): void;
}

/** Reads many rows at a time (the measures' native count path): rows of the header's width, blank lines skipped. */
export interface BlockReader {
  /**
   * Reads the complete rows of `buf[from, to)` (with `final`, the input ends at `to`), stopping
   * before a row that starts at or after `limit`. Fills `out`: [status, next, rows, lines], where
   * status is BLOCK_DONE (every complete row read; `next` is the start of the incomplete one),
   * BLOCK_STOPPED (at the limit) or BLOCK_GAVE_UP (at a row that needs a closer look).
   */
  read(buf: Buffer, from: number, to: number, final: boolean, limit: number, out: Float64Array): void;
}

/**
 * The longest row a reader holds while waiting for its end. A cohort row is a few hundred bytes;
 * one that runs on for this long is a quote never closed, and holding it (up to the whole file)
 * would let memory grow with the file.
 */
export const MAX_ROW_BYTES = 64 << 20;

export const BLOCK_DONE = 0;
export const BLOCK_STOPPED = 1;
export const BLOCK_GAVE_UP = 2;

/**
 * A block reader met a row it leaves to the scanner (an error to report, or a row it does not
 * handle); the caller reads the input again without one. Not a user's error.
 */
export class BlockGaveUp extends Error {
  constructor(readonly line: number) {
    super(`the block reader gave up on the row at line ${line}`);
    this.name = 'BlockGaveUp';
  }
}

export interface CsvHandlers {
  /** Called once with the column names; `row` holds the header's raw bytes; `bom` tells whether a byte-order mark preceded it. */
  header(names: string[], row: RowView, bom: boolean, control: CsvControl): void;
  /** Called for every data row, each with as many fields as the header. */
  row(row: RowView, control: CsvControl): void;
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
  /** Whether a handler stopped the reading before the end of the file. */
  stopped: boolean;
}

/**
 * Push-based reader: feed it chunks of any size, then call `end()`. Rows are scanned in one work
 * buffer reused for the whole file, so memory stays flat; the rows of one push stay in place
 * until the next push, so a consumer may copy spans of them after `push`.
 */
export class CsvReader implements CsvControl, RowConsumer {
  private readonly scanner: CsvScanner;
  private readonly buffer: WorkBuffer;
  private names: string[] | null = null;
  private columns = -1;
  private rows = 0;
  private stopping = false;
  /** Reading a byte range: rows starting at or after this offset are not read. */
  private limit = Infinity;
  private stoppedAt = -1;
  private block: BlockReader | null = null;
  private readonly blockOut = new Float64Array(4);

  constructor(
    readonly file: string,
    private readonly handlers: CsvHandlers,
    /** Expected chunk size, so the work buffer is allocated once. */
    chunkSize = 1 << 16,
  ) {
    this.buffer = new WorkBuffer(chunkSize);
    this.scanner = new CsvScanner(this);
  }

  /** Data rows read so far. */
  get rowCount(): number {
    return this.rows;
  }

  /** True once a handler called stop() (or a row past stopBefore's offset came): further input is ignored. */
  get stopped(): boolean {
    return this.scanner.stopped;
  }

  stop(): void {
    this.stopping = true;
  }

  readOnly(fields: readonly number[]): void {
    if (this.columns < 0) throw new Error('readOnly is for the header handler: the columns are not known yet');
    this.scanner.readOnly(this.columns, fields);
  }

  readBlocks(block: BlockReader): void {
    if (this.columns < 0) throw new Error('readBlocks is for the header handler: the columns are not known yet');
    this.block = block;
    this.scanner.handOff();
  }

  /** True once the header has been read. */
  get headerRead(): boolean {
    return this.columns >= 0;
  }

  /**
   * For reading a byte range of a file, after the header: drops what is buffered; the chunks
   * pushed next are the file from `offset` on, which must be the start of a row. Rows' line
   * numbers are then not those of the file (a caller reads the file whole to report an error).
   */
  skipTo(offset: number): void {
    if (this.columns < 0) throw new Error('skipTo is for after the header');
    this.buffer.skipTo(offset);
    this.stopping = false;
    this.scanner.restart();
    this.stoppedAt = -1;
  }

  /** Stops before the first row that starts at or after `offset` in the file (0: read the header only). */
  stopBefore(offset: number): void {
    this.limit = offset;
  }

  /** Where the row the reader stopped before (see stopBefore) starts, or -1 if it read to the end. */
  get stoppedBefore(): number {
    return this.stoppedAt;
  }

  /** Adds a chunk and reads the rows it completes; returns false once a handler has stopped the reading. */
  push(chunk: Uint8Array): boolean {
    if (this.scanner.stopped) return false;
    if (this.buffer.push(chunk)) this.scan(false);
    return !this.scanner.stopped;
  }

  end(): CsvReadSummary {
    if (!this.scanner.stopped) {
      this.buffer.end();
      this.scan(true);
      if (this.columns < 0) throw new UserError(EMPTY_FILE, { file: this.file, line: 1 });
    }
    return { rows: this.rows, bom: this.buffer.bom, stopped: this.scanner.stopped };
  }

  /** Gives the work buffer back for the next file; the reader and its rows are unusable after. */
  release(): void {
    this.buffer.release();
  }

  private scan(final: boolean): void {
    const buffer = this.buffer;
    try {
      if (this.block === null) buffer.consumed = this.scanner.scan(buffer.bytes, buffer.consumed, buffer.filled, final);
      if (this.block !== null && !this.scanner.stopped) this.scanBlocks(this.block, final);
    } catch (error) {
      throw this.located(error);
    }
    if (!final && !this.scanner.stopped && buffer.filled - buffer.consumed > MAX_ROW_BYTES) {
      throw new UserError(rowTooLong(MAX_ROW_BYTES), { file: this.file, line: this.scanner.nextLine });
    }
  }

  /** Hands the rows buffered to the block reader. */
  private scanBlocks(block: BlockReader, final: boolean): void {
    const buffer = this.buffer;
    const out = this.blockOut;
    block.read(buffer.bytes, buffer.consumed, buffer.filled, final, this.limit - buffer.base, out);
    const [status, next, rows, lines] = out as unknown as [number, number, number, number];
    this.rows += rows;
    this.scanner.advance(lines);
    buffer.consumed = next;
    if (status === BLOCK_GAVE_UP) throw new BlockGaveUp(this.scanner.nextLine);
    if (status === BLOCK_STOPPED) {
      this.stoppedAt = buffer.base + next;
      this.scanner.stopped = true;
    } else if (final && next < buffer.filled) throw new BlockGaveUp(this.scanner.nextLine);
  }

  /** A scanner's error (or a handler's, about a cell's text) as a UserError naming the file. */
  private located(error: unknown): unknown {
    if (error instanceof CsvSyntaxError) return new UserError(error.message, { file: this.file, line: error.line });
    if (error instanceof CsvTextError) {
      const column = this.names === null ? null : (this.names[error.field] ?? `field ${error.field + 1}`);
      return new UserError(invalidUtf8(column, error.field, error.bytes), { file: this.file, line: error.line });
    }
    return error;
  }

  /** The scanner's call for each row (the first is the header). */
  onScannedRow(row: RowView): RowReply {
    return this.columns < 0 ? this.onHeader(row) : this.onRow(row);
  }

  private onHeader(row: RowView): RowReply {
    if (row.blank) throw new UserError(EMPTY_HEADER, { file: this.file, line: row.line });
    const names: string[] = [];
    for (let f = 0; f < row.fieldCount; f++) names.push(row.text(f));
    this.names = names;
    this.columns = row.fieldCount;
    this.handlers.header(names, row, this.buffer.bom, this);
    return this.stopping ? STOP : undefined;
  }

  private onRow(row: RowView): RowReply {
    if (this.buffer.base + row.start >= this.limit) {
      this.stoppedAt = this.buffer.base + row.start;
      return STOP;
    }
    if (row.fieldCount !== this.columns) {
      if (row.blank && this.columns > 1) {
        this.handlers.blank?.(row);
        return;
      }
      throw new UserError(raggedRow(this.columns, row.fieldCount), { file: this.file, line: row.line });
    }
    this.rows++;
    this.handlers.row(row, this);
    return this.stopping ? STOP : undefined;
  }
}
