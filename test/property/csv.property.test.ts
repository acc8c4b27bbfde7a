// Property: any table of text (quotes, commas, newlines, CR, non-ASCII) written as CSV, with LF or
// CRLF line ends and with or without a byte-order mark, reads back unchanged under any chunking.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { CsvReader } from '../../src/csv/reader.js';
import { formatCsv } from '../../src/csv/format.js';
import { chunksOf } from '../csv/corpus.js';

const cellText = fc.string({ unit: fc.constantFrom('a', 'Z', '7', ' ', ',', '"', '\n', '\r', '\r\n', 'é', '日', '✓', '-', '') , maxLength: 8 });

const table = fc.integer({ min: 1, max: 5 }).chain((columns) =>
  fc.record({
    header: fc.array(cellText.filter((name) => name.trim() !== ''), { minLength: columns, maxLength: columns }),
    rows: fc.array(fc.array(cellText, { minLength: columns, maxLength: columns }), { maxLength: 12 }),
  }),
).filter(({ header, rows }) =>
  // A row of one empty cell in a several-column file cannot exist; in a one-column file it is a blank line.
  header.length === 1 || rows.every((row) => row.length > 1),
);

function read(chunks: Buffer[]): string[][] {
  const rows: string[][] = [];
  const reader = new CsvReader('p.csv', {
    header: (names) => rows.push(names),
    row: (row) => rows.push(Array.from({ length: row.fieldCount }, (_, i) => row.text(i))),
  });
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return rows;
}

describe('CSV round trip (property)', () => {
  it('formatCsv then CsvReader gives the table back, for any chunk size', () => {
    fc.assert(
      fc.property(table, fc.integer({ min: 1, max: 64 }), fc.boolean(), ({ header, rows }, chunkSize, bom) => {
        const text = (bom ? '\ufeff' : '') + formatCsv(header, rows);
        expect(read(chunksOf(text, chunkSize))).toEqual([header, ...rows]);
      }),
      { numRuns: 400 },
    );
  });

  it('CRLF files written by another tool read back the same', () => {
    fc.assert(
      fc.property(table, fc.integer({ min: 1, max: 16 }), ({ header, rows }, chunkSize) => {
        const text = `${Papa.unparse([header, ...rows], { newline: '\r\n', quotes: true })}\r\n`;
        expect(read(chunksOf(text, chunkSize))).toEqual([header, ...rows]);
      }),
      { numRuns: 300 },
    );
  });

  it('whatever the bytes, the reader returns rows or a located error, never anything else', () => {
    const bytes = fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a));
    const csvish = fc.array(fc.constantFrom('a', ',', '"', '\n', '\r\n', '\r', '\ufeff', 'é', ''), { maxLength: 40 }).map((parts) => Buffer.from(parts.join('')));
    fc.assert(
      fc.property(fc.oneof(bytes, csvish), fc.integer({ min: 1, max: 9 }), (input, chunkSize) => {
        let whole: unknown;
        let chunked: unknown;
        try {
          whole = read([input]);
        } catch (error) {
          whole = (error as Error).message;
          expect((error as Error).name).toBe('UserError');
          expect((error as Error).message).toMatch(/^p\.csv, line \d+: /);
        }
        try {
          chunked = read(chunksOf(input, chunkSize));
        } catch (error) {
          chunked = (error as Error).message;
        }
        expect(chunked).toEqual(whole);
      }),
      { numRuns: 1000 },
    );
  });
});
