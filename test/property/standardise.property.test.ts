// Property: on random cohorts, rules and group sizes, `measures` writes intervals and
// standardised rates as the contract says, checked against a reference written from its text:
// the interval (Wilson's for a flag numerator, else Byar's) of each row's released counts, blank
// where value is; and the standardised rate worked out from the released rows of the same measure
// grouped by its groups and the strata (internally a stratum is one more group column).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMeasures } from '../../src/measures/run-measures.js';
import { tempDir } from '../helpers.js';

const Z = 1.959963984540054;
const STRATA = ['x', 'y', 'z', ''];
const WEIGHTS = new Map([['x', 3], ['y', 1], ['z', 0.5], ['', 2]]);
const reached = { standardised: 0, tooFewEvents: 0, wilson: 0, byar: 0, blankValue: 0 };

const cohortRow = fc.record({
  g: fc.constantFrom('a', 'b', 'c'),
  s: fc.constantFrom(...STRATA),
  // Mostly flags; sometimes a larger count, which makes the column a count (Byar's interval).
  n: fc.oneof({ weight: 9, arbitrary: fc.constantFrom('0', '1', '1', '') }, { weight: 1, arbitrary: fc.constantFrom('2', '7') }),
  d: fc.constantFrom('1', '1', '1', '0', '3'),
});
const scenario = fc.record({
  // Medium-sized cohorts: the default (small) ones seldom reach 10 events in a group, so the
  // standardised branch went untested in some runs.
  files: fc.array(fc.array(cohortRow, { maxLength: 150, size: 'medium' }), { minLength: 1, maxLength: 2 }),
  rule: fc.constantFrom('round', 'midpoint6', 'suppress', 'none'),
  minGroupSize: fc.constantFrom(0, 3, 8),
  denominator: fc.constantFrom('d', 'population'),
  // Half the cohorts keep their numerator a 0/1 flag (Wilson's interval): among medium-sized
  // cohorts, one with no larger count would otherwise be rare.
  flagsOnly: fc.boolean(),
});

function wilson(x: number, n: number): [number, number] {
  const p = x / n;
  const centre = (p + (Z * Z) / (2 * n)) / (1 + (Z * Z) / n);
  const half = (Z / (1 + (Z * Z) / n)) * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n));
  return [x === 0 ? 0 : centre - half, x === n ? 1 : centre + half];
}

function byar(o: number): [number, number] {
  const lower = o === 0 ? 0 : o * (1 - 1 / (9 * o) - Z / (3 * Math.sqrt(o))) ** 3;
  return [lower, (o + 1) * (1 - 1 / (9 * (o + 1)) + Z / (3 * Math.sqrt(o + 1))) ** 3];
}

type Row = Record<string, string>;
function read(path: string): Row[] {
  return Papa.parse<Row>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
}

function expectClose(cell: string | undefined, expected: number): void {
  expect(cell).not.toBe('');
  expect(Math.abs(Number(cell) - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}

describe('measures: intervals and standardised rates on random cohorts', () => {
  it('match the contract\'s formulas, from the released counts, and are blank where value is', async () => {
    const root = tempDir();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ files: generated, rule, minGroupSize, denominator, flagsOnly }) => {
        const files = generated.map((rows) => rows.map((r) => (flagsOnly && Number(r.n) > 1 ? { ...r, n: '1' } : r)));
        const dir = join(root, String(run++));
        mkdirSync(dir);
        files.forEach((rows, i) => writeFileSync(join(dir, `input_2020-0${i + 1}-01.csv`), `g,s,n,d\n${rows.map((r) => [r.g, r.s, r.n, r.d].join(',')).join('\n')}\n`));
        const measure = { numerator: 'n', denominator };
        writeFileSync(
          join(dir, 'defs.json'),
          JSON.stringify({
            disclosure_control: rule,
            min_group_size: minGroupSize,
            measures: [
              { id: 'std', ...measure, group_by: 'g', confidence_interval: true, standardise: { by: 's', weights: Object.fromEntries(WEIGHTS) } },
              { id: 'strata', ...measure, group_by: ['g', 's'] },
            ],
          }),
        );
        await runMeasures({ definitions: join(dir, 'defs.json'), cohort: join(dir, 'input_*.csv'), outputDir: join(dir, 'out'), jobs: 1, progress: false });
        const flags = files.every((rows) => rows.every((r) => r.n === '' || r.n === '0' || r.n === '1'));
        for (const row of read(join(dir, 'out', 'measure_std.csv'))) {
          const [n, d] = [row.n!, row[denominator]!];
          if (row.value === '') {
            reached.blankValue++;
            expect([row.lower, row.upper, row.standardised_value, row.standardised_lower, row.standardised_upper]).toEqual(['', '', '', '', '']);
            continue;
          }
          const [x, total] = [Number(n), Number(d)];
          const [lower, upper] = flags ? wilson(x, total) : byar(x).map((limit) => limit / total);
          reached[flags ? 'wilson' : 'byar']++;
          expectClose(row.lower, lower!);
          expectClose(row.upper, upper!);

          const strata = read(join(dir, 'out', 'measure_strata.csv')).filter((s) => s.date === row.date && s.g === row.g && s[denominator] !== '' && Number(s[denominator]) > 0);
          const events = strata.reduce((sum, s) => sum + Number(s.n), 0);
          if (strata.some((s) => s.n === '') || events < 10) {
            reached.tooFewEvents++;
            expect([row.standardised_value, row.standardised_lower, row.standardised_upper]).toEqual(['', '', '']);
            continue;
          }
          reached.standardised++;
          const weights = strata.reduce((sum, s) => sum + WEIGHTS.get(s.s!)!, 0);
          const rate = strata.reduce((sum, s) => sum + (WEIGHTS.get(s.s!)! * Number(s.n)) / Number(s[denominator]), 0) / weights;
          const variance = strata.reduce((sum, s) => sum + (WEIGHTS.get(s.s!)! ** 2 * Number(s.n)) / Number(s[denominator]) ** 2, 0) / weights ** 2;
          const [eventsLower, eventsUpper] = byar(events);
          expectClose(row.standardised_value, rate);
          expectClose(row.standardised_lower, rate + Math.sqrt(variance / events) * (eventsLower! - events));
          expectClose(row.standardised_upper, rate + Math.sqrt(variance / events) * (eventsUpper! - events));
          expect(Number(row.standardised_lower)).toBeLessThanOrEqual(Number(row.standardised_value));
        }
        rmSync(dir, { recursive: true });
      }),
      { numRuns: 120 },
    );
    // The random cases reached every branch the contract names.
    for (const [branch, times] of Object.entries(reached)) expect(times, branch).toBeGreaterThan(0);
  }, 120_000);
});
