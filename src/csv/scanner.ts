// A byte-level RFC 4180 scanner. It finds row and field boundaries without building a string
// per field, so a step can copy rows verbatim (join) or read just the columns it needs (measures).

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

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

/**
 * One row, as offsets into `buffer`. The scanner reuses this object for every row, so a
 * consumer must copy what it wants to keep before returning.
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

  /** The text of field `index`, unquoted and unescaped. */
  text(index: number): string {
    const buf = this.buffer;
    const s = this.starts[index]!;
    const e = this.ends[index]!;
    if (this.quoted[index] === 0) return buf.toString('utf8', s, e);
    const inner = buf.toString('utf8', s + 1, e - 1);
    return inner.includes('"') ? inner.replaceAll('""', '"') : inner;
  }

  /** The physical line on which field `index` starts (differs from `line` after a quoted newline). */
  lineOfField(index: number): number {
    let line = this.line;
    const buf = this.buffer;
    for (let i = this.start, s = this.starts[index]!; i < s; i++) if (buf[i] === LF) line++;
    return line;
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
}

/**
 * Feeds complete rows to `onRow`. `scan` is called on successive buffers; it returns where the
 * first incomplete row starts, and the caller passes those bytes again, followed by more input.
 */
export class CsvScanner {
  readonly row = new RowView();
  private line = 1;

  constructor(private readonly onRow: (row: RowView) => void) {}

  /** The physical line the next row starts on. */
  get nextLine(): number {
    return this.line;
  }

  /**
   * Scans `buf[from, to)`. With `final`, the input ends at `to`: a last row needs no line ending
   * and an open quote is an error. Returns the offset of the first byte not consumed.
   */
  scan(buf: Buffer, from: number, to: number, final: boolean): number {
    const row = this.row;
    row.buffer = buf;
    let i = from;
    while (i < to) {
      const rowStart = i;
      let newlines = 0;
      let field = 0;
      let end: number;
      let next: number;
      for (;;) {
        if (field === row.starts.length) row.grow();
        if (i < to && buf[i] === QUOTE) {
          row.starts[field] = i;
          row.quoted[field] = 1;
          i++;
          for (;;) {
            if (i >= to) {
              if (!final) return rowStart;
              throw new CsvSyntaxError('a quoted field is never closed (unterminated quote)', this.line + this.linesBefore(buf, rowStart, row.starts[field]!));
            }
            const c = buf[i]!;
            if (c === QUOTE) {
              if (i + 1 >= to && !final) return rowStart;
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
          row.ends[field] = i;
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
          throw new CsvSyntaxError(
            `unexpected character ${JSON.stringify(String.fromCharCode(c))} after the closing quote of field ${field + 1}; a quote inside a quoted field must be doubled ("")`,
            this.line + newlines,
          );
        }
        row.starts[field] = i;
        row.quoted[field] = 0;
        let c = 0;
        while (i < to) {
          c = buf[i]!;
          if (c <= COMMA && (c === COMMA || c === LF)) break;
          i++;
        }
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
        end = i > row.starts[field]! && buf[i - 1] === CR ? i - 1 : i;
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
      this.onRow(row);
    }
    return i;
  }

  private linesBefore(buf: Buffer, from: number, to: number): number {
    let n = 0;
    for (let i = from; i < to; i++) if (buf[i] === LF) n++;
    return n;
  }
}
