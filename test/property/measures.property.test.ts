// Property: the measures' own scanner (which reads only the cells it needs) counts exactly what a
// naive count over the shared CSV reader's rows gives, or fails with the same message, for any
// table and any chunking.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CsvReader } from '../../src/csv/reader.js';
import { formatCsv } from '../../src/csv/format.js';
import { checkDefinitions } from '../../src/measures/definitions.js';
import { planMeasures } from '../../src/measures/plan.js';
import { COUNT_PATHS, countChunks, type CountPath } from '../measures/count-chunks.js';
import { chunksOf } from '../csv/corpus.js';

const { measures } = checkDefinitions(
  {
    disclosure_control: 'none',
    measures: [
      { id: 'by_g', numerator: 'n', denominator: 'population', group_by: 'g' },
      { id: 'by_both', numerator: 'm', denominator: 'n', group_by: ['h', 'g'] },
      { id: 'whole', numerator: 'n', denominator: 'm' },
      { id: 'same', numerator: 'm', denominator: 'm', group_by: 'h' },
      // n is a count above and a group here.
      { id: 'by_n', numerator: 'm', denominator: 'population', group_by: 'n' },
    ],
  },
  'defs.json',
);
const plan = planMeasures(measures);

type Outcome = { sums: Record<string, [number, number]> } | { error: string };

/** Sums by measure and group as `id|["values"]` → [numerator, denominator], or the error message. */
function scanned(chunks: Buffer[], path: CountPath): Outcome {
  try {
    const counts = countChunks('p.csv', measures, plan, chunks, path);
    const sums: Record<string, [number, number]> = {};
    measures.forEach((measure, m) => {
      const groups = counts.groups[plan.measures[m]!.grouping]!;
      groups.forEach((values, i) => (sums[`${measure.id}|${JSON.stringify(values)}`] = [counts.sums[m]!.numerators[i]!, counts.sums[m]!.denominators[i]!]));
    });
    return { sums };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The same, the slow and obvious way: each row as text from the CSV reader, counted as it comes. */
function naive(chunks: Buffer[]): Outcome {
  try {
    let names: string[] = [];
    const sums: Record<string, [number, number]> = {};
    const reader = new CsvReader('p.csv', {
      header: (found) => {
        names = found;
        if (['n', 'm', 'g', 'h'].some((c) => !names.includes(c)) || names.length !== new Set(names).size) throw new Error('header');
      },
      row: (row) => {
        const cell = (name: string) => row.text(names.indexOf(name));
        for (const column of plan.countColumns) {
          const text = cell(column);
          if (!/^[0-9]*$/.test(text) || Number(text) > Number.MAX_SAFE_INTEGER) {
            const line = row.lineOfField(names.indexOf(column));
            throw new Error(`p.csv, line ${line}, column "${column}": expected a count (a whole number 0 or more, such as 0 or 1, or an empty cell), but found ${JSON.stringify(text)}`);
          }
        }
        const value = (name: string) => (name === 'population' ? 1 : Number(cell(name)));
        for (const measure of measures) {
          const key = `${measure.id}|${JSON.stringify(measure.groupBy.map(cell))}`;
          const sum = (sums[key] ??= [0, 0]);
          if (value(measure.denominator) > 0) {
            sum[0] += value(measure.numerator);
            sum[1] += value(measure.denominator);
          }
        }
      },
    });
    for (const chunk of chunks) reader.push(chunk);
    reader.end();
    return { sums };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\n', '\r', '\r\n', 'é', '日', ''), maxLength: 6 });
const count = fc.constantFrom('0', '1', '1', '0', '7', '12', '', '00', '9007199254740993', 'x', '1.5', '-1', ' 1', '1\r', '1\n');
const tables = fc
  .record({
    order: fc.shuffledSubarray(['n', 'm', 'g', 'h', 'other'], { minLength: 5, maxLength: 5 }),
    rows: fc.array(fc.record({ n: count, m: count, g: text, h: text, other: text }), { maxLength: 15 }),
    crlf: fc.boolean(),
    bom: fc.boolean(),
    blankLines: fc.boolean(),
  })
  .map(({ order, rows, crlf, bom, blankLines }) => {
    let csv = formatCsv(order, rows.map((row) => order.map((name) => row[name as keyof typeof row])));
    if (blankLines) csv = csv.replace(/\n(?=[^\n]*$)/, '\n\n');
    if (crlf) csv = csv.replace(/\n/g, '\r\n');
    return (bom ? '\ufeff' : '') + csv;
  });

describe.each(COUNT_PATHS)('the measures %s count path (property)', (path) => {
  it('counts what a naive count over the CSV reader counts, or fails alike, for any table and chunking', () => {
    fc.assert(
      fc.property(tables, fc.integer({ min: 1, max: 40 }), (csv, chunkSize) => {
        const expected = naive([Buffer.from(csv)]);
        expect(scanned([Buffer.from(csv)], path)).toEqual(expected);
        expect(scanned(chunksOf(csv, chunkSize), path)).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('agrees on arbitrary bytes after a valid header: rows counted, or the same located error', () => {
    const junk = fc.array(fc.constantFrom('1', '0', 'a', ',', '"', '\n', '\r\n', '\r', ''), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(junk, fc.integer({ min: 1, max: 9 }), (body, chunkSize) => {
        const csv = `n,g,m,h\n${body}`;
        const expected = naive([Buffer.from(csv)]);
        expect(scanned([Buffer.from(csv)], path)).toEqual(expected);
        expect(scanned(chunksOf(csv, chunkSize), path)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });
});
