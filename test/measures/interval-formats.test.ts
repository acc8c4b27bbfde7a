import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runMeasures, type RunMeasuresOptions } from '../../src/measures/run-measures.js';
import { runDescribe } from '../../src/describe/describe.js';
import { checkPaths } from '../../src/release/check/check-paths.js';
import { listFiles, readText, tempDir } from '../helpers.js';

/** `n` rows of one sex and age band, the first `flags` of them with flag 1. */
function rows(sex: string, band: string, flags: number, n: number): string {
  return `${sex},${band},1\n`.repeat(flags) + `${sex},${band},0\n`.repeat(n - flags);
}

// Under the default "round" rule. January: the strata F/old (9 of 20) and M/old (12 of 15) are
// released as 10, so the standardised rates use 10/20 and 10/15, not the raw counts. February: F
// has 10 events in all, but its strata are released as 0 (3) and 0 (7), so its standardised rate
// is empty while its value is not; M has none.
const COHORT = {
  'in/input_2021-01-01.csv': `sex,ageband,flag\n${rows('F', 'young', 10, 30)}${rows('F', 'old', 9, 20)}${rows('M', 'young', 10, 25)}${rows('M', 'old', 12, 15)}`,
  'in/input_2021-02-01.csv': `sex,ageband,flag\n${rows('F', 'young', 3, 30)}${rows('F', 'old', 7, 20)}${rows('M', 'young', 0, 25)}${rows('M', 'old', 0, 15)}`,
  'defs.json': JSON.stringify({
    measures: [
      { id: 'by_sex', numerator: 'flag', denominator: 'population', group_by: 'sex', confidence_interval: true, standardise: { by: 'ageband', weights: { young: 70, old: 30 } } },
      { id: 'overall', numerator: 'flag', denominator: 'population' },
    ],
  }),
};

// Worked independently to 40 digits (mpmath, z = √2·erfinv(0.95)): Wilson for 20/50, 20/40, 10/50
// and 0/40; the standardised rates (0.7 × 10/30 + 0.3 × 10/20, 0.7 × 10/25 + 0.3 × 10/15) with
// Dobson's limits on Byar's for 20 events. The files hold them to within a few units in the last
// place, as double arithmetic leaves them.
const REFERENCE: Array<[written: string, exact: string]> = [
  ['0.27608389730256544', '0.27608389730256539484'],
  ['0.5381856225241063', '0.53818562252410635111'],
  ['0.3833333333333333', '0.38333333333333333333'],
  ['0.23056567250671706', '0.23056567250671702783'],
  ['0.5969311185257375', '0.59693111852573756568'],
  ['0.35199526933465386', '0.35199526933465382147'],
  ['0.6480047306653461', '0.64800473066534617853'],
  ['0.29049588460888875', '0.29049588460888868728'],
  ['0.744962225076728', '0.74496222507672817232'],
  ['0.1124375001577611', '0.1124375001577610975'],
  ['0.33037105932225413', '0.33037105932225414037'],
  ['0.0876216011972866', '0.087621601197286653849'],
];

async function measures(options: Partial<RunMeasuresOptions>) {
  const dir = tempDir(COHORT);
  await runMeasures({ definitions: join(dir, 'defs.json'), cohort: join(dir, 'in/input_*.csv'), outputDir: join(dir, 'out'), jobs: 1, progress: false, ...options });
  return { dir, file: (name: string) => readText(join(dir, 'out', name)) };
}

describe('confidence_interval and standardise in both output formats', () => {
  it('cohort-extractor: lower, upper, standardised_value, standardised_lower, standardised_upper right after value (date last in the combined file)', async () => {
    const { dir, file } = await measures({});
    expect(listFiles(join(dir, 'out')).filter((name) => !name.startsWith('.'))).toEqual([
      'measure_by_sex.csv',
      'measure_by_sex_2021-01-01.csv',
      'measure_by_sex_2021-02-01.csv',
      'measure_overall.csv',
      'measure_overall_2021-01-01.csv',
      'measure_overall_2021-02-01.csv',
    ]);
    expect(file('measure_by_sex.csv')).toBe(
      'sex,flag,population,value,lower,upper,standardised_value,standardised_lower,standardised_upper,date\n' +
        'F,20,50,0.4,0.27608389730256544,0.5381856225241063,0.3833333333333333,0.23056567250671706,0.5969311185257375,2021-01-01\n' +
        'M,20,40,0.5,0.35199526933465386,0.6480047306653461,0.48,0.29049588460888875,0.744962225076728,2021-01-01\n' +
        'F,10,50,0.2,0.1124375001577611,0.33037105932225413,,,,2021-02-01\n' +
        'M,0,40,0,0,0.0876216011972866,,,,2021-02-01\n',
    );
    expect(file('measure_by_sex_2021-02-01.csv')).toBe(
      'sex,flag,population,value,lower,upper,standardised_value,standardised_lower,standardised_upper\n' +
        'F,10,50,0.2,0.1124375001577611,0.33037105932225413,,,\n' +
        'M,0,40,0,0,0.0876216011972866,,,\n',
    );
    // A measure without either keeps the plain layout.
    expect(file('measure_overall.csv')).toBe('flag,population,value,date\n40,90,0.4444444444444444,2021-01-01\n10,90,0.1111111111111111,2021-02-01\n');
  });

  it('ehrQL: the same columns right after denominator, before the group columns, empty for a measure without them', async () => {
    const { dir, file } = await measures({ format: 'ehrql' });
    expect(listFiles(join(dir, 'out')).filter((name) => !name.startsWith('.'))).toEqual(['measures.csv']);
    expect(file('measures.csv')).toBe(
      'measure,interval_start,interval_end,ratio,numerator,denominator,lower,upper,standardised_value,standardised_lower,standardised_upper,sex\n' +
        'by_sex,2021-01-01,2021-01-31,0.4,20,50,0.27608389730256544,0.5381856225241063,0.3833333333333333,0.23056567250671706,0.5969311185257375,F\n' +
        'by_sex,2021-01-01,2021-01-31,0.5,20,40,0.35199526933465386,0.6480047306653461,0.48,0.29049588460888875,0.744962225076728,M\n' +
        'by_sex,2021-02-01,2021-02-28,0.2,10,50,0.1124375001577611,0.33037105932225413,,,,F\n' +
        'by_sex,2021-02-01,2021-02-28,0,0,40,0,0.0876216011972866,,,,M\n' +
        'overall,2021-01-01,2021-01-31,0.4444444444444444,40,90,,,,,,\n' +
        'overall,2021-02-01,2021-02-28,0.1111111111111111,10,90,,,,,,\n',
    );
  });

  it('writes the hand-worked values (to 15 decimal places)', () => {
    for (const [written, exact] of REFERENCE) expect(Number(written)).toBeCloseTo(Number(exact), 15);
  });

  it('describe charts the same bands and standardised rates from either format, and analyse check passes both', async () => {
    const charted = async (format: RunMeasuresOptions['format']) => {
      const { dir } = await measures({ format });
      await runDescribe({ measures: join(dir, format === 'ehrql' ? 'out/measures.csv' : 'out/measure_*.csv'), graphsDir: join(dir, 'g'), jobs: 1, progress: false });
      const report = await checkPaths([join(dir, 'out'), join(dir, 'g')], { rule: 'round' });
      expect(report.files.flatMap((f) => [...f.problems, ...f.warnings])).toEqual([]);
      const spec = (id: string) => JSON.parse(readText(join(dir, 'g', `${id}.vl.json`)));
      return { bySex: spec('by_sex'), overall: spec('overall') };
    };
    const cohortExtractor = await charted('cohort-extractor');
    const ehrql = await charted('ehrql');
    for (const { bySex, overall } of [cohortExtractor, ehrql]) {
      // "flag per population" from the cohort-extractor file, "numerator per denominator" from ehrQL's.
      expect(bySex.title.subtitle).toMatch(/ per [a-z]+, by sex; directly standardised rate; shaded: 95% interval$/);
      expect(bySex.layer[0].mark.type).toBe('area');
      expect(bySex.data.values.map((d: Record<string, unknown>) => [d.date, d.group, d.value, d.lower, d.upper])).toEqual([
        ['2021-01-01', 'F', 0.3833333333333333, 0.23056567250671706, 0.5969311185257375],
        ['2021-01-01', 'M', 0.48, 0.29049588460888875, 0.744962225076728],
        ['2021-02-01', 'F', null, null, null],
        ['2021-02-01', 'M', null, null, null],
      ]);
      // overall has no interval: in measures.csv its lower and upper are empty, so it has none.
      expect(overall.title.subtitle).toMatch(/^[a-z]+ per [a-z]+$/);
      expect(overall.layer.map((layer: { mark: { type: string } }) => layer.mark.type)).not.toContain('area');
    }
    expect(ehrql.bySex.data.values).toEqual(cohortExtractor.bySex.data.values);
  });
});
