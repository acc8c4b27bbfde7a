import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runMeasures, type RunMeasuresOptions } from '../../src/measures/run-measures.js';
import { checkPaths } from '../../src/release/check/check-paths.js';
import { cli, listFiles, readText, tempDir, userError, writeFiles } from '../helpers.js';

type Definitions = { disclosure_control?: string; min_group_size?: number; measures: Array<Record<string, unknown>> };

const COHORTS = {
  'in/input_2021-01-01.csv': 'sex,region,flag,items\nF,London,1,2\nM,London,0,0\nF,North,1,1\nF,London,0,3\n',
  'in/input_2021-02-01.csv': 'sex,region,flag,items\nM,North,1,1\nF,London,1,0\n',
  'in/input_2021-03-01.csv': 'sex,region,flag,items\nM,North,0,0\n',
};

const DEFINITIONS: Definitions = {
  disclosure_control: 'none',
  measures: [
    { id: 'by_sex', numerator: 'flag', denominator: 'population', group_by: 'sex' },
    { id: 'by_region_sex', numerator: 'flag', denominator: 'population', group_by: ['region', 'sex'] },
    { id: 'items', numerator: 'items', denominator: 'population' },
  ],
};

async function measure(definitions: Definitions, options: Partial<RunMeasuresOptions> = {}, dir = tempDir(COHORTS)) {
  writeFiles(dir, { 'defs.json': JSON.stringify(definitions) });
  const summary = await runMeasures({ definitions: join(dir, 'defs.json'), cohort: join(dir, 'in/input_*.csv'), outputDir: join(dir, 'out'), jobs: 1, progress: false, ...options });
  return { dir, summary, files: () => listFiles(join(dir, 'out')).filter((name) => !name.startsWith('.')) };
}

describe('measures --format ehrql', () => {
  it('writes one measures.csv: interval ends from the series of dates, ratio, every group column in order of first use', async () => {
    const { dir, summary, files } = await measure(DEFINITIONS, { format: 'ehrql' });
    expect(files()).toEqual(['measures.csv']);
    expect(summary.written).toEqual([join(dir, 'out/measures.csv')]);
    expect(readText(join(dir, 'out/measures.csv'))).toBe(
      [
        'measure,interval_start,interval_end,ratio,numerator,denominator,sex,region',
        'by_sex,2021-01-01,2021-01-31,0.6666666666666666,2,3,F,',
        'by_sex,2021-01-01,2021-01-31,0,0,1,M,',
        'by_sex,2021-02-01,2021-02-28,1,1,1,F,',
        'by_sex,2021-02-01,2021-02-28,1,1,1,M,',
        'by_sex,2021-03-01,2021-03-31,0,0,1,M,',
        'by_region_sex,2021-01-01,2021-01-31,0.5,1,2,F,London',
        'by_region_sex,2021-01-01,2021-01-31,0,0,1,M,London',
        'by_region_sex,2021-01-01,2021-01-31,1,1,1,F,North',
        'by_region_sex,2021-02-01,2021-02-28,1,1,1,F,London',
        'by_region_sex,2021-02-01,2021-02-28,1,1,1,M,North',
        'by_region_sex,2021-03-01,2021-03-31,0,0,1,M,North',
        'items,2021-01-01,2021-01-31,1.5,6,4,,',
        'items,2021-02-01,2021-02-28,0.5,1,2,,',
        'items,2021-03-01,2021-03-31,0,0,1,,',
        '',
      ].join('\n'),
    );
  });

  it('holds the same rows as the cohort-extractor format, counts released the same way', async () => {
    const definitions: Definitions = { measures: [{ id: 'm', numerator: 'flag', denominator: 'population', group_by: 'sex' }], min_group_size: 0 };
    const cohorts = { 'in/input_2021-01-01.csv': `sex,flag\n${'F,1\n'.repeat(23)}${'F,0\n'.repeat(30)}${'M,1\n'.repeat(3)}` };
    const ehrql = await measure(definitions, { format: 'ehrql' }, tempDir(cohorts));
    const extractor = await measure(definitions, {}, tempDir(cohorts));
    expect(readText(join(extractor.dir, 'out/measure_m.csv'))).toBe('sex,flag,population,value,date\nF,25,55,0.45454545454545453,2021-01-01\nM,0,0,,2021-01-01\n');
    expect(readText(join(ehrql.dir, 'out/measures.csv'))).toBe(
      'measure,interval_start,interval_end,ratio,numerator,denominator,sex\nm,2021-01-01,2021-01-01,0.45454545454545453,25,55,F\nm,2021-01-01,2021-01-01,,0,0,M\n',
    );
  });

  it('refuses a group column named like one of the file\'s own columns, naming the key in the definitions, and --combined-only', async () => {
    const clash = await userError(measure({ measures: [{ id: 'm', numerator: 'flag', denominator: 'population', group_by: ['sex', 'ratio'] }] }, { format: 'ehrql' }));
    expect(clash.message).toMatch(/defs\.json: measures\[0\]\.group_by\[1\]: the ehrQL measures file has its own "ratio" column, so no group column can be called that \(--format ehrql\)$/);
    const both = await userError(measure(DEFINITIONS, { format: 'ehrql', combinedOnly: true }));
    expect(both.message).toMatch(/^--combined-only: the ehrQL format is one measures\.csv with every date/);
  });

  it('runs from the command line, with --format checked by the parser', async () => {
    const dir = tempDir({ ...COHORTS, 'defs.json': JSON.stringify(DEFINITIONS) });
    const args = ['measures', '--definitions', 'defs.json', '--cohort', 'in/input_*.csv', '--output-dir', 'out'];
    const result = await cli([...args, '--format', 'ehrql', '--jobs', '1'], dir);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/\nmeasures: 3 cohort files, 7 rows, 3 measures, 1 file written to out in /);
    const wrong = await cli([...args, '--format', 'ehrQL'], dir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("argument 'ehrQL' is invalid. Allowed choices are cohort-extractor, ehrql.");
  });
});

describe('measures --combined-only', () => {
  it('writes only the combined measure_<id>.csv files', async () => {
    const { files, dir } = await measure(DEFINITIONS, { combinedOnly: true });
    expect(files()).toEqual(['measure_by_region_sex.csv', 'measure_by_sex.csv', 'measure_items.csv']);
    expect(readText(join(dir, 'out/measure_items.csv'))).toBe('items,population,value,date\n6,4,1.5,2021-01-01\n1,2,0.5,2021-02-01\n0,1,0,2021-03-01\n');
  });
});

describe('measure files of an earlier run', () => {
  it('removes those of a measure no longer defined, and touches nothing else in the folder', async () => {
    const first = await measure(DEFINITIONS);
    writeFiles(first.dir, { 'out/notes.txt': 'mine\n', 'out/rates.csv': 'a\n1\n', 'out/measure_notes.md': 'x\n' });
    const { summary, files, dir } = await measure({ ...DEFINITIONS, measures: [DEFINITIONS.measures[0]!] }, {}, first.dir);
    expect(files()).toEqual(['measure_by_sex.csv', 'measure_by_sex_2021-01-01.csv', 'measure_by_sex_2021-02-01.csv', 'measure_by_sex_2021-03-01.csv', 'measure_notes.md', 'notes.txt', 'rates.csv']);
    expect(summary.removed.map((path) => path.slice(dir.length + 5))).toEqual([
      'measure_by_region_sex.csv',
      'measure_by_region_sex_2021-01-01.csv',
      'measure_by_region_sex_2021-02-01.csv',
      'measure_by_region_sex_2021-03-01.csv',
      'measure_items.csv',
      'measure_items_2021-01-01.csv',
      'measure_items_2021-02-01.csv',
      'measure_items_2021-03-01.csv',
    ]);
  });

  it('removes the per-date files once --combined-only is given, and the other format\'s files when --format changes', async () => {
    const first = await measure(DEFINITIONS);
    const combined = await measure(DEFINITIONS, { combinedOnly: true }, first.dir);
    expect(combined.files()).toEqual(['measure_by_region_sex.csv', 'measure_by_sex.csv', 'measure_items.csv']);
    const ehrql = await measure(DEFINITIONS, { format: 'ehrql' }, first.dir);
    expect(ehrql.files()).toEqual(['measures.csv']);
    const back = await measure(DEFINITIONS, { combinedOnly: true }, first.dir);
    expect(back.files()).toEqual(['measure_by_region_sex.csv', 'measure_by_sex.csv', 'measure_items.csv']);
  });

  it('removes every measure file it does not write: an earlier measure, one copied in, an ehrQL measures.csv', async () => {
    const dir = tempDir({ ...COHORTS, 'out/measure_gone.csv': 'flag,population,value,date\n', 'out/measure_items_2020-01-01.csv': 'x\n', 'out/measures.csv': 'from ehrQL\n' });
    const { files } = await measure(DEFINITIONS, { combinedOnly: true }, dir);
    expect(files()).toEqual(['measure_by_region_sex.csv', 'measure_by_sex.csv', 'measure_items.csv']);
  });
});

describe('the release limit of 5,000 rows', () => {
  /** One cohort file per date, each with `groups` distinct values of `code`. */
  const manyGroups = (dates: string[], groups: number) =>
    Object.fromEntries(dates.map((date) => [`in/input_${date}.csv`, `code,flag\n${Array.from({ length: groups }, (_, i) => `c${i},${i % 2}`).join('\n')}\n`]));
  const byCode: Definitions = { disclosure_control: 'none', measures: [{ id: 'by_code', numerator: 'flag', denominator: 'population', group_by: 'code' }] };

  it('warns when a combined file would be longer, suggesting its per-date files', async () => {
    const { summary } = await measure(byCode, {}, tempDir(manyGroups(['2021-01-01', '2021-02-01'], 2600)));
    expect(summary.warnings).toEqual([
      'measure_by_code.csv: 5,200 rows, over the 5,000-row limit on a released CSV, so the job runner would not release it; release its per-date files instead (at most 2,600 rows each), or cover fewer dates or fewer groups',
    ]);
    const combinedOnly = await measure(byCode, { combinedOnly: true }, tempDir(manyGroups(['2021-01-01', '2021-02-01'], 2600)));
    expect(combinedOnly.summary.warnings).toEqual([expect.stringContaining('; drop --combined-only and release the per-date files (at most 2,600 rows each)')]);
  });

  it('warns when one date alone has more groups, suggesting coarser groups', async () => {
    const { summary } = await measure(byCode, {}, tempDir(manyGroups(['2021-01-01'], 5001)));
    expect(summary.warnings).toEqual([
      'measure_by_code.csv: 5,001 rows, and up to 5,001 groups on one date, over the 5,000-row limit on a released CSV, so the job runner would not release it, nor its per-date files; group by_code by fewer or coarser columns, or raise min_group_size',
    ]);
  });

  it('warns of a measures.csv over the limit (analyse check then reports it), and prints warnings on stderr', async () => {
    const dir = tempDir({ ...manyGroups(['2021-01-01', '2021-02-01'], 2600), 'defs.json': JSON.stringify(byCode) });
    const result = await cli(['measures', '--definitions', 'defs.json', '--cohort', 'in/input_*.csv', '--output-dir', 'out', '--format', 'ehrql', '--jobs', '1'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'analyse: warning: measures.csv: 5,200 rows, over the 5,000-row limit on a released CSV, so the job runner would not release it; by_code alone has 5,200 rows: use --format cohort-extractor and release its per-date files (at most 2,600 rows each), or cover fewer dates or fewer groups\n',
    );
    const report = await checkPaths([join(dir, 'out/measures.csv')], { rule: 'round' });
    expect(report.files[0]!.problems).toContain('it has 5,200 data rows, over the 5,000-row limit');
    const { summary } = await measure(DEFINITIONS, { format: 'ehrql' });
    expect(summary.warnings).toEqual([]);
  });

  it('suggests splitting the measures when each fits alone but not all together', async () => {
    const twice: Definitions = { ...byCode, measures: [byCode.measures[0]!, { id: 'by_code_again', numerator: 'flag', denominator: 'population', group_by: 'code' }] };
    const { summary } = await measure(twice, { format: 'ehrql' }, tempDir(manyGroups(['2021-01-01'], 2600)));
    expect(summary.warnings).toEqual([
      'measures.csv: 5,200 rows, over the 5,000-row limit on a released CSV, so the job runner would not release it; split the measures over several definitions files, each run into its own --output-dir (the largest, by_code, has 2,600 rows), or use --format cohort-extractor for a file per measure',
    ]);
  });
});
