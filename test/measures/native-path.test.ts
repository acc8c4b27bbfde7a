// The compiled count path against the JavaScript one, through the CLI: the same cohort files
// (quoted values with commas, doubled quotes and line breaks, CRLF, a byte-order mark, blank
// lines, a last row without a line end, long and non-ASCII group values, counts above 1, empty
// cells, gzip) give byte-for-byte the same measure files; a bad cell gives the same message;
// and where the compiled path was built, it loads.

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compiledPaths } from '../../src/csv/compiled.js';
import { checkDefinitions } from '../../src/measures/definitions.js';
import { planMeasures } from '../../src/measures/plan.js';
import { BIN, ROOT, snapshot, tempDir } from '../helpers.js';
import { chunksOf } from '../csv/corpus.js';
import { countChunks, givenUp } from './count-chunks.js';
import type { FileCounts } from '../../src/measures/file-counter.js';

const DEFS = JSON.stringify({
  disclosure_control: 'none',
  measures: [
    { id: 'by_region', numerator: 'flag', denominator: 'population', group_by: 'region' },
    { id: 'by_band_sex', numerator: 'flag', denominator: 'eligible', group_by: ['band', 'sex'] },
    { id: 'visits', numerator: 'visits', denominator: 'population', group_by: ['sex', 'region'] },
    { id: 'overall', numerator: 'flag', denominator: 'eligible' },
  ],
});

const REGIONS = ['North', '"South, East"', '"The ""Midlands"""', 'Île-de-France', '"A region with a name longer than sixteen bytes"', '"two\nlines"', ''];

/** A deterministic cohort file of `rows` rows (mulberry32), with the given line end. */
function cohort(seed: number, rows: number, eol: string): string {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;
  const lines = ['patient_id,region,band,sex,flag,eligible,visits,note'];
  for (let row = 0; row < rows; row++) {
    lines.push([row, pick(REGIONS), pick(['0-17', '18-64', '65+']), pick(['F', 'M', '"F"']), pick(['0', '1', '1', '', '"1"']), pick(['1', '1', '0']), pick(['0', '1', '2', '17', '']), pick(['', 'x', '"y,z"'])].join(','));
    if (row % 997 === 5) lines.push('');
  }
  return lines.join(eol);
}

function measures(dir: string, out: string, native: boolean) {
  const env = { ...process.env, ANALYSE_NATIVE: native ? '1' : '0' };
  return spawnSync(process.execPath, [BIN, 'measures', '--definitions', join(dir, 'defs.json'), '--cohort', join(dir, 'input_*'), '--output-dir', join(dir, out)], { env, encoding: 'utf8', cwd: ROOT });
}

describe('the compiled count path', () => {
  it('is built where npm ci built it, and loads', () => {
    if (!existsSync(join(ROOT, 'build', 'Release', 'analyse.node'))) {
      console.warn('build/Release/analyse.node is not there (no C compiler when npm ci ran?): only the JavaScript count path is tested');
      return;
    }
    expect(compiledPaths()).not.toBeNull();
  });

  it('writes byte-for-byte the measure files the JavaScript path writes', () => {
    const dir = tempDir({
      'defs.json': DEFS,
      'input_2021-01-01.csv': cohort(1, 4000, '\n') + '\n',
      'input_2021-02-01.csv': cohort(2, 4000, '\r\n'), // no line end after the last row
      'input_2021-03-01.csv': '\ufeff' + cohort(3, 4000, '\n') + '\n\n',
      'input_2021-04-01.csv.gz': gzipSync(cohort(4, 4000, '\r\n') + '\r\n'),
    });
    const js = measures(dir, 'js', false);
    const native = measures(dir, 'native', true);
    expect(js.stderr).toBe('');
    expect(js.status).toBe(0);
    expect(native.status).toBe(0);
    const written = snapshot(join(dir, 'native'));
    expect(Object.keys(written).length).toBeGreaterThan(10);
    expect(written).toEqual(snapshot(join(dir, 'js')));
    // Both read every row: 4 files of 4,000.
    expect(native.stdout).toContain('16,000 rows');
  });

  it('reads such files itself, without handing them to the JavaScript path', () => {
    if (compiledPaths() === null) return;
    const { measures } = checkDefinitions(JSON.parse(DEFS), 'defs.json');
    const plan = planMeasures(measures);
    const before = givenUp.count;
    for (const [seed, csv] of [[5, cohort(5, 3000, '\n') + '\n'], [6, cohort(6, 3000, '\r\n')], [7, '\ufeff' + cohort(7, 3000, '\n') + '\n\n']] as const) {
      for (const size of [7, 4096, 1 << 20]) expect(countChunks(`c${seed}.csv`, measures, plan, chunksOf(csv, size), 'native').rows).toBe(3000);
    }
    expect(givenUp.count).toBe(before);
  });

  it('leaves a bad cell to the JavaScript path, which names its file, line and column', () => {
    const good = cohort(4, 3000, '\n');
    const lines = good.split('\n');
    lines[2500] = lines[2500]!.replace(/,(0|1|2|17|),(""|x|"y,z")$/, ',2.5,$2');
    const dir = tempDir({ 'defs.json': DEFS, 'input_2021-01-01.csv': lines.join('\n') + '\n' });
    const js = measures(dir, 'js', false);
    const native = measures(dir, 'native', true);
    expect(js.status).toBe(2);
    expect(js.stderr).toMatch(/input_2021-01-01\.csv, line \d+, column "visits": expected a count .* but found "2\.5"/);
    expect(native.status).toBe(2);
    expect(native.stderr).toBe(js.stderr);
  });

  it('adds each row with its own counts when its flag pattern or group makes the tallies be laid out again', () => {
    // Rows of 0/1 counts are tallied per group and flag pattern. A new pattern past the tallies'
    // room, or a group past it, flushes them; a grouping with too many groups for tallies (here
    // practice by region, 1,500 groups, once 8 flags make hundreds of patterns) adds its rows
    // directly, with the counts of the row being added, not those of the last pattern flushed.
    const flags = ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7'];
    const { measures } = checkDefinitions(
      {
        disclosure_control: 'none',
        measures: [
          ...flags.map((flag) => ({ id: `${flag}_by_practice`, numerator: flag, denominator: 'population', group_by: ['practice', 'region'] })),
          { id: 'f0_by_region', numerator: 'f0', denominator: 'population', group_by: 'region' },
        ],
      },
      'defs.json',
    );
    const plan = planMeasures(measures);
    let a = 7;
    const next = () => (a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const lines = [['practice', 'region', ...flags].join(',')];
    for (let row = 0; row < 6000; row++) lines.push([`P${Math.floor(next() * 300)}`, `R${Math.floor(next() * 5)}`, ...flags.map(() => (next() < 0.5 ? '1' : '0'))].join(','));
    const csv = lines.join('\n') + '\n';
    const bySums = (counts: FileCounts) =>
      new Map(measures.flatMap((measure, m) => counts.groups[plan.measures[m]!.grouping]!.map((values, i) => [`${measure.id} ${values.join('/')}`, [counts.sums[m]!.numerators[i], counts.sums[m]!.denominators[i]]] as const)));
    const before = givenUp.count;
    const native = countChunks('p.csv', measures, plan, chunksOf(csv, 1 << 16), 'native');
    expect(givenUp.count).toBe(before);
    expect(bySums(native)).toEqual(bySums(countChunks('p.csv', measures, plan, chunksOf(csv, 1 << 16), 'javascript')));
  });

  it('reads rows of 1,500 fields itself, wanted cells among them near the end, as the JavaScript path does', () => {
    // A plain row's delimiters are listed in a room the size of the header: on the stack up to
    // about 1,000 fields, from the heap past that.
    const names = Array.from({ length: 1500 }, (_, k) => (k === 3 ? 'region' : k === 1200 ? 'flag' : k === 1499 ? 'visits' : `x${k}`));
    const { measures } = checkDefinitions(
      {
        disclosure_control: 'none',
        measures: [
          { id: 'flag', numerator: 'flag', denominator: 'population', group_by: 'region' },
          { id: 'visits', numerator: 'visits', denominator: 'population', group_by: 'region' },
        ],
      },
      'defs.json',
    );
    const plan = planMeasures(measures);
    const lines = [names.join(',')];
    for (let row = 0; row < 300; row++) lines.push(names.map((name, k) => (name === 'region' ? `R${row % 4}` : name === 'flag' ? String(row % 2) : name === 'visits' ? String(row % 5) : k % 7 === 0 ? '' : `v${row}`)).join(','));
    const csv = lines.join('\r\n') + '\r\n';
    const before = givenUp.count;
    for (const size of [4099, 1 << 16]) {
      const native = countChunks('w.csv', measures, plan, chunksOf(csv, size), 'native');
      expect(givenUp.count).toBe(before);
      expect(native).toEqual(countChunks('w.csv', measures, plan, chunksOf(csv, size), 'javascript'));
      expect(native.rows).toBe(300);
    }
  });

  it('counts rows of more count columns than a flag pattern holds (40) as the JavaScript path does', () => {
    // Past 16 count columns there are no tallies; the pattern is not used, but building it must
    // not shift past 31 bits (undefined behaviour in C: the AddressSanitizer build, which adds
    // -fsanitize=undefined, stops there).
    const columns = Array.from({ length: 40 }, (_, k) => `c${k}`);
    const { measures } = checkDefinitions(
      { disclosure_control: 'none', measures: columns.map((column) => ({ id: column, numerator: column, denominator: 'population', group_by: 'region' })) },
      'defs.json',
    );
    const plan = planMeasures(measures);
    const lines = [['region', ...columns].join(',')];
    for (let row = 0; row < 200; row++) lines.push([`R${row % 3}`, ...columns.map((_, k) => String((row >> k % 8) & 1))].join(','));
    const csv = lines.join('\n') + '\n';
    const before = givenUp.count;
    const native = countChunks('p.csv', measures, plan, [Buffer.from(csv)], 'native');
    expect(givenUp.count).toBe(before);
    expect(native).toEqual(countChunks('p.csv', measures, plan, [Buffer.from(csv)], 'javascript'));
  });
});
