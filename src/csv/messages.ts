// Every message about a CSV file's structure, header or text, in one place: the scanner, the
// reader and the stages that look up columns all say the same thing the same way. Each returns
// the reason only; the caller's UserError adds the file and line.

import { listNames, quote } from '../errors.js';

export const EMPTY_FILE = 'the file is empty: expected a header line naming the columns';

export const EMPTY_HEADER = 'the header line is empty: expected the names of the columns';

export function raggedRow(expected: number, found: number): string {
  return `expected ${expected} fields, as in the header, but found ${found} (a ragged row)`;
}

/** A quote opened on the reported line (field `field`, counted from 1) that the file never closes. */
export function unclosedQuote(field: number, lastLine: number, startLine: number): string {
  const runs = lastLine > startLine ? `; everything from here to the end of the file (line ${lastLine}) is inside it` : '';
  return `a quoted field is never closed (unterminated quote): field ${field} opens a quote on this line${runs}`;
}

/** A row still open after `limit` bytes: in a cohort file that is a quote never closed, not a real row. */
export function rowTooLong(limit: number): string {
  return `a row that starts on this line runs on for more than ${limit / (1 << 20)} MiB without ending: is a quote that opens a field on it never closed? (a quote inside a quoted field must be doubled: "")`;
}

/**
 * `found` follows the closing quote of field `field`. When the quoted field spans lines, the
 * likelier mistake is a quote never closed where the field began, so that is the line reported.
 */
export function textAfterQuote(found: string, field: number, startLine: number, foundLine: number): string {
  const shown = JSON.stringify(found);
  if (foundLine === startLine) return `unexpected character ${shown} after the closing quote of field ${field}; a quote inside a quoted field must be doubled ("")`;
  return (
    `the quoted field ${field} that opens on this line runs to line ${foundLine}, where ${shown} follows its closing quote: ` +
    `is a closing quote missing on this line? (a quote inside a quoted field must be doubled: "")`
  );
}

/** A cell whose bytes are not UTF-8 (`column`: its name, or null in the header). */
export function invalidUtf8(column: string | null, field: number, bytes: Uint8Array): string {
  const where = column === null ? `field ${field + 1} of the header` : `the cell in column ${quote(column)}`;
  return `${where} is not valid UTF-8 text: ${showBytes(bytes)}; save the file with UTF-8 encoding`;
}

export function duplicateColumn(name: string): string {
  return `the column ${quote(name)} appears more than once in the header, so it is unclear which to use`;
}

/** A column the command needs is not in the header; `what` says what the command wanted it for. */
export function missingColumn(what: string, name: string, columns: readonly string[]): string {
  return `has no ${what} ${quote(name)}; its columns are ${listNames(columns)}`;
}

/** The bytes as a quoted string, each byte that is not part of a valid UTF-8 sequence shown as \xNN. */
export function showBytes(bytes: Uint8Array, max = 60): string {
  let shown = '';
  let i = 0;
  while (i < bytes.length && shown.length < max) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) {
      shown += `\\x${bytes[i]!.toString(16).toUpperCase().padStart(2, '0')}`;
      i++;
    } else {
      shown += JSON.stringify(Buffer.from(bytes.subarray(i, i + length)).toString('utf8')).slice(1, -1);
      i += length;
    }
  }
  return `"${shown}${i < bytes.length ? '…' : ''}"`;
}

/** The length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there starts none. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (length === 0 || i + length > bytes.length) return 0;
  const second = bytes[i + 1]!;
  // The second byte's range rules out overlong forms, surrogates and code points past U+10FFFF.
  const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
  const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
  if (second < low || second > high) return 0;
  for (let k = 2; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return 0;
  return length;
}
