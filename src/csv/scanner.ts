// The one byte-level RFC 4180 scanner. It finds row and field boundaries without building a
// string per field, so a step can copy rows verbatim (join) or read just the cells it needs
// (measures). Given the fields a step reads, the others are passed over in a tight loop that only
// counts commas and watches for quotes, so unused cells cost a compare per byte and nothing else.
// Rows that need a closer look (a blank line, a ragged row, a malformed quote, the end of the
// input) are read by the general loop, which locates every field and reports errors.

import { isUtf8 } from 'node:buffer';
import { textAfterQuote, unclosedQuote } from './messages.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
/** A field index no row reaches. */
const NONE = 0x7fffffff;

/** Returned by a row consumer to stop the scan after this row. */
export const STOP = 'stop';
/** What a row consumer returns: nothing to go on, or STOP. */
export type RowReply = void | typeof STOP;

/** A malformed CSV structure; the reader adds the file name and turns it into a UserError. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/** A cell whose bytes are not UTF-8, found when it was read as text; the reader names its column. */
export class CsvTextError extends Error {
  constructor(
    readonly line: number,
    readonly field: number,
    readonly bytes: Uint8Array,
  ) {
    super('invalid UTF-8');
    this.name = 'CsvTextError';
  }
}

/**
 * One row, as offsets into `buffer`. The scanner reuses this object for every row, so a
 * consumer must copy what it wants to keep before returning. When the scanner reads only some
 * fields, the bounds of the others are not set.
 */
export class RowView {
  buffer: Buffer = Buffer.alloc(0);
  /** First byte of the row. */
  start = 0;
  /** End of the row's content, before its CR LF or LF. */
  end = 0;
  /** First byte after the row's line ending (equal to `end` for a last row without one). */
  next = 0;
  /** Physical line the row starts on, the first line of the file being 1. */
  line = 1;
  fieldCount = 0;
  /** Raw field bounds: a quoted field includes its quotes. */
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  /** 1 where the field was quoted, so its text needs unescaping. */
  quoted = new Uint8Array(64);

  /** True for an empty line: no bytes before the line ending. */
  get blank(): boolean {
    return this.end === this.start;
  }

  /** The text of field `index`, unquoted and unescaped; bytes that are not UTF-8 are an error. */
  text(index: number): string {
    const s = this.starts[index]!;
    const e = this.ends[index]!;
    if (this.quoted[index] === 0) return this.decode(index, s, e);
    const inner = this.decode(index, s + 1, e - 1);
    return inner.includes('"') ? inner.replaceAll('""', '"') : inner;
  }

  /** The physical line on which field `index` starts (differs from `line` after a quoted newline). */
  lineOfField(index: number): number {
    return this.line + countNewlines(this.buffer, this.start, this.starts[index]!);
  }

  /** Throws CsvTextError unless the bytes of field `index` are UTF-8 (for a cell compared by its bytes). */
  checkText(index: number): void {
    const quoted = this.quoted[index]!;
    const s = this.starts[index]! + quoted;
    const e = this.ends[index]! - quoted;
    if (!isUtf8(this.buffer.subarray(s, e))) throw new CsvTextError(this.lineOfField(index), index, Uint8Array.from(this.buffer.subarray(s, e)));
  }

  grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const quoted = new Uint8Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    quoted.set(this.quoted);
    this.starts = starts;
    this.ends = ends;
    this.quoted = quoted;
  }

  private decode(index: number, s: number, e: number): string {
    const text = this.buffer.toString('utf8', s, e);
    // Invalid bytes decode to U+FFFD; only then is the (rarer) exact check worth making.
    if (text.includes('\ufffd')) this.checkText(index);
    return text;
  }
}

/** What a scanner feeds its rows to. */
export interface RowConsumer {
  onScannedRow(row: RowView): RowReply;
}

/**
 * Feeds complete rows to its consumer. `scan` is called on successive buffers; it returns where the
 * first incomplete row starts, and the caller passes those bytes again, followed by more input.
 * `onScannedRow` may return STOP: the scan then ends after that row and `stopped` is set.
 */
export class CsvScanner {
  readonly row = new RowView();
  /** Set when a consumer stopped the scan; the caller should read no further. */
  stopped = false;
  /** The physical line the next row starts on. */
  private line = 1;
  /** Reading only some fields: those fields, in order, of rows of `columns` fields (null: all fields). */
  private wantedList: Int32Array | null = null;
  private columns = NONE;
  private handedOff = false;
  /**
   * When the last scan stopped in a row still inside a quoted field, waiting for more input: how
   * far from the row's start its bytes were read without the closing quote (-1: it did not). The
   * next scan looks for that quote in the new bytes only, so a quote never closed costs one pass
   * over the file, not one pass per chunk over all that came before.
   */
  private openQuoteAt = -1;

  /**
   * `consumer.onScannedRow` is called for every row. An object rather than a closure: the
   * consumer's class method is then one call target for every file a thread reads, so the JIT
   * keeps it inlined in the scanning loops (a closure per file made them deoptimise on the
   * second file, costing about 30 ms a thread).
   */
  constructor(private readonly consumer: RowConsumer) {}

  /**
   * From the next row on, locates only `fields` (indexes into rows of `columns` fields); the
   * others are counted, so ragged rows are still found, but their bounds are not kept. Null: all.
   */
  readOnly(columns: number, fields: readonly number[] | null): void {
    this.columns = fields === null ? NONE : columns;
    this.wantedList = fields === null ? null : Int32Array.from(new Set(fields)).sort();
    while (this.row.starts.length < columns) this.row.grow();
  }

  /**
   * Scans `buf[from, to)`. With `final`, the input ends at `to`: a last row needs no line ending
   * and an open quote is an error. Returns the offset of the first byte not consumed.
   */
  scan(buf: Buffer, from: number, to: number, final: boolean): number {
    const row = this.row;
    row.buffer = buf;
    const wanted = this.wantedList;
    if (this.openQuoteAt >= 0) {
      if (!final) {
        const found = closingQuote(buf, from + this.openQuoteAt, to);
        if (found < 0) {
          this.openQuoteAt = -found - 1 - from;
          return from;
        }
      }
      // The row can end in these bytes: it is read again from its start.
      this.openQuoteAt = -1;
    }
    let i = from;
    while (i < to) {
      if (wanted !== null) {
        // Rows read only in part take the fast way unless they need a closer look: this loop
        // reads those (a blank line, a ragged row, a malformed quote, the end of the input) whole.
        i = this.scanSelectedRows(buf, wanted, i, to);
        if (this.stopped || i >= to) return i;
      }
      const rowStart = i;
      let newlines = 0;
      let field = 0;
      let end: number;
      let next: number;
      for (;;) {
        if (i < to && buf[i] === QUOTE) {
          if (field === row.starts.length) row.grow();
          const fieldStart = i;
          i++;
          for (;;) {
            if (i >= to) {
              if (!final) {
                this.openQuoteAt = i - rowStart;
                return rowStart;
              }
              const startLine = this.line + countNewlines(buf, rowStart, fieldStart);
              const lastLine = this.line + newlines - (buf[to - 1] === LF ? 1 : 0);
              throw new CsvSyntaxError(unclosedQuote(field + 1, lastLine, startLine), startLine);
            }
            const c = buf[i]!;
            if (c === QUOTE) {
              if (i + 1 >= to && !final) {
                // Closing, or the first of a doubled quote: the next byte decides.
                this.openQuoteAt = i - rowStart;
                return rowStart;
              }
              if (i + 1 < to && buf[i + 1] === QUOTE) {
                i += 2;
                continue;
              }
              i++;
              break;
            }
            if (c === LF) newlines++;
            i++;
          }
          row.starts[field] = fieldStart;
          row.ends[field] = i;
          row.quoted[field] = 1;
          if (i >= to) {
            if (!final) return rowStart;
            end = next = i;
            break;
          }
          const c = buf[i]!;
          if (c === COMMA) {
            field++;
            i++;
            continue;
          }
          if (c === LF) {
            end = i;
            next = i + 1;
            break;
          }
          if (c === CR) {
            if (i + 1 >= to && !final) return rowStart;
            if (i + 1 < to && buf[i + 1] === LF) {
              end = i;
              next = i + 2;
              break;
            }
          }
          const startLine = this.line + countNewlines(buf, rowStart, fieldStart);
          throw new CsvSyntaxError(textAfterQuote(String.fromCharCode(c), field + 1, startLine, this.line + newlines), startLine);
        }
        if (field === row.starts.length) row.grow();
        const fieldStart = i;
        let c = 0;
        while (i < to) {
          c = buf[i]!;
          if (c <= COMMA && (c === COMMA || c === LF)) break;
          i++;
        }
        row.starts[field] = fieldStart;
        row.quoted[field] = 0;
        if (i >= to) {
          if (!final) return rowStart;
          row.ends[field] = end = next = to;
          break;
        }
        if (c === COMMA) {
          row.ends[field] = i;
          field++;
          i++;
          continue;
        }
        end = i > fieldStart && buf[i - 1] === CR ? i - 1 : i;
        row.ends[field] = end;
        next = i + 1;
        break;
      }
      row.start = rowStart;
      row.end = end;
      row.next = next;
      row.line = this.line;
      row.fieldCount = field + 1;
      this.line += newlines + (next > end ? 1 : 0);
      i = next;
      if (this.consumer.onScannedRow(row) === STOP) {
        this.stopped = true;
        return i;
      }
      if (this.handedOff) return i;
    }
    return i;
  }

  /**
   * The rows from here on are read by a block reader (the reader's `readBlocks`): `scan` returns
   * after the current row, and the caller moves the scanner past what the block reader reads.
   */
  handOff(): void {
    this.handedOff = true;
  }

  /** Forgets the row the last scan stopped in: the next input starts a new row (see CsvReader.skipTo). */
  restart(): void {
    this.openQuoteAt = -1;
    this.stopped = false;
  }

  /** The physical line the next row starts on. */
  get nextLine(): number {
    return this.line;
  }

  /** Moves past rows read by a block reader: `lines` physical lines. */
  advance(lines: number): void {
    this.line += lines;
  }

  /**
   * Reads whole rows when only some fields are wanted: between wanted fields, commas are counted
   * in a tight loop; a wanted field's bounds are kept. Returns the start of the first row it
   * leaves to the loop of `scan`: a blank line, a ragged row or a malformed quote (for their
   * errors), or a row that ends past `to`.
   */
  private scanSelectedRows(buf: Buffer, fields: Int32Array, from: number, to: number): number {
    const row = this.row;
    const starts = row.starts;
    const ends = row.ends;
    const quoted = row.quoted;
    const wantedCount = fields.length;
    const lastField = this.columns - 1;
    let i = from;
    for (;;) {
      const rowStart = i;
      if (i >= to) return rowStart;
      let c = buf[i]!;
      if (c === LF || c === CR) return rowStart;
      let field = 0;
      let newlines = 0;
      let k = 0;
      let target = wantedCount > 0 ? fields[0]! : NONE;
      let end: number;
      for (;;) {
        // At the start of field `field`.
        if (buf[i] === QUOTE) {
          const fieldStart = i;
          i++;
          for (;;) {
            if (i >= to) return rowStart;
            c = buf[i]!;
            if (c === QUOTE) {
              if (i + 1 >= to) return rowStart;
              if (buf[i + 1] !== QUOTE) break;
              i++;
            } else if (c === LF) newlines++;
            i++;
          }
          i++; // past the closing quote
          if (field === target) {
            starts[field] = fieldStart;
            ends[field] = i;
            quoted[field] = 1;
            target = ++k < wantedCount ? fields[k]! : NONE;
          }
          if (i >= to) return rowStart;
          c = buf[i]!;
          if (c === COMMA) {
            field++;
            i++;
            if (i >= to) return rowStart;
            continue;
          }
          if (c === LF) {
            end = i;
            break;
          }
          if (c === CR && i + 1 < to && buf[i + 1] === LF) {
            end = i;
            i++;
            break;
          }
          return rowStart; // text after the closing quote: the loop of `scan` reports it
        }
        if (field === target) {
          const fieldStart = i;
          c = 0;
          while (i < to) {
            c = buf[i]!;
            if (c <= COMMA && (c === COMMA || c === LF)) break;
            i++;
          }
          if (i >= to) return rowStart;
          starts[field] = fieldStart;
          quoted[field] = 0;
          target = ++k < wantedCount ? fields[k]! : NONE;
          if (c === LF) {
            end = i > fieldStart && buf[i - 1] === CR ? i - 1 : i;
            ends[field] = end;
            break;
          }
          ends[field] = i;
          field++;
          i++;
          if (i >= to) return rowStart;
          continue;
        }
        // Cells nobody reads, up to the next wanted or quoted one, or the end of the row.
        let fieldStart = i;
        c = 0;
        for (;;) {
          if (i >= to) return rowStart;
          c = buf[i]!;
          if (c <= COMMA) {
            if (c === COMMA) {
              field++;
              i++;
              if (field === target) break;
              fieldStart = i;
              continue;
            }
            if (c === LF || (c === QUOTE && i === fieldStart)) break;
          }
          i++;
        }
        if (c === LF) {
          end = i > fieldStart && buf[i - 1] === CR ? i - 1 : i;
          break;
        }
        if (i >= to) return rowStart;
      }
      if (field !== lastField) return rowStart; // a ragged row: the loop of `scan` reports it
      row.start = rowStart;
      row.end = end;
      row.next = i + 1;
      row.line = this.line;
      row.fieldCount = field + 1;
      this.line += newlines + 1;
      i++;
      if (this.consumer.onScannedRow(row) === STOP) {
        this.stopped = true;
        return i;
      }
    }
  }
}

function countNewlines(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (buf[i] === LF) n++;
  return n;
}

/**
 * Reads on inside a quoted field from `i` (where a doubled quote may begin) for its closing quote:
 * its offset, or, when `buf[i, to)` does not hold it, -1 - the offset to read on from with more
 * input (`to`, or a last quote whose next byte is still to come).
 */
function closingQuote(buf: Buffer, i: number, to: number): number {
  for (;;) {
    const at = i < to ? buf.subarray(i, to).indexOf(QUOTE) : -1;
    if (at < 0) return -1 - to;
    const q = i + at;
    if (q + 1 >= to) return -1 - q;
    if (buf[q + 1] !== QUOTE) return q;
    i = q + 2;
  }
}
