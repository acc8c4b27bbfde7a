import { describe, expect, it } from 'vitest';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runMeasures, type RunMeasuresOptions } from '../../src/measures/run-measures.js';
import { listFiles, readText, tempDir, writeFiles } from '../helpers.js';

type Definitions = { disclosure_control?: string; min_group_size?: number; measures: Array<Record<string, unknown>> };

/** Runs the measures in a fresh folder holding `files` and `defs.json`; returns every measure file's text (not the folder's manifest). */
async function measure(files: Record<string, string | Buffer>, definitions: Definitions, options: Partial<RunMeasuresOptions> = {}) {
  const dir = tempDir({ ...files, 'defs.json': JSON.stringify(definitions) });
  const summary = await runMeasures({ definitions: join(dir, 'defs.json'), cohort: join(dir, 'input_*.csv*'), outputDir: join(dir, 'out'), jobs: 1, progress: false, ...options });
  const outputs = Object.fromEntries(
    listFiles(join(dir, 'out'))
      .map((name) => [name, readText(join(dir, 'out', name))]),
  );
  return { dir, summary, outputs };
}

const none = (measure: Record<string, unknown>): Definitions => ({ disclosure_control: 'none', measures: [measure] });

describe('runMeasures: the tables', () => {
  it('sums numerator and denominator per group and date, writing per-date files and a combined file', async () => {
    const { outputs, summary } = await measure(
      {
        'input_2020-01-01.csv': 'patient_id,care_home_type,flag\n1,PC,1\n2,PC,0\n3,PN,1\n4,PC,1\n',
        'input_2020-02-01.csv': 'patient_id,care_home_type,flag\n1,PN,0\n2,PC,1\n',
      },
      none({ id: 'rate', numerator: 'flag', denominator: 'population', group_by: 'care_home_type' }),
    );
    expect(outputs).toEqual({
      'measure_rate_2020-01-01.csv': 'care_home_type,flag,population,value\nPC,2,3,0.6666666666666666\nPN,1,1,1\n',
      'measure_rate_2020-02-01.csv': 'care_home_type,flag,population,value\nPC,1,1,1\nPN,0,1,0\n',
      'measure_rate.csv': 'care_home_type,flag,population,value,date\nPC,2,3,0.6666666666666666,2020-01-01\nPN,1,1,1,2020-01-01\nPC,1,1,1,2020-02-01\nPN,0,1,0,2020-02-01\n',
    });
    expect(summary).toMatchObject({ rows: 6, measures: 1, skipped: [] });
    expect(summary.files.map((f) => [f.date, f.rows])).toEqual([['2020-01-01', 4], ['2020-02-01', 2]]);
    expect(summary.written.map((p) => p.split('/').pop())).toEqual(['measure_rate_2020-01-01.csv', 'measure_rate_2020-02-01.csv', 'measure_rate.csv']);
  });

  it('counts the numerator only where the denominator is above 0, and adds integer counts', async () => {
    const { outputs } = await measure(
      { 'input_2020-01-01.csv': 'g,num,den\na,1,1\na,1,0\na,3,2\nb,5,0\nb,,\na,0,4\n' },
      none({ id: 'm', numerator: 'num', denominator: 'den', group_by: ['g'] }),
    );
    expect(outputs['measure_m_2020-01-01.csv']).toBe('g,num,den,value\na,4,7,0.5714285714285714\nb,0,0,\n');
  });

  it('makes an empty group value its own group and reads quoted values as their text', async () => {
    const { outputs } = await measure(
      { 'input_2020-01-01.csv': 'region,flag\nLondon,1\n"London",1\n,0\n"",1\n"North, East",1\n"say ""hi""",0\n"two\nlines",1\n' },
      none({ id: 'm', numerator: 'flag', denominator: 'population', group_by: 'region' }),
    );
    expect(outputs['measure_m_2020-01-01.csv']).toBe('region,flag,population,value\n,1,2,0.5\nLondon,2,2,1\n"North, East",1,1,1\n"say ""hi""",0,1,0\n"two\nlines",1,1,1\n');
  });

  it('orders groups by their text in JavaScript string order, column by column, and writes only combinations seen', async () => {
    const { outputs } = await measure(
      { 'input_2020-01-01.csv': 'a,b,n\nb,2,1\na,10,1\nb,1,1\na,9,1\nB,1,1\né,1,1\na,10,1\n' },
      none({ id: 'm', numerator: 'n', denominator: 'population', group_by: ['a', 'b'] }),
    );
    expect(outputs['measure_m_2020-01-01.csv']).toBe('a,b,n,population,value\nB,1,1,1,1\na,10,2,2,1\na,9,1,1,1\nb,1,1,1,1\nb,2,1,1,1\né,1,1,1,1\n');
  });

  it('keeps group_by in the declared order and reads columns wherever they are in each file', async () => {
    const { outputs } = await measure(
      {
        'input_2020-01-01.csv': 'sex,x,region,flag\nF,.,N,1\nM,.,N,0\nF,.,S,1\n',
        'input_2020-02-01.csv': 'flag,region,sex\n1,N,M\n',
      },
      none({ id: 'm', numerator: 'flag', denominator: 'population', group_by: ['region', 'sex'] }),
    );
    expect(outputs['measure_m.csv']).toBe('region,sex,flag,population,value,date\nN,F,1,1,1,2020-01-01\nN,M,0,1,0,2020-01-01\nS,F,1,1,1,2020-01-01\nN,M,1,1,1,2020-02-01\n');
  });

  it('gives one row per date for the whole population, and none for a file without rows', async () => {
    const { outputs } = await measure(
      { 'input_2020-01-01.csv': 'flag\n1\n0\n1\n', 'input_2020-02-01.csv': 'flag\n' },
      none({ id: 'all', numerator: 'flag', denominator: 'population', group_by: 'population' }),
    );
    expect(outputs).toEqual({
      'measure_all_2020-01-01.csv': 'flag,population,value\n2,3,0.6666666666666666\n',
      'measure_all_2020-02-01.csv': 'flag,population,value\n',
      'measure_all.csv': 'flag,population,value,date\n2,3,0.6666666666666666,2020-01-01\n',
    });
  });

  it('writes the column name twice when the numerator is the denominator, so every file has the same layout', async () => {
    const { outputs } = await measure(
      { 'input_2020-01-01.csv': 'g,n\na,2\na,0\nb,0\n' },
      none({ id: 'm', numerator: 'n', denominator: 'n', group_by: 'g' }),
    );
    expect(outputs['measure_m_2020-01-01.csv']).toBe('g,n,n,value\na,2,2,1\nb,0,0,\n');
  });

  it('uses population as numerator too, and many measures over one pass', async () => {
    const { outputs } = await measure(
      { 'input_2020-01-01.csv': 'g,d\na,1\na,0\nb,2\n' },
      {
        disclosure_control: 'none',
        measures: [
          { id: 'p', numerator: 'population', denominator: 'd', group_by: 'g' },
          { id: 'q', numerator: 'd', denominator: 'population' },
        ],
      },
    );
    expect(outputs['measure_p_2020-01-01.csv']).toBe('g,population,d,value\na,1,1,1\nb,1,2,0.5\n');
    expect(outputs['measure_q_2020-01-01.csv']).toBe('d,population,value\n3,3,1\n');
  });

  it('lets a column be one measure\'s numerator and another\'s group', async () => {
    const { outputs } = await measure(
      { 'input_2020-01-01.csv': 'flag,other\n1,1\n0,1\n1,0\n' },
      {
        disclosure_control: 'none',
        measures: [
          { id: 'rate', numerator: 'flag', denominator: 'population' },
          { id: 'by_flag', numerator: 'other', denominator: 'population', group_by: 'flag' },
        ],
      },
    );
    expect(outputs['measure_rate_2020-01-01.csv']).toBe('flag,population,value\n2,3,0.6666666666666666\n');
    expect(outputs['measure_by_flag_2020-01-01.csv']).toBe('flag,other,population,value\n0,1,1,1\n1,1,2,0.5\n');
  });

  it('writes value at full precision in the shortest form that reads back exactly', async () => {
    const rows = ['g,n', ...Array.from({ length: 10 }, (_, i) => `a,${i === 0 ? 1 : 0}`)];
    const { outputs } = await measure({ 'input_2020-01-01.csv': `${rows.join('\n')}\n` }, none({ id: 'm', numerator: 'n', denominator: 'population', group_by: 'g' }));
    expect(outputs['measure_m_2020-01-01.csv']).toBe('g,n,population,value\na,1,10,0.1\n');
    const big = await measure({ 'input_2020-01-01.csv': 'n,d\n1,30000000\n' }, none({ id: 'm', numerator: 'n', denominator: 'd' }));
    expect(big.outputs['measure_m_2020-01-01.csv']).toBe('n,d,value\n1,30000000,3.3333333333333334e-8\n');
  });

  it('reads CRLF files, a byte-order mark, blank lines, a last row without newline, and gzip', async () => {
    const { outputs } = await measure(
      {
        'input_2020-01-01.csv': '\ufeffg,n\r\na,1\r\n\r\nb,0\r\na,1',
        'input_2020-02-01.csv.gz': gzipSync('g,n\na,1\n'),
      },
      none({ id: 'm', numerator: 'n', denominator: 'population', group_by: 'g' }),
    );
    expect(outputs['measure_m.csv']).toBe('g,n,population,value,date\na,2,2,1,2020-01-01\nb,0,1,0,2020-01-01\na,1,1,1,2020-02-01\n');
  });
});

describe('runMeasures: disclosure control', () => {
  const file = (rows: Array<[string, number, number]>) => `g,n,d\n${rows.map(([g, n, d]) => `${g},${n},${d}`).join('\n')}\n`;
  const counts = file([['a', 3, 40], ['b', 7, 8], ['c', 12, 13], ['d', 0, 2], ['e', 6, 100]]);
  // One row per group: the group-size rule is off here (see below), so the rules meet every count.
  const defs = (top: string | undefined, own?: string): Definitions => ({
    ...(top === undefined ? {} : { disclosure_control: top }),
    min_group_size: 0,
    measures: [{ id: 'm', numerator: 'n', denominator: 'd', group_by: 'g', ...(own === undefined ? {} : { disclosure_control: own }) }],
  });

  it('rounds by default: 7 or less becomes 0, then to the nearest 5, value from the rounded counts', async () => {
    const { outputs } = await measure({ 'input_2020-01-01.csv': counts }, defs(undefined));
    expect(outputs['measure_m_2020-01-01.csv']).toBe('g,n,d,value\na,0,40,0\nb,0,10,0\nc,10,15,0.6666666666666666\nd,0,0,\ne,0,100,0\n');
  });

  it('"suppress" blanks small counts per column, and the next smallest, with value empty where a count is blank', async () => {
    const { outputs } = await measure({ 'input_2020-01-01.csv': counts }, defs('suppress'));
    // Numerators: 3 is small (total 3 <= 5), so the smallest above 5 (6) goes too. Denominators: 2 is small, so 8 goes too.
    expect(outputs['measure_m_2020-01-01.csv']).toBe('g,n,d,value\na,,40,\nb,7,,\nc,12,13,0.9230769230769231\nd,0,,\ne,,100,\n');
  });

  it('"suppress" works within each date separately', async () => {
    const { outputs } = await measure(
      { 'input_2020-01-01.csv': file([['a', 2, 10], ['b', 9, 10]]), 'input_2020-02-01.csv': file([['a', 9, 10], ['b', 9, 10]]) },
      defs('suppress'),
    );
    expect(outputs['measure_m.csv']).toBe('g,n,d,value,date\na,,10,,2020-01-01\nb,,10,,2020-01-01\na,9,10,0.9,2020-02-01\nb,9,10,0.9,2020-02-01\n');
  });

  it('"midpoint6": 0 stays 0, any other count x becomes 6·⌈x/6⌉ − 3, value from the released counts', async () => {
    const { outputs } = await measure({ 'input_2020-01-01.csv': counts }, defs('midpoint6'));
    // n: 3 → 3, 7 → 9, 12 → 9, 0 → 0, 6 → 3; d: 40 → 39, 8 → 9, 13 → 15, 2 → 3, 100 → 99.
    expect(outputs['measure_m_2020-01-01.csv']).toBe('g,n,d,value\na,3,39,0.07692307692307693\nb,9,9,1\nc,9,15,0.6\nd,0,3,0\ne,3,99,0.030303030303030304\n');
  });

  it('a measure\'s own rule overrides the top-level one', async () => {
    const { outputs } = await measure({ 'input_2020-01-01.csv': counts }, defs('suppress', 'none'));
    expect(outputs['measure_m_2020-01-01.csv']).toBe('g,n,d,value\na,3,40,0.075\nb,7,8,0.875\nc,12,13,0.9230769230769231\nd,0,2,0\ne,6,100,0.06\n');
  });
});

describe('runMeasures: the group-size rule (min_group_size)', () => {
  /** A cohort file holding `size` rows of each group, every row flagged. */
  const sized = (sizes: Record<string, number>) => `g,n\n${Object.entries(sizes).flatMap(([g, size]) => Array.from({ length: size }, () => `${g},1`)).join('\n')}\n`;

  it('leaves out of every file a group that fewer than 8 rows have on every date, and counts it without naming it', async () => {
    const { outputs, summary } = await measure(
      { 'input_2020-01-01.csv': sized({ a: 20, rare: 7, b: 3 }), 'input_2020-02-01.csv': sized({ a: 20, rare: 1, b: 8 }) },
      { disclosure_control: 'round', measures: [{ id: 'm', numerator: 'n', denominator: 'population', group_by: 'g' }] },
    );
    // b reaches 8 rows in February, so it is written on both dates; rare never does.
    expect(outputs).toEqual({
      'measure_m_2020-01-01.csv': 'g,n,population,value\na,20,20,1\nb,0,0,\n',
      'measure_m_2020-02-01.csv': 'g,n,population,value\na,20,20,1\nb,10,10,1\n',
      'measure_m.csv': 'g,n,population,value,date\na,20,20,1,2020-01-01\nb,0,0,,2020-01-01\na,20,20,1,2020-02-01\nb,10,10,1,2020-02-01\n',
    });
    expect(summary.leftOut).toEqual([{ id: 'm', groups: 1, minGroupSize: 8 }]);
    expect(JSON.stringify(summary)).not.toContain('rare');
  });

  it('counts every cohort row of a group, whether or not it is in the denominator', async () => {
    const rows = ['g,n,d', ...Array.from({ length: 8 }, (_, i) => `a,1,${i === 0 ? 1 : 0}`), 'b,1,1'];
    const { outputs } = await measure({ 'input_2020-01-01.csv': `${rows.join('\n')}\n` }, { disclosure_control: 'none', min_group_size: 8, measures: [{ id: 'm', numerator: 'n', denominator: 'd', group_by: 'g' }] });
    expect(outputs['measure_m_2020-01-01.csv']).toBe('g,n,d,value\na,1,1,1\n');
  });

  it('takes min_group_size from the top or the measure; 0 keeps every group, and "none" defaults to 0', async () => {
    const files = { 'input_2020-01-01.csv': sized({ a: 3, b: 2 }) };
    const measures = [
      { id: 'top', numerator: 'n', denominator: 'population', group_by: 'g' },
      { id: 'own', numerator: 'n', denominator: 'population', group_by: 'g', min_group_size: 0 },
      { id: 'raw', numerator: 'n', denominator: 'population', group_by: 'g', disclosure_control: 'none', min_group_size: 3 },
    ];
    const { outputs, summary } = await measure(files, { disclosure_control: 'suppress', min_group_size: 3, measures });
    expect(outputs['measure_top_2020-01-01.csv']).toBe('g,n,population,value\na,,,\n');
    expect(outputs['measure_own_2020-01-01.csv']).toBe('g,n,population,value\na,,,\nb,,,\n');
    expect(outputs['measure_raw_2020-01-01.csv']).toBe('g,n,population,value\na,3,3,1\n');
    expect(summary.leftOut).toEqual([{ id: 'top', groups: 1, minGroupSize: 3 }, { id: 'raw', groups: 1, minGroupSize: 3 }]);
    const raw = await measure(files, { disclosure_control: 'none', measures: [{ id: 'm', numerator: 'n', denominator: 'population', group_by: 'g' }] });
    expect(raw.outputs['measure_m_2020-01-01.csv']).toBe('g,n,population,value\na,3,3,1\nb,2,2,1\n');
  });

  it('leaves groups out before "suppress", which then works on the rows written', async () => {
    // With c (3 rows) written, 3 would be blanked and then 9, the next smallest; without it, 9 stays.
    const { outputs } = await measure(
      { 'input_2020-01-01.csv': sized({ a: 9, b: 20, c: 3 }) },
      { disclosure_control: 'suppress', min_group_size: 4, measures: [{ id: 'm', numerator: 'n', denominator: 'population', group_by: 'g' }] },
    );
    expect(outputs['measure_m_2020-01-01.csv']).toBe('g,n,population,value\na,9,9,1\nb,20,20,1\n');
  });

  it('writes empty files when every group is left out, the whole population included', async () => {
    const { outputs, summary } = await measure({ 'input_2020-01-01.csv': sized({ a: 5 }) }, { measures: [{ id: 'm', numerator: 'n', denominator: 'population' }] });
    expect(outputs).toEqual({ 'measure_m_2020-01-01.csv': 'n,population,value\n', 'measure_m.csv': 'n,population,value,date\n' });
    expect(summary.leftOut).toEqual([{ id: 'm', groups: 1, minGroupSize: 8 }]);
  });
});

describe('runMeasures: which files', () => {
  it('skips matched files without a date in the name, noting them', async () => {
    const { outputs, summary, dir } = await measure(
      { 'input_2020-01-01.csv': 'n\n1\n', 'input_ethnicity.csv': 'patient_id,ethnicity\n1,2\n' },
      none({ id: 'm', numerator: 'n', denominator: 'population' }),
    );
    expect(summary.skipped).toEqual([join(dir, 'input_ethnicity.csv')]);
    expect(Object.keys(outputs)).toEqual(['measure_m.csv', 'measure_m_2020-01-01.csv']);
  });

  it('creates a missing output folder, and never reads its own earlier outputs as cohort files', async () => {
    const dir = tempDir({ 'input_2020-01-01.csv': 'n\n1\n', 'defs.json': JSON.stringify(none({ id: 'm', numerator: 'n', denominator: 'population' })) });
    const options = { definitions: join(dir, 'defs.json'), cohort: join(dir, '**/*.csv'), outputDir: join(dir, 'deep/out'), jobs: 1, progress: false };
    await runMeasures(options);
    const again = await runMeasures(options);
    expect(again.files.map((f) => f.path)).toEqual([join(dir, 'input_2020-01-01.csv')]);
    expect(listFiles(join(dir, 'deep/out'))).toEqual(['measure_m.csv', 'measure_m_2020-01-01.csv']);
  });

  it('removes the measure files of an earlier run that it does not write again, and nothing else', async () => {
    const dir = tempDir({
      'input_2020-01-01.csv': 'n\n1\n',
      'input_2020-02-01.csv': 'n\n1\n',
      'defs.json': JSON.stringify({ disclosure_control: 'none', measures: [{ id: 'kept', numerator: 'n', denominator: 'population' }, { id: 'dropped', numerator: 'n', denominator: 'population' }] }),
      'out/notes.txt': "the researcher's own file",
      'out/measures.json': 'not a measure file',
      'out/sub/measure_other.csv': 'in a folder below: not touched',
    });
    const run = (cohort: string) => runMeasures({ definitions: join(dir, 'defs.json'), cohort: join(dir, cohort), outputDir: join(dir, 'out'), jobs: 1, progress: false });
    await run('input_*.csv');
    writeFiles(dir, { 'out/measure_by_hand.csv': 'a measure file copied in', 'out/measures.csv': 'an ehrQL file of an earlier run' });
    // The same definitions file, now with one measure fewer, over one month fewer.
    writeFiles(dir, { 'defs.json': JSON.stringify(none({ id: 'kept', numerator: 'n', denominator: 'population' })) });
    const summary = await run('input_2020-01-01.csv');
    expect(summary.removed.map((p) => basename(p)).sort()).toEqual([
      'measure_by_hand.csv',
      'measure_dropped.csv',
      'measure_dropped_2020-01-01.csv',
      'measure_dropped_2020-02-01.csv',
      'measure_kept_2020-02-01.csv',
      'measures.csv',
    ]);
    expect(listFiles(join(dir, 'out'))).toEqual(['measure_kept.csv', 'measure_kept_2020-01-01.csv', 'measures.json', 'notes.txt', 'sub/measure_other.csv']);
  });

  it('groups by columns named after Object properties like any other', async () => {
    const { outputs } = await measure(
      { 'input_2020-01-01.csv': 'constructor,__proto__,toString,flag\nx,a,p,1\ny,b,q,0\nx,a,p,1\n' },
      none({ id: 'm', numerator: 'flag', denominator: 'population', group_by: ['constructor', '__proto__', 'toString'] }),
    );
    expect(outputs['measure_m.csv']).toBe('constructor,__proto__,toString,flag,population,value,date\nx,a,p,2,2,1,2020-01-01\ny,b,q,0,1,0,2020-01-01\n');
  });

  it('gives the same bytes in worker threads as in one thread, over files spanning many chunks', async () => {
    const regions = ['London', '"North, East"', '', 'South West', '"quoted ""x"""', 'Yorkshire and the Humber'];
    const files: Record<string, string> = {};
    for (let month = 1; month <= 3; month++) {
      const rows = ['patient_id,care_home_type,region,flag,count,note'];
      for (let i = 0; i < 60_000; i++) {
        const note = i % 1000 === 0 ? '"multi\nline, note"' : `n${i}`;
        rows.push(`${i},${['PC', 'PN', 'U'][(i * month) % 3]},${regions[(i * 7) % regions.length]},${(i * 13) % 5 === 0 ? 1 : 0},${i % 4 === 0 ? '' : i % 7},${note}`);
      }
      files[`input_2020-0${month}-01.csv`] = `${rows.join('\n')}\n`;
    }
    const definitions: Definitions = {
      disclosure_control: 'none',
      measures: [
        { id: 'by_region', numerator: 'flag', denominator: 'population', group_by: 'region' },
        { id: 'by_both', numerator: 'count', denominator: 'flag', group_by: ['care_home_type', 'region'] },
        { id: 'overall', numerator: 'flag', denominator: 'count' },
      ],
    };
    const one = await measure(files, definitions, { jobs: 1 });
    const two = await measure(files, definitions, { jobs: 2 });
    expect(two.outputs).toEqual(one.outputs);
    expect(one.summary.rows).toBe(180_000);
    // Two tables against a naive count: flags only where the count (the denominator) is above 0.
    let flags = 0;
    let total = 0;
    for (let i = 0; i < 60_000; i++) {
      const count = i % 4 === 0 ? 0 : i % 7;
      if (count > 0 && (i * 13) % 5 === 0) flags++;
      total += count;
    }
    expect(one.outputs['measure_overall_2020-01-01.csv']).toBe(`flag,count,value\n${flags},${total},${String(flags / total)}\n`);
    expect(one.outputs['measure_by_region_2020-01-01.csv']!.split('\n')[1]).toBe(`,2000,10000,0.2`);
  });
});
