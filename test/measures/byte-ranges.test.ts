// Counting a file in byte ranges (so one big file uses every core) must give exactly the counts
// of reading it whole, or fall back to reading it whole: never anything else. Checked at every
// split point of the CSV edge-case corpus, where quoted newlines make some splits unsafe.

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { checkDefinitions } from '../../src/measures/definitions.js';
import { planMeasures } from '../../src/measures/plan.js';
import { countFile, type CountTask } from '../../src/measures/count-file.js';
import { countTasks, joinRanges } from '../../src/measures/byte-ranges.js';
import type { FileCounts } from '../../src/measures/file-counter.js';
import { runMeasures } from '../../src/measures/run-measures.js';
import { validCases } from '../csv/corpus.js';
import { readText, tempDir } from '../helpers.js';

function measuresOf(header: readonly string[]) {
  const { measures } = checkDefinitions(
    { disclosure_control: 'none', measures: header.map((column, i) => ({ id: `c${i}`, numerator: 'population', denominator: 'population', group_by: [column] })) },
    'defs.json',
  );
  return { measures, plan: planMeasures(measures) };
}

/** The counts of `path` read in the given tasks and put together (null: the ranges did not meet). */
async function countIn(path: string, tasks: CountTask[], header: readonly string[]) {
  const { measures, plan } = measuresOf(header);
  const run = countFile({ measures, plan });
  const results = [];
  for (const task of tasks) results.push(await run(task, () => {}));
  return joinRanges([path], tasks, results, plan.measures.map((m) => m.grouping))[0]!;
}

describe('counting a file in byte ranges', () => {
  for (const testCase of validCases.filter((c) => c.rows.length > 1)) {
    it(`gives the whole file's counts, or reads it whole, at every split of ${testCase.name}`, async () => {
      const dir = tempDir({ 'c.csv': testCase.csv });
      const path = join(dir, 'c.csv');
      const header = testCase.rows[0]!;
      const whole = await countIn(path, [{ path, range: null }], header);
      const size = Buffer.byteLength(testCase.csv);
      for (let split = 1; split < size; split++) {
        const parts = await countIn(path, [{ path, range: { start: 0, end: split } }, { path, range: { start: split, end: size } }], header);
        if (parts !== null) expect(sorted(parts)).toEqual(sorted(whole!));
      }
    });
  }

  it('meets at every split of a file without quoted newlines, in three ranges too', async () => {
    const csv = 'a,b\n1,x\n2,"y,z"\n3,x\r\n\n4,\n';
    const dir = tempDir({ 'c.csv': csv });
    const path = join(dir, 'c.csv');
    const whole = await countIn(path, [{ path, range: null }], ['a', 'b']);
    for (let s = 1; s < csv.length; s++) {
      for (let t = s + 1; t < csv.length; t++) {
        const ranges = [[0, s], [s, t], [t, csv.length]].map(([start, end]) => ({ path, range: { start: start!, end: end! } }));
        const parts = await countIn(path, ranges, ['a', 'b']);
        // A range that holds no row start (a split inside the last rows) makes the file be read whole.
        if (parts !== null) expect(sorted(parts)).toEqual(sorted(whole!));
      }
    }
    const parts = await countIn(path, [{ path, range: { start: 0, end: 12 } }, { path, range: { start: 12, end: csv.length } }], ['a', 'b']);
    expect(parts).not.toBeNull();
  });

  it('splits files that do not share out evenly among the workers, into ranges of at least the minimum, never a gzip file', async () => {
    const dir = tempDir({ 'a.csv': 'x\n'.repeat(100), 'b.csv.gz': 'x' });
    const [a, b] = [join(dir, 'a.csv'), join(dir, 'b.csv.gz')];
    const whole = (...paths: string[]) => paths.map((path) => ({ path, range: null }));
    expect(await countTasks([a, b], 1, 10)).toEqual(whole(a, b));
    expect(await countTasks([a, b], 2, 10)).toEqual(whole(a, b));
    expect(await countTasks([a, a, b, b], 2, 10)).toEqual(whole(a, a, b, b));
    // One file for two workers: 16 ranges wanted (8 per worker), but none under 50 bytes, so 4.
    expect(await countTasks([a], 2, 50)).toEqual([0, 50, 100, 150].map((start) => ({ path: a, range: { start, end: start + 50 } })));
    // Three files for two workers: 6 ranges per file where the size allows, the gzip file whole.
    const tasks = await countTasks([a, a, b], 2, 10);
    expect(tasks.filter((t) => t.path === a && t.range !== null)).toHaveLength(12);
    expect(tasks.filter((t) => t.path === b)).toEqual(whole(b));
  });

  it('with many files for the workers, cuts only the files left over once each worker has as many whole ones, a range per worker', async () => {
    const dir = tempDir({ 'a.csv': 'x\n'.repeat(100) });
    const a = join(dir, 'a.csv');
    const files = Array.from({ length: 26 }, () => a);
    const tasks = await countTasks(files.slice(0, 25), 2, 10);
    // 24 whole files, 12 for each worker, then the 25th in halves.
    expect(tasks.slice(0, 24)).toEqual(files.slice(0, 24).map((path) => ({ path, range: null })));
    expect(tasks.slice(24)).toEqual([
      { path: a, range: { start: 0, end: 100 } },
      { path: a, range: { start: 100, end: 200 } },
    ]);
    // 3 workers, 26 files: the last 2 files in thirds; a file smaller than that stays whole.
    const three = await countTasks(files, 3, 10);
    expect(three.filter((t) => t.range === null)).toHaveLength(24);
    expect(three.slice(24).map((t) => t.range)).toEqual([0, 66, 133, 0, 66, 133].map((start, i) => ({ start, end: i % 3 === 2 ? 200 : [66, 133][i % 3] })));
    expect((await countTasks(files.slice(0, 25), 2, 150)).every((t) => t.range === null)).toBe(true);
  });

  it('runMeasures on one file split across workers writes what reading it whole writes; a quoted newline at a split falls back', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i},${i % 7 === 0 ? '"multi\nline"' : `g${i % 5}`},${i % 2}\n`).join('');
    const dir = tempDir({ 'input_2020-01-01.csv': `patient_id,group,flag\n${rows}` });
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ disclosure_control: 'none', measures: [{ id: 'f', numerator: 'flag', denominator: 'population', group_by: ['group'] }] }));
    const options = { definitions: join(dir, 'm.json'), cohort: join(dir, 'input_*.csv'), progress: false };
    await runMeasures({ ...options, outputDir: join(dir, 'one'), jobs: 1 });
    await runMeasures({ ...options, outputDir: join(dir, 'two'), jobs: 2, minRangeBytes: 1000 });
    expect(readText(join(dir, 'two', 'measure_f.csv'))).toBe(readText(join(dir, 'one', 'measure_f.csv')));
  });

  it('a file split across workers gives the intervals and standardised rates of reading it whole: a count above 1 in the last range makes the numerator a count', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i},g${i % 3},${65 + (i % 40)},${i === 2990 ? 2 : i % 2}\n`).join('');
    const dir = tempDir({ 'input_2020-01-01.csv': `patient_id,group,age,events\n${rows}` });
    const measure = { id: 'e', numerator: 'events', denominator: 'population', group_by: ['group'], confidence_interval: true, standardise: { by: 'age', weights: 'esp2013' } };
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ measures: [measure] }));
    const options = { definitions: join(dir, 'm.json'), cohort: join(dir, 'input_*.csv'), progress: false };
    await runMeasures({ ...options, outputDir: join(dir, 'one'), jobs: 1 });
    await runMeasures({ ...options, outputDir: join(dir, 'two'), jobs: 2, minRangeBytes: 1000 });
    const whole = readText(join(dir, 'one', 'measure_e.csv'));
    expect(readText(join(dir, 'two', 'measure_e.csv'))).toBe(whole);
    // Byar's interval, not Wilson's: g0 has 500 events among 1000 (the 2 is in g2, but makes the column a count).
    const [, g0] = whole.split('\n');
    expect(g0!.split(',').slice(0, 6).map((cell, i) => (i < 4 ? cell : Number(cell).toFixed(4)))).toEqual(['g0', '500', '1000', '0.5', '0.4571', '0.5458']);
  });

  it('an error found in a range is reported with its true line, as reading the file whole reports it', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i},g${i % 5},${i === 2500 ? 'x' : i % 2}\n`).join('');
    const dir = tempDir({ 'input_2020-01-01.csv': `patient_id,group,flag\n${rows}` });
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ measures: [{ id: 'f', numerator: 'flag', denominator: 'population' }] }));
    const run = runMeasures({ definitions: join(dir, 'm.json'), cohort: join(dir, 'input_*.csv'), outputDir: join(dir, 'out'), jobs: 2, minRangeBytes: 1000, progress: false });
    await expect(run).rejects.toThrow('input_2020-01-01.csv, line 2502, column "flag": expected a count');
  });
});

/** Counts as maps from group to its sums and rows, whatever the order groups were found in. */
function sorted(counts: FileCounts) {
  return {
    rows: counts.rows,
    measures: counts.sums.map((sum, m) => new Map(counts.groups[m]!.map((values, i) => [JSON.stringify(values), [sum.numerators[i], sum.denominators[i]]]))),
    groupRows: counts.groupRows.map((rows, g) => new Map(counts.groups[g]!.map((values, i) => [JSON.stringify(values), rows[i]]))),
    flags: counts.flags,
  };
}
