import { describe as group, expect, it } from 'vitest';
import { join } from 'node:path';
import { runDescribe } from '../../src/describe/describe.js';
import { runMeasures } from '../../src/measures/run-measures.js';
import { checkPaths } from '../../src/release/check/check-paths.js';
import { listFiles, readText, tempDir, userError } from '../helpers.js';

// ehrQL's documented example of a measures file with two measures (atorvastatin 80mg among
// atorvastatin prescriptions, by sex and by age band), with counts rounded as ehrQL's default
// disclosure control ("round") leaves them.
const MEASURES_CSV =
  'measure,interval_start,interval_end,ratio,numerator,denominator,sex,age_band\n' +
  'atorva_80,2022-01-01,2022-01-31,0.2,20,100,male,\n' +
  'atorva_80,2022-01-01,2022-01-31,0.1,10,100,female,\n' +
  'atorva_80,2022-02-01,2022-02-28,0.25,25,100,male,\n' +
  'atorva_80,2022-02-01,2022-02-28,0,0,90,female,\n' +
  'atorva_80_by_age,2022-01-01,2022-01-31,0.15,15,100,,0-19\n' +
  'atorva_80_by_age,2022-01-01,2022-01-31,0.5,50,100,,40-59\n' +
  'atorva_80_by_age,2022-02-01,2022-02-28,0.2,20,100,,0-19\n';

async function describeMeasures(files: Record<string, string>, pattern = 'm/*.csv', notForRelease = false) {
  const dir = tempDir(files);
  const summary = await runDescribe({ measures: join(dir, pattern), graphsDir: join(dir, 'g'), jobs: 1, progress: false, notForRelease });
  return { dir, summary, graph: (name: string) => readText(join(dir, 'g', name)) };
}

group('describe: ehrQL measures files', () => {
  it('charts every measure of a file in ehrQL\'s documented layout, dated by interval_start, grouped by the columns it uses', async () => {
    const { dir, summary, graph } = await describeMeasures({ 'm/measures.csv': MEASURES_CSV });
    expect(summary.charts).toBe(2);
    expect(listFiles(join(dir, 'g'))).toEqual([
      'atorva_80.html',
      'atorva_80.svg',
      'atorva_80.vl.json',
      'atorva_80_by_age.html',
      'atorva_80_by_age.svg',
      'atorva_80_by_age.vl.json',
      'dashboard.html',
    ]);
    const bySex = JSON.parse(graph('atorva_80.vl.json'));
    expect(bySex.title.subtitle).toBe('numerator per denominator, by sex');
    expect(bySex.encoding.color.title).toBe('sex');
    expect(bySex.data.values.map((d: { date: string; group: string; value: number }) => [d.date, d.group, d.value])).toEqual([
      ['2022-01-01', 'male', 0.2],
      ['2022-01-01', 'female', 0.1],
      ['2022-02-01', 'male', 0.25],
      ['2022-02-01', 'female', 0],
    ]);
    const byAge = graph('atorva_80_by_age.html');
    expect(byAge).toContain('drawn from <code>measures.csv</code>');
    expect(byAge).toContain('<tr><th scope="row">2022-01-01</th><td class="group">40-59</td><td>50</td><td>100</td><td>50.00%</td></tr>');
    expect(byAge).not.toContain('male');
    // Released under "round": the female 0 of February stands for 0 to 7, drawn hollow.
    expect(graph('atorva_80.html')).toContain('a numerator of 0 stands for 0 to 7 patients');
    expect((await checkPaths([join(dir, 'g')], { rule: 'round' })).problems).toBe(0);
  });

  it('refuses counts that fit no released pattern, naming the file, line and column, unless --not-for-release', async () => {
    const raw = MEASURES_CSV.replace('0.2,20,100,male', '0.23,4,17,male');
    const error = await userError(describeMeasures({ 'm/measures.csv': raw }));
    expect(error.message).toMatch(/m\/measures\.csv, line 2, column "numerator": "4" is not a released count/);
    const { graph } = await describeMeasures({ 'm/measures.csv': raw }, 'm/*.csv', true);
    expect(graph('atorva_80.svg').split('\n')[1]).toMatch(/^<!-- NOT FOR RELEASE/);
  });

  it('charts ehrQL and cohort-extractor files together; an id in both is an error naming both files', async () => {
    const both = { 'm/measures.csv': MEASURES_CSV, 'm/measure_other.csv': 'flag,population,value,date\n10,100,0.1,2022-01-01\n' };
    expect((await describeMeasures(both)).summary.charts).toBe(3);
    const twice = { ...both, 'm/measure_atorva_80.csv': 'flag,population,value,date\n10,100,0.1,2022-01-01\n' };
    expect((await userError(describeMeasures(twice))).message).toMatch(/^--measures: .*m\/measure_atorva_80\.csv and .*m\/measures\.csv both hold the measure "atorva_80"$/);
  });

  it('charts what measures --format ehrql wrote, one page per measure', async () => {
    const dir = tempDir({
      'in/input_2021-01-01.csv': `sex,flag\n${'F,1\n'.repeat(20)}${'F,0\n'.repeat(20)}${'M,1\n'.repeat(10)}${'M,0\n'.repeat(30)}`,
      'in/input_2021-02-01.csv': `sex,flag\n${'F,1\n'.repeat(25)}${'F,0\n'.repeat(15)}${'M,1\n'.repeat(15)}${'M,0\n'.repeat(25)}`,
      'defs.json': JSON.stringify({ measures: [{ id: 'by_sex', numerator: 'flag', denominator: 'population', group_by: 'sex' }, { id: 'all', numerator: 'flag', denominator: 'population' }] }),
    });
    await runMeasures({ definitions: join(dir, 'defs.json'), cohort: join(dir, 'in/*.csv'), outputDir: join(dir, 'out'), format: 'ehrql', jobs: 1, progress: false });
    const summary = await runDescribe({ measures: join(dir, 'out/measures.csv'), graphsDir: join(dir, 'g'), jobs: 1, progress: false });
    expect(summary.charts).toBe(2);
    expect(readText(join(dir, 'g/all.html'))).toContain('<tr><th scope="row">2021-02-01</th><td>40</td><td>80</td><td>50.00%</td></tr>');
    expect(readText(join(dir, 'g/by_sex.html'))).toContain('<tr><th scope="row">2021-01-01</th><td class="group">F</td><td>20</td><td>40</td><td>50.00%</td></tr>');
  });
  it('says on the dashboard that an ehrQL file with no rows (every group left out by min_group_size) has nothing to chart, since no row names a measure', async () => {
    const dir = tempDir({
      'in/input_2021-01-01.csv': `sex,flag\n${'F,1\n'.repeat(5)}${'M,0\n'.repeat(5)}`,
      'defs.json': JSON.stringify({ measures: [{ id: 'by_sex', numerator: 'flag', denominator: 'population', group_by: 'sex' }] }),
    });
    await runMeasures({ definitions: join(dir, 'defs.json'), cohort: join(dir, 'in/*.csv'), outputDir: join(dir, 'out'), format: 'ehrql', jobs: 1, progress: false });
    expect(readText(join(dir, 'out/measures.csv'))).toBe('measure,interval_start,interval_end,ratio,numerator,denominator,sex\n');
    const summary = await runDescribe({ measures: join(dir, 'out/measures.csv'), graphsDir: join(dir, 'g'), jobs: 1, progress: false });
    expect(summary.charts).toBe(0);
    expect(listFiles(join(dir, 'g'))).toEqual(['dashboard.html']);
    expect(readText(join(dir, 'g/dashboard.html'))).toContain(
      '<p class="note">Nothing to chart in <code>measures.csv</code>: the measures file has no rows (groups shared by too few patients are left out, and a measure left with no group has no row to name it).</p>',
    );
  });

  it('draws the bands of the measures that have lower and upper, and refuses limits that are not those of the released counts, naming line and column', async () => {
    // Wilson's limits of 10/100 for the first measure; the second leaves lower and upper empty.
    const header = 'measure,interval_start,interval_end,ratio,numerator,denominator,lower,upper,sex\n';
    const file = (limits: string) =>
      header + `with_interval,2022-01-01,2022-01-31,0.1,10,100,${limits},F\n` + 'plain,2022-01-01,2022-01-31,0.2,20,100,,,F\n';
    const { graph } = await describeMeasures({ 'm/measures.csv': file('0.0552291370606751,0.17436566150491345') });
    const withInterval = JSON.parse(graph('with_interval.vl.json'));
    expect(withInterval.layer[0].mark.type).toBe('area');
    expect(withInterval.data.values.map((d: { lower: number; upper: number }) => [d.lower, d.upper])).toEqual([[0.0552291370606751, 0.17436566150491345]]);
    expect(JSON.parse(graph('plain.vl.json')).layer.map((layer: { mark: { type: string } }) => layer.mark.type)).not.toContain('area');
    const error = await userError(describeMeasures({ 'm/measures.csv': file('0.01,0.5') }));
    expect(error.message).toMatch(/m\/measures\.csv, line 2, column "lower": lower and upper are not the 95% interval/);
  });
});
