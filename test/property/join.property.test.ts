// Property: join-ethnicity equals a naive in-memory left join on random cohorts, with integer and
// text keys ("007" and "7" distinct, a quoted "7" equal to 7), empty and unmatched keys, values
// holding commas, quotes and newlines, and a joined column the cohort may already have.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCsv } from '../../src/csv/format.js';
import { joinEthnicity } from '../../src/join/join-ethnicity.js';
import { tempDir } from '../helpers.js';

const KEYS = ['0', '00', '1', '7', '007', '07', '10', '123456789012345', '1234567890123456', '9007199254740993', 'A', 'a', 'x y', 'k,1', 'q"', '-1', ''];
const value = fc.string({ unit: fc.constantFrom('1', '2', 'W', ',', '"', '\n', ' ', 'é'), maxLength: 4 });

const scenario = fc.record({
  ethnicity: fc.uniqueArray(fc.constantFrom(...KEYS.filter((k) => k !== '')), { maxLength: KEYS.length }).chain((keys) =>
    fc.tuple(...keys.map((key) => fc.tuple(fc.constant(key), value, value))),
  ),
  emptyKeyRows: fc.integer({ min: 0, max: 2 }),
  cohort: fc.array(fc.tuple(fc.constantFrom(...KEYS), value, value), { maxLength: 30 }),
  cohortHasAge: fc.boolean(),
  joinAge: fc.boolean(),
  quoteEverything: fc.boolean(),
});

function parse(text: string): string[][] {
  const rows = Papa.parse<string[]>(text, { skipEmptyLines: false }).data;
  return rows.at(-1)?.length === 1 && rows.at(-1)![0] === '' ? rows.slice(0, -1) : rows;
}

describe('joinEthnicity (property)', () => {
  it('equals a naive left join, and running it twice changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const columns = s.joinAge ? ['ethnicity', 'age'] : ['ethnicity'];
        const ethnicityRows = [...s.ethnicity.map(([key, ethnicity, age]) => [key, age, ethnicity]), ...Array.from({ length: s.emptyKeyRows }, () => ['', '9', '9'])];
        const cohortHeader = s.cohortHasAge ? ['patient_id', 'age', 'note'] : ['patient_id', 'note'];
        const cohortRows = s.cohort.map(([key, age, note]) => (s.cohortHasAge ? [key, age, note] : [key, note]));
        const cohortText = s.quoteEverything
          ? `${Papa.unparse([cohortHeader, ...cohortRows], { quotes: true, newline: '\n' })}\n`
          : formatCsv(cohortHeader, cohortRows);
        const dir = tempDir({ 'eth.csv': formatCsv(['patient_id', 'age', 'ethnicity'], ethnicityRows), 'c.csv': cohortText });

        // The reference: a left join by key text, overwriting a column the cohort already has.
        const lookup = new Map(ethnicityRows.filter(([key]) => key !== '').map(([key, age, ethnicity]) => [key!, { age: age!, ethnicity: ethnicity! }]));
        const header = [...cohortHeader, ...columns.filter((c) => !cohortHeader.includes(c))];
        const expected = [
          header,
          ...cohortRows.map((row) => {
            const out = [...row];
            const match = row[0] === '' ? undefined : lookup.get(row[0]!);
            for (const column of columns) {
              const at = header.indexOf(column);
              out[at] = match ? match[column as 'age' | 'ethnicity'] : '';
            }
            return out;
          }),
        ];

        await joinEthnicity({ cohort: join(dir, 'c.csv'), ethnicity: join(dir, 'eth.csv'), columns, jobs: 1, progress: false });
        const once = readFileSync(join(dir, 'c.csv'), 'utf8');
        expect(parse(once)).toEqual(expected);
        await joinEthnicity({ cohort: join(dir, 'c.csv'), ethnicity: join(dir, 'eth.csv'), columns, jobs: 1, progress: false });
        expect(readFileSync(join(dir, 'c.csv'), 'utf8')).toBe(once);
      }),
      { numRuns: 150 },
    );
  });
});
