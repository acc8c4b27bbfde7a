// The hot loop of analyse measures: scans CSV rows byte by byte, as the shared scanner does, but
// only looks at the cells the measures use. Count cells are parsed as they are passed, group
// cells are only located (the counter hashes their bytes), other cells are skipped; no string is
// made. Rows that need a careful look (a ragged row, a bad count, a syntax error) are read again
// by the shared scanner, so every error reads exactly as the CSV reader's.

import { UserError, quote } from '../errors.js';
import { CsvScanner, CsvSyntaxError, type RowView } from '../csv/scanner.js';
import type { FileCounter } from './file-counter.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const ZERO = 0x30;

/** Roles of a field, as bits: a column can be one measure's count and another's group. */
const SKIP = 0;
const COUNT = 1;
const GROUP = 2;

/** Why a run of unused cells stopped. */
const USED_FIELD = 0;
const QUOTED_FIELD = 1;
const END_OF_ROW = 2;
const END_OF_INPUT = 3;
/** A field index no row reaches. */
const NONE = 0x7fffffff;

export interface CountColumns {
  /** Fields in the header. */
  columns: number;
  /** Field index of each count column (plan order) and its name. */
  countFields: readonly number[];
  countNames: readonly string[];
  /** Field index of each group column (plan order). */
  groupFields: readonly number[];
}

export class CountScanner {
  /** Physical line on which the next row starts. */
  line: number;
  private readonly columns: number;
  /** Per field of the header: what to do with it, and which count and group slots it fills. */
  private readonly roles: Uint8Array;
  private readonly countSlots: Int32Array;
  private readonly groupSlots: Int32Array;
  /** Per field: the first used field at or after it (NONE if none). */
  private readonly nextUsed: Int32Array;

  constructor(
    private readonly layout: CountColumns,
    private readonly counter: FileCounter,
    private readonly file: string,
    firstLine: number,
  ) {
    this.line = firstLine;
    this.columns = layout.columns;
    this.roles = new Uint8Array(layout.columns);
    this.countSlots = new Int32Array(layout.columns);
    this.groupSlots = new Int32Array(layout.columns);
    layout.countFields.forEach((field, k) => {
      this.roles[field]! |= COUNT;
      this.countSlots[field] = k;
    });
    layout.groupFields.forEach((field, j) => {
      this.roles[field]! |= GROUP;
      this.groupSlots[field] = j;
    });
    this.nextUsed = new Int32Array(layout.columns);
    for (let field = layout.columns - 1, next = NONE; field >= 0; field--) {
      if (this.roles[field] !== SKIP) next = field;
      this.nextUsed[field] = next;
    }
  }

  /**
   * Scans the rows in `buf[from, to)` and adds each to the counter. Returns where the first row
   * not complete in the buffer starts (with `final`, the input ends at `to`, so all are complete).
   */
  scan(buf: Buffer, from: number, to: number, final: boolean): number {
    const roles = this.roles;
    const countSlots = this.countSlots;
    const groupSlots = this.groupSlots;
    const nextUsed = this.nextUsed;
    const columns = this.columns;
    const counter = this.counter;
    const counts = counter.counts;
    const groupStarts = counter.groupStarts;
    const groupEnds = counter.groupEnds;
    const groupQuoted = counter.groupQuoted;
    let i = from;
    while (i < to) {
      const rowStart = i;
      let c = buf[i]!;
      // An empty line is no row at all in a file of several columns (in a one-column file it is an empty cell).
      if (columns > 1 && (c === LF || (c === CR && i + 1 < to && buf[i + 1] === LF))) {
        i += c === LF ? 1 : 2;
        this.line++;
        continue;
      }
      let field = 0;
      let newlines = 0;
      let endedByNewline = false;
      let careful = false;
      for (;;) {
        const role = field < columns ? roles[field]! : SKIP;
        const start = i;
        let end: number;
        if (i < to && buf[i] === QUOTE) {
          i++;
          for (;;) {
            if (i >= to) {
              if (!final) return rowStart;
              return this.readCarefully(buf, rowStart, to, final); // never closed
            }
            c = buf[i]!;
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
          end = i;
          if ((role & COUNT) !== 0) {
            const value = parseCount(buf, start + 1, end - 1);
            if (value < 0) careful = true;
            counts[countSlots[field]!] = value;
          }
          if ((role & GROUP) !== 0) {
            const j = groupSlots[field]!;
            groupStarts[j] = start;
            groupEnds[j] = end;
            groupQuoted[j] = 1;
          }
          if (i >= to) {
            if (!final) return rowStart;
            break;
          }
          c = buf[i]!;
          if (c === COMMA) {
            field++;
            i++;
            continue;
          }
          if (c === LF) {
            i++;
            endedByNewline = true;
            break;
          }
          if (c === CR && i + 1 >= to && !final) return rowStart;
          if (c === CR && i + 1 < to && buf[i + 1] === LF) {
            i += 2;
            endedByNewline = true;
            break;
          }
          return this.readCarefully(buf, rowStart, to, final); // text after a closing quote
        }
        if (role === SKIP) {
          // Unused cells up to the next used one are passed in one tight loop that counts commas.
          const target = field < columns ? nextUsed[field]! : NONE;
          let fieldStart = i;
          let stop = END_OF_INPUT;
          while (i < to) {
            c = buf[i]!;
            if (c <= COMMA) {
              if (c === COMMA) {
                i++;
                field++;
                fieldStart = i;
                if (field === target) {
                  stop = USED_FIELD;
                  break;
                }
                continue;
              }
              if (c === LF) {
                stop = END_OF_ROW;
                break;
              }
              if (c === QUOTE && i === fieldStart) {
                stop = QUOTED_FIELD;
                break;
              }
            }
            i++;
          }
          if (stop === USED_FIELD || stop === QUOTED_FIELD) continue;
          if (stop === END_OF_INPUT) {
            if (!final) return rowStart;
            break;
          }
          i++;
          endedByNewline = true;
          break;
        }
        if (role === COUNT && i + 1 < to && buf[i + 1] === COMMA) {
          // The usual count cell: one digit (a 0/1 flag), then a comma.
          const digit = buf[i]! - ZERO;
          if (digit >>> 0 <= 9) {
            counts[countSlots[field]!] = digit;
            i += 2;
            field++;
            continue;
          }
        }
        while (i < to) {
          c = buf[i]!;
          if (c <= COMMA && (c === COMMA || c === LF)) break;
          i++;
        }
        if (i >= to) {
          if (!final) return rowStart;
          end = to;
        } else if (c === COMMA) end = i;
        else end = i > start && buf[i - 1] === CR ? i - 1 : i;
        if ((role & COUNT) !== 0) {
          const value = parseCount(buf, start, end);
          if (value < 0) careful = true;
          counts[countSlots[field]!] = value;
        }
        if ((role & GROUP) !== 0) {
          const j = groupSlots[field]!;
          groupStarts[j] = start;
          groupEnds[j] = end;
          groupQuoted[j] = 0;
        }
        if (i >= to) break;
        i++;
        if (c === COMMA) {
          field++;
          continue;
        }
        endedByNewline = true;
        break;
      }
      if (careful || field + 1 !== columns) return this.readCarefully(buf, rowStart, to, final);
      counter.add(buf);
      this.line += endedByNewline ? newlines + 1 : newlines;
    }
    return i;
  }

  /** Reads the row at `rowStart` with the shared scanner and throws the error it holds. */
  private readCarefully(buf: Buffer, rowStart: number, to: number, final: boolean): never {
    const before = this.line - 1;
    let found: RowView | null = null;
    const stop = new Error('one row read');
    const scanner = new CsvScanner((row) => {
      found = row;
      throw stop;
    });
    try {
      scanner.scan(buf, rowStart, to, final);
    } catch (error) {
      if (error instanceof CsvSyntaxError) throw new UserError(error.message, { file: this.file, line: before + error.line });
      if (error !== stop) throw error;
    }
    const row = found as RowView | null;
    if (row === null) throw new Error(`bug: no row at offset ${rowStart}`);
    if (row.fieldCount !== this.columns) {
      throw new UserError(`expected ${this.columns} fields, as in the header, but found ${row.fieldCount} (a ragged row)`, { file: this.file, line: before + row.line });
    }
    this.layout.countFields.forEach((field, k) => {
      const text = row.text(field);
      if (!/^[0-9]*$/.test(text) || Number(text) > Number.MAX_SAFE_INTEGER) {
        throw new UserError(`expected a count (a whole number 0 or more, such as 0 or 1, or an empty cell), but found ${quote(text)}`, {
          file: this.file,
          line: before + row.lineOfField(field),
          column: this.layout.countNames[k]!,
        });
      }
    });
    throw new Error(`bug: the row on line ${before + row.line} looked wrong but is not`);
  }
}

/** The non-negative integer in `buf[start, end)` (0 when empty), or -1 if it is not one or too large to add exactly. */
function parseCount(buf: Buffer, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = buf[i]! - ZERO;
    if (digit >>> 0 > 9) return -1;
    value = value * 10 + digit;
  }
  return value > Number.MAX_SAFE_INTEGER ? -1 : value;
}
