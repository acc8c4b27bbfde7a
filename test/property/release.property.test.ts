// Property: whatever the cohort, whatever released rule and group size the definitions choose,
// what measures and describe write passes `analyse check`: every measure file's counts fit one
// released pattern (and the rule's own, as `check --rule` tests it), its intervals and
// standardised rates are blank where value is, describe accepts every measure file measures
// wrote (its intervals those of the released counts), and nothing it writes loads or runs anything.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMeasures } from '../../src/measures/run-measures.js';
import { runDescribe } from '../../src/describe/describe.js';
import { checkPaths } from '../../src/release/check/check-paths.js';
import { tempDir } from '../helpers.js';

const DATES = ['2020-01-01', '2020-02-01', '2020-03-01'];
/** Group values: a few common, a few rare, one a spreadsheet would run. */
const GROUPS = ['London', 'London', 'London', 'East', 'East', 'Isles', 'a,b', '=1+1', ''];

const cohortRow = fc.record({
  group: fc.constantFrom(...GROUPS),
  flag: fc.constantFrom('0', '1', '1', ''),
  count: fc.constantFrom('0', '1', '2', '5', '40', '1234'),
  bmi: fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 180, max: 350 }).map((x) => (x / 10).toFixed(1)) }, { weight: 1, arbitrary: fc.constant('1000000') }),
});

const scenario = fc.record({
  // Small files, where groups are left out and counts blanked, and files over 100 rows, where bmi is summarised.
  files: fc.array(fc.oneof(fc.array(cohortRow, { maxLength: 30 }), fc.array(cohortRow, { minLength: 100, maxLength: 220 })), { minLength: 1, maxLength: 3 }),
  rule: fc.constantFrom('round', 'midpoint6', 'suppress'),
  minGroupSize: fc.option(fc.constantFrom(0, 1, 5, 8), { nil: undefined }),
});

describe('measures and describe outputs (property)', () => {
  it('always pass analyse check', async () => {
    const base = tempDir();
    let run = 0;
    const reached = { leftOut: 0, blanked: 0, describedBmi: 0 };
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const dir = join(base, String(run++));
        mkdirSync(join(dir, 'in'), { recursive: true });
        s.files.forEach((rows, f) => {
          const lines = ['patient_id,region,flag,events,bmi', ...rows.map((r, i) => `${i},"${r.group}",${r.flag},${r.count},${r.bmi}`)];
          writeFileSync(join(dir, 'in', `input_${DATES[f]}.csv`), `${lines.join('\n')}\n`);
        });
        const definitions = {
          disclosure_control: s.rule,
          ...(s.minGroupSize === undefined ? {} : { min_group_size: s.minGroupSize }),
          measures: [
            { id: 'flags', numerator: 'flag', denominator: 'population', group_by: 'region', confidence_interval: true },
            { id: 'events', numerator: 'events', denominator: 'flag', group_by: 'region', confidence_interval: true },
            { id: 'all', numerator: 'flag', denominator: 'population' },
            // Standardised over the regions, every one weighted: its strata are released first.
            { id: 'std', numerator: 'flag', denominator: 'population', confidence_interval: true, standardise: { by: 'region', weights: Object.fromEntries(GROUPS.map((g) => [g, 1])) } },
          ],
        };
        writeFileSync(join(dir, 'defs.json'), JSON.stringify(definitions));
        const out = join(dir, 'out');
        const summary = await runMeasures({ definitions: join(dir, 'defs.json'), cohort: join(dir, 'in/*.csv'), outputDir: join(out, 'measures'), jobs: 1, progress: false });
        if (summary.leftOut.length > 0) reached.leftOut++;
        await runDescribe({
          cohort: join(dir, 'in/*.csv'),
          measures: join(out, 'measures/measure_*.csv'),
          tablesDir: join(out, 'tables'),
          graphsDir: join(out, 'graphs'),
          jobs: 1,
          progress: false,
        });

        const any = await checkPaths([out], { rule: 'any' });
        expect(any.files.flatMap((f) => f.problems.map((p) => `${f.path}: ${p}`))).toEqual([]);
        // Only a group value a spreadsheet would run is worth a warning.
        expect(any.files.flatMap((f) => f.warnings).filter((w) => !w.includes('"=1+1" starts with "="'))).toEqual([]);
        if (s.rule !== 'suppress') {
          const own = await checkPaths([join(out, 'measures')], { rule: s.rule });
          expect(own.problems).toBe(0);
        }
        const measuresText = readdirSync(join(out, 'measures')).map((name) => readFileSync(join(out, 'measures', name), 'utf8')).join('');
        if (/,,/.test(measuresText)) reached.blanked++;
        if (/bmi,numeric,,mean,\d/.test(readFileSync(join(out, 'tables', 'descriptive_statistics_summary.csv'), 'utf8'))) reached.describedBmi++;
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 80 },
    );
    for (const [what, times] of Object.entries(reached)) expect(times, what).toBeGreaterThan(0);
  });
});
