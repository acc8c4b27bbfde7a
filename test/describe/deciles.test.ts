import { describe as group, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { runDescribe, type DescribeOptions } from '../../src/describe/describe.js';
import { decilesTable, percentilesOf } from '../../src/describe/deciles.js';
import { runMeasures } from '../../src/measures/run-measures.js';
import { scanReleaseFolder } from '../safety/release-scanner.js';
import { listFiles, readText, tempDir, userError } from '../helpers.js';

const FIXTURES = join(import.meta.dirname, 'fixtures/deciles');
/** Four dates of practice values (see scripts/deciles-reference.py): 23 practices with ties, blanks and a
 * zero denominator; exactly 10 with a value; exactly 9; 12 that share one value. */
const PRACTICE_RATE = readFileSync(join(FIXTURES, 'measure_practice_rate.csv'), 'utf8');
const COHORT = 'patient_id,practice,sex\n1,1027,F\n2,1177,M\n';

function parse(text: string): string[][] {
  return Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
}

async function run(measures: Record<string, string>, config: unknown, extra: Partial<DescribeOptions> = {}) {
  const files: Record<string, string> = { 'in/input_2021-01-01.csv': COHORT, 'c.json': JSON.stringify(config) };
  for (const [name, content] of Object.entries(measures)) files[`m/${name}`] = content;
  const dir = tempDir(files);
  const summary = await runDescribe({
    cohort: join(dir, 'in/*.csv'),
    measures: join(dir, 'm/measure_*.csv'),
    tablesDir: join(dir, 'tables'),
    graphsDir: join(dir, 'graphs'),
    config: join(dir, 'c.json'),
    jobs: 1,
    progress: false,
    ...extra,
  });
  return { dir, summary, graph: (name: string) => readText(join(dir, 'graphs', name)) };
}

const DECILES = { deciles: { practice_rate: { by: 'practice', outer_percentiles: true } } };

group('decilesTable', () => {
  it('interpolates linearly between the two nearest sorted values, as pandas quantile does, over the values that are not empty', async () => {
    const values = [7, 3, null, 1, 10, 2, 5, null, 9, 4, 8, 6].map((value) => ({ date: '2020-01-01', value: value === null ? null : value / 100 }));
    const { rows } = decilesTable(values, percentilesOf(false));
    // Ten values 0.01..0.10: the p-th percentile sits at position 9p among them.
    expect(rows.map((r) => [r.percentile, Number(r.value.toFixed(12))])).toEqual([
      [10, 0.019], [20, 0.028], [30, 0.037], [40, 0.046], [50, 0.055], [60, 0.064], [70, 0.073], [80, 0.082], [90, 0.091],
    ]);
  });

  it('gives a date with fewer than 10 values no rows, and lists every date', async () => {
    const nine = Array.from({ length: 9 }, (_, i) => ({ date: '2020-02-01', value: i / 10 }));
    const ten = Array.from({ length: 10 }, () => ({ date: '2020-01-01', value: 0.5 }));
    const table = decilesTable([...nine, { date: '2020-02-01', value: null }, ...ten], percentilesOf(false));
    expect(table.dates).toEqual(['2020-01-01', '2020-02-01']);
    expect(table.rows.map((r) => `${r.date} ${r.percentile} ${r.value}`)).toEqual(percentilesOf(false).map((p) => `2020-01-01 ${p} 0.5`));
  });
});

group('describe: deciles charts', () => {
  it('writes deciles_table_<id>.csv equal to pandas groupby(date).quantile on the fixture: ties, blanks, 10 practices kept, 9 left out', async () => {
    const { dir, summary, graph } = await run({ 'measure_practice_rate.csv': PRACTICE_RATE }, DECILES);
    const written = parse(graph('deciles_table_practice_rate.csv'));
    const reference = parse(readFileSync(join(FIXTURES, 'deciles_reference.csv'), 'utf8'));
    expect(written[0]).toEqual(['date', 'percentile', 'value']);
    // Bit for bit: both print the shortest text that reads back as the same double.
    expect(written.slice(1).map(([d, p, v]) => [d, Number(p), Number(v)])).toEqual(reference.slice(1).map(([d, p, v]) => [d, Number(p), Number(v)]));
    expect(new Set(written.slice(1).map((r) => r[0]))).toEqual(new Set(['2021-01-01', '2021-02-01', '2021-04-01']));
    expect(listFiles(join(dir, 'graphs'))).toEqual(['dashboard.html', 'deciles_table_practice_rate.csv', 'practice_rate.html', 'practice_rate.svg', 'practice_rate.vl.json']);
    expect(summary.warnings).toEqual([
      `${join(dir, 'm/measure_practice_rate.csv')}: 1 group with no denominator above 0 on any date left out of the deciles`,
      `${join(dir, 'm/measure_practice_rate.csv')}: 1 of 4 dates has fewer than 10 practice values, so no deciles`,
    ]);
  });

  it('draws the median solid, the deciles dashed and the outer percentiles dotted (spec and SVG match the golden files)', async () => {
    const { graph } = await run({ 'measure_practice_rate.csv': PRACTICE_RATE }, { ...DECILES, charts: { practice_rate: { title: 'Antipsychotic prescribing by practice', y_title: 'Patients prescribed (%)' } } });
    await expect(graph('practice_rate.vl.json')).toMatchFileSnapshot('./__snapshots__/deciles_practice_rate.vl.json');
    const page = graph('practice_rate.html');
    const svg = /<svg [\s\S]*<\/svg>/.exec(page)![0];
    await expect(`${svg}\n`).toMatchFileSnapshot('./__snapshots__/deciles_practice_rate.svg');
    // 27 lines: 9 deciles, 18 outer percentiles, by their dash pattern.
    const dashes = [...svg.matchAll(/aria-roledescription="line mark"[^>]*?stroke-dasharray="([^"]*)"/g)].map((m) => m[1]);
    const lines = svg.match(/aria-roledescription="line mark"/g)!.length;
    expect(lines).toBe(27);
    expect(dashes.filter((d) => d === '6,4')).toHaveLength(8);
    expect(dashes.filter((d) => d === '1,3')).toHaveLength(18);
    expect(lines - dashes.length + dashes.filter((d) => d === '1,0').length).toBe(1);
    // Each percentile's value is a hover title; April, with no deciles on either side, shows as dots.
    expect(page).toContain('<title>Median (50th percentile), February 2021: 15.08%</title>');
    expect(page).not.toContain('March 2021:');
    expect(svg.match(/<path aria-label="[^"]*, April 2021: 25\.00%" role="graphics-symbol" aria-roledescription="point"[^>]*opacity="0\.7"/g)).toHaveLength(27);
  });

  it('puts the percentiles in a table beneath the chart, dates down, an empty row for a date without deciles', async () => {
    const { graph } = await run({ 'measure_practice_rate.csv': PRACTICE_RATE }, { deciles: { practice_rate: { by: 'practice' } } });
    const page = graph('practice_rate.html');
    expect(page).toContain(
      '<tr><th scope="col">Date</th><th scope="col">10th</th><th scope="col">20th</th><th scope="col">30th</th><th scope="col">40th</th>' +
        '<th scope="col">50th (median)</th><th scope="col">60th</th><th scope="col">70th</th><th scope="col">80th</th><th scope="col">90th</th></tr>',
    );
    expect(page).toContain('<tr><th scope="row">2021-03-01</th><td></td><td></td><td></td><td></td><td></td><td></td><td></td><td></td><td></td></tr>');
    expect(page).toContain('<tr><th scope="row">2021-04-01</th>' + '<td>25.00%</td>'.repeat(9) + '</tr>');
    expect(page).toContain('Dates on which fewer than 10 practice values are not empty have no deciles (a gap in the lines).');
    expect(page).toContain('<a href="deciles_table_practice_rate.csv">deciles_table_practice_rate.csv</a>');
  });

  it('never writes a value of the by column: not in the charts, the tables, nor the descriptive statistics', async () => {
    const { dir } = await run({ 'measure_practice_rate.csv': PRACTICE_RATE }, DECILES);
    const practices = new Set(parse(PRACTICE_RATE).slice(1).map((r) => r[0]!));
    for (const file of [...listFiles(join(dir, 'graphs')).map((f) => join(dir, 'graphs', f)), ...listFiles(join(dir, 'tables')).map((f) => join(dir, 'tables', f))]) {
      const text = readText(file);
      for (const practice of practices) expect(text.includes(`>${practice}<`) || text.includes(`,${practice},`) || text.includes(`"${practice}"`), `${practice} in ${file}`).toBe(false);
    }
    expect(readText(join(dir, 'tables', 'descriptive_statistics_input_2021-01-01.csv'))).not.toContain('practice');
    expect(await scanReleaseFolder(join(dir, 'graphs'))).toEqual([]);
  });

  it('shares the y scale between the deciles charts of a dashboard row', async () => {
    const doubled = PRACTICE_RATE.replace(/^(\d+),(\d+),(\d+),/gm, (_, practice: string, n: string, d: string) => `${practice},${Number(n) * 2},${Number(d)},`);
    const config = {
      deciles: { practice_rate: { by: 'practice' }, doubled_rate: { by: 'practice' } },
      dashboard: { rows: [{ charts: ['practice_rate', 'doubled_rate'] }] },
    };
    const { graph } = await run({ 'measure_practice_rate.csv': PRACTICE_RATE, 'measure_doubled_rate.csv': doubled }, config);
    const top = Math.max(...parse(graph('deciles_table_doubled_rate.csv')).slice(1).map((r) => Number(r[2])));
    for (const id of ['practice_rate', 'doubled_rate']) expect(JSON.parse(graph(`${id}.vl.json`)).encoding.y.scale).toEqual({ zero: true, domain: [0, top], nice: true });
  });

  it('says there is nothing to chart for a measure file with no rows (every practice left out), with a table of no rows', async () => {
    const { graph } = await run({ 'measure_practice_rate.csv': 'practice,antipsychotics_prescribing,population,value,date\n' }, DECILES);
    expect(graph('deciles_table_practice_rate.csv')).toBe('date,percentile,value\n');
    expect(graph('practice_rate.html')).toContain('Nothing to chart: the measure file has no rows');
  });

  it('refuses a deciles measure not grouped by its one by column, a line chart grouped by it, and a config describing it', async () => {
    const twoColumns = 'practice,region,antipsychotics_prescribing,population,value,date\n1027,London,10,50,0.2,2021-01-01\n';
    let error = await userError(run({ 'measure_practice_rate.csv': twoColumns }, DECILES));
    expect(error.message).toMatch(/measure_practice_rate\.csv: measure "practice_rate" is grouped by "practice" and "region", but .*c\.json draws it as a deciles chart by "practice" \(deciles\.practice_rate\); a deciles chart needs a measure grouped by one column only, its "by": compute the measure with "group_by": \["practice"\]$/);
    error = await userError(run({ 'measure_practice_rate.csv': PRACTICE_RATE, 'measure_by_practice.csv': PRACTICE_RATE }, DECILES));
    expect(error.message).toMatch(/measure_by_practice\.csv: measure "by_practice" is grouped by "practice", the "by" column of a deciles chart, whose values describe never writes; name this measure under "deciles"/);
    error = await userError(run({ 'measure_practice_rate.csv': PRACTICE_RATE }, { ...DECILES, variables: { practice: 'categorical' } }));
    expect(error.message).toMatch(/c\.json: variables\.practice: is the "by" column of a deciles chart, whose values describe never writes, so it is never described$/);
    error = await userError(run({ 'measure_practice_rate.csv': PRACTICE_RATE }, { deciles: { other: { by: 'practice' } } }));
    expect(error.message).toMatch(/c\.json: deciles\.other: no measure file for "other" matched --measures; found "practice_rate"$/);
  });

  it('with --not-for-release, marks the deciles table at its top too, so analyse check refuses it', async () => {
    const unreleased = PRACTICE_RATE.replace('1027,12,120', '1027,1,120');
    await expect(run({ 'measure_practice_rate.csv': unreleased }, DECILES)).rejects.toThrow(/is not a released count/);
    const { dir, graph } = await run({ 'measure_practice_rate.csv': unreleased }, DECILES, { notForRelease: true });
    expect(graph('deciles_table_practice_rate.csv').split('\n')[0]).toBe('date,percentile,value,NOT FOR RELEASE: counts not disclosure-controlled');
    expect(await scanReleaseFolder(join(dir, 'graphs'))).toEqual(
      expect.arrayContaining(['deciles_table_practice_rate.csv: line 1: marked NOT FOR RELEASE', 'practice_rate.html: line 2: marked NOT FOR RELEASE']),
    );
  });

  it('keeps deciles_table_<id>.csv within 5,000 rows: first without the outer percentiles, then with the latest dates only, and says so', async () => {
    // Practice values on `count` weekly dates, 10 practices each.
    const weekly = (count: number) => {
      const rows = ['practice,antipsychotics_prescribing,population,value,date'];
      for (let week = 0; week < count; week++) {
        const date = new Date(Date.UTC(2010, 0, 4 + 7 * week)).toISOString().slice(0, 10);
        for (let practice = 1; practice <= 10; practice++) rows.push(`${practice},${practice % 3 === 0 ? 0 : 10 * practice},100,,${date}`);
      }
      return rows.join('\n') + '\n';
    };
    // 200 dates × 27 percentiles would be 5,400 rows: the 9 deciles of every date are written.
    let { graph, summary } = await run({ 'measure_practice_rate.csv': weekly(200) }, DECILES);
    let table = parse(graph('deciles_table_practice_rate.csv'));
    expect(table.length - 1).toBe(200 * 9);
    expect(new Set(table.slice(1).map((r) => r[1]))).toEqual(new Set(['10', '20', '30', '40', '50', '60', '70', '80', '90']));
    expect(summary.warnings).toContainEqual(
      expect.stringMatching(/measure_practice_rate\.csv: deciles_table_practice_rate\.csv leaves out the 1st-9th and 91st-99th percentiles, which would take it past the 5,000-row limit of a released CSV; the chart and its page show them$/),
    );
    expect(graph('practice_rate.html')).toContain('without the 1st-9th and 91st-99th percentiles');
    // 600 dates × 9 deciles would be 5,400 rows: the latest 555 dates are written.
    ({ graph, summary } = await run({ 'measure_practice_rate.csv': weekly(600) }, { deciles: { practice_rate: { by: 'practice' } } }));
    table = parse(graph('deciles_table_practice_rate.csv'));
    expect(table.length - 1).toBe(555 * 9);
    expect(table[1]![0]).toBe(new Date(Date.UTC(2010, 0, 4 + 7 * 45)).toISOString().slice(0, 10));
    expect(summary.warnings).toContainEqual(
      expect.stringMatching(/measure_practice_rate\.csv: deciles_table_practice_rate\.csv leaves out the earliest 45 of 600 dates, which would take it past the 5,000-row limit of a released CSV; the chart and its page show them$/),
    );
  }, 60_000);
});

group('measures then describe: min_group_size', () => {
  // 11 practices of 20 patients, 7 to 17 of them flagged, and one practice of 7 patients, all flagged.
  // Under "suppress" every count shows (none is from 1 to 5): only the group-size rule can hide the small one.
  function cohort(withSmallPractice: boolean): string {
    const lines = ['patient_id,practice,flag'];
    let id = 1;
    for (let practice = 1; practice <= 11; practice++) for (let i = 0; i < 20; i++) lines.push(`${id++},P${practice},${i < 6 + practice ? 1 : 0}`);
    if (withSmallPractice) for (let i = 0; i < 7; i++) lines.push(`${id++},SMALL,1`);
    return `${lines.join('\n')}\n`;
  }

  async function deciles(withSmallPractice: boolean, minGroupSize?: number, format: 'cohort-extractor' | 'ehrql' = 'cohort-extractor') {
    const definitions = { disclosure_control: 'suppress', ...(minGroupSize === undefined ? {} : { min_group_size: minGroupSize }), measures: [{ id: 'flag_by_practice', numerator: 'flag', denominator: 'population', group_by: ['practice'] }] };
    const dir = tempDir({ 'in/input_2021-01-01.csv': cohort(withSmallPractice), 'in/input_2021-02-01.csv': cohort(withSmallPractice), 'd.json': JSON.stringify(definitions), 'c.json': JSON.stringify({ deciles: { flag_by_practice: { by: 'practice' } } }) });
    await runMeasures({ definitions: join(dir, 'd.json'), cohort: join(dir, 'in/*.csv'), outputDir: join(dir, 'm'), format, jobs: 1, progress: false });
    await runDescribe({ measures: join(dir, 'm/*.csv'), graphsDir: join(dir, 'g'), config: join(dir, 'c.json'), jobs: 1, progress: false });
    return readText(join(dir, 'g', 'deciles_table_flag_by_practice.csv'));
  }

  it('leaves a practice with fewer than 8 patients on every date out before the deciles are taken', async () => {
    const without = await deciles(false);
    expect(without.split('\n')).toHaveLength(2 * 9 + 2);
    expect(await deciles(true)).toBe(without);
    // The test can fail: kept (min_group_size 0), the small practice moves the deciles.
    expect(await deciles(true, 0)).not.toBe(without);
  });

  it('takes the same deciles from an ehrQL measures file as from a cohort-extractor one', async () => {
    expect(await deciles(true, undefined, 'ehrql')).toBe(await deciles(true));
  });
});
