// The shared CSV edge-case corpus through the measures' count paths (compiled and JavaScript), whole and in 1-7 byte chunks:
// grouping by each column must see exactly the cells the CSV reader sees, and a malformed file
// must fail on the same line with the same message.

import { describe, expect, it } from 'vitest';
import { checkDefinitions } from '../../src/measures/definitions.js';
import { planMeasures } from '../../src/measures/plan.js';
import { UserError } from '../../src/errors.js';
import { CHUNKINGS, invalidCases, validCases } from '../csv/corpus.js';
import { COUNT_PATHS, countChunks, givenUp, type CountPath } from './count-chunks.js';
import { compiledPaths } from '../../src/csv/compiled.js';

/** For each column, how many rows hold each value, as counted by the measures. */
function groupCounts(header: string[], chunks: Buffer[], path: CountPath): Array<Record<string, number>> {
  const { measures } = checkDefinitions(
    { disclosure_control: 'none', measures: header.map((column, i) => ({ id: `c${i}`, numerator: 'population', denominator: 'population', group_by: [column] })) },
    'defs.json',
  );
  const plan = planMeasures(measures);
  const counts = countChunks('corpus.csv', measures, plan, chunks, path);
  return measures.map((_, m) => {
    const groups = counts.groups[plan.measures[m]!.grouping]!;
    return Object.fromEntries(groups.map((values, g) => [values[0]!, counts.sums[m]!.denominators[g]!]));
  });
}

function expectedCounts(rows: string[][]): Array<Record<string, number>> {
  return rows[0]!.map((_, column) => {
    const counts: Record<string, number> = {};
    for (const row of rows.slice(1)) counts[row[column]!] = (counts[row[column]!] ?? 0) + 1;
    return counts;
  });
}

for (const path of COUNT_PATHS) {
  describe(`the measures' ${path} count path over the CSV edge-case corpus`, () => {
    for (const { label, split } of CHUNKINGS) {
      describe(label, () => {
        for (const testCase of validCases) {
          it(`reads ${testCase.name}`, () => {
            const before = givenUp.count;
            expect(groupCounts(testCase.rows[0]!, split(testCase.csv), path)).toEqual(expectedCounts(testCase.rows));
            // The compiled path reads every valid file of several columns itself.
            if (path === 'native' && compiledPaths() !== null && testCase.rows[0]!.length > 1) expect(givenUp.count).toBe(before);
          });
        }
        for (const testCase of invalidCases) {
          it(`rejects ${testCase.name} on line ${testCase.line}`, () => {
            let error: unknown;
            try {
              groupCounts(['a'], split(testCase.csv), path);
            } catch (e) {
              error = e;
            }
            expect(error).toBeInstanceOf(UserError);
            expect((error as UserError).location).toMatchObject({ file: 'corpus.csv', line: testCase.line });
            expect((error as UserError).message).toMatch(testCase.message);
          });
        }
      });
    }
  });
}
