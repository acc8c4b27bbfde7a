// Property: whatever the practices, their sizes and prescribing, a cohort taken through measures
// (grouped by practice) and describe (a deciles chart by practice) gives outputs in which no
// practice id appears, in any file, in any form, and which pass analyse check's checker.

import { describe as group, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMeasures } from '../../src/measures/run-measures.js';
import { runDescribe } from '../../src/describe/describe.js';
import { scanReleaseFolder } from '../safety/release-scanner.js';
import { listFiles, tempDir } from '../helpers.js';

const practice = fc.record({
  // Ids no output could hold by chance: three letters no page uses, then five more.
  id: fc.stringMatching(/^[A-Z]{5}$/).map((s) => `QZX${s}`),
  // Mostly practices the group-size rule keeps (8 or more patients), some it leaves out.
  patients: fc.oneof({ arbitrary: fc.integer({ min: 8, max: 40 }), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 7 }), weight: 1 }),
  rate: fc.double({ min: 0, max: 1, noNaN: true }),
});

const scenario = fc.record({
  practices: fc.uniqueArray(practice, { minLength: 6, maxLength: 30, size: 'max', selector: (p) => p.id }),
  dates: fc.integer({ min: 1, max: 3 }),
  rule: fc.constantFrom('round', 'midpoint6', 'suppress'),
  outer: fc.boolean(),
  seed: fc.integer({ min: 1, max: 1e6 }),
});

const DATES = ['2021-01-01', '2021-02-01', '2021-03-01'];

group('deciles (property)', () => {
  it('never writes a practice id, and every output passes analyse check', async () => {
    const base = tempDir();
    let run = 0;
    let withDeciles = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const dir = join(base, String(run++));
        mkdirSync(join(dir, 'in'), { recursive: true });
        let seed = s.seed;
        const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
        for (const date of DATES.slice(0, s.dates)) {
          const lines = ['patient_id,practice,flag'];
          let id = 1;
          for (const p of s.practices) for (let i = 0; i < p.patients; i++) lines.push(`${id++},${p.id},${random() < p.rate ? 1 : 0}`);
          writeFileSync(join(dir, 'in', `input_${date}.csv`), `${lines.join('\n')}\n`);
        }
        writeFileSync(join(dir, 'd.json'), JSON.stringify({ disclosure_control: s.rule, measures: [{ id: 'flag_practice', numerator: 'flag', denominator: 'population', group_by: ['practice'] }] }));
        writeFileSync(join(dir, 'c.json'), JSON.stringify({ deciles: { flag_practice: { by: 'practice', outer_percentiles: s.outer } } }));
        await runMeasures({ definitions: join(dir, 'd.json'), cohort: join(dir, 'in/*.csv'), outputDir: join(dir, 'measures'), jobs: 1, progress: false });
        const out = join(dir, 'out');
        await runDescribe({
          cohort: join(dir, 'in/*.csv'),
          measures: join(dir, 'measures/measure_*.csv'),
          tablesDir: join(out, 'tables'),
          graphsDir: join(out, 'graphs'),
          config: join(dir, 'c.json'),
          jobs: 1,
          progress: false,
        });
        for (const file of listFiles(out)) {
          const text = readFileSync(join(out, file), 'utf8');
          for (const { id } of s.practices) expect(text.includes(id), `${id} in ${file}`).toBe(false);
        }
        expect(await scanReleaseFolder(out)).toEqual([]);
        const table = readFileSync(join(out, 'graphs', 'deciles_table_flag_practice.csv'), 'utf8');
        if (table.split('\n').length > 2) withDeciles++;
      }),
      { numRuns: 40 },
    );
    // The property was tested on outputs with deciles, not only on dates with too few practices.
    expect(withDeciles).toBeGreaterThan(10);
  }, 120_000);
});
