import { describe as group, expect, it } from 'vitest';
import { join } from 'node:path';
import { runDescribe } from '../../src/describe/describe.js';
import { labelledDates } from '../../src/describe/time-axis.js';
import { readText, tempDir } from '../helpers.js';

/** Runs describe's graphs on measure files (under m/) with an optional config. */
async function chart(measures: Record<string, string>, config?: unknown) {
  const files: Record<string, string> = {};
  for (const [name, content] of Object.entries(measures)) files[`m/${name}`] = content;
  if (config !== undefined) files['c.json'] = JSON.stringify(config);
  const dir = tempDir(files);
  const summary = await runDescribe({
    measures: join(dir, 'm/*.csv'),
    graphsDir: join(dir, 'g'),
    config: config === undefined ? undefined : join(dir, 'c.json'),
    jobs: 1,
    progress: false,
  });
  return { summary, graph: (name: string) => readText(join(dir, 'g', name)), spec: (id: string) => JSON.parse(readText(join(dir, 'g', `${id}.vl.json`))) };
}

/** The first day of `count` months from `year`-`month`, as YYYY-MM-DD. */
function months(year: number, month: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => new Date(Date.UTC(year, month - 1 + i, 1)).toISOString().slice(0, 10));
}

/** A combined measure file of one group over `dates`, every count released under "round". */
function series(dates: readonly string[]): string {
  return `flag,population,value,date\n${dates.map((date, i) => `${10 + 5 * (i % 4)},100,${(10 + 5 * (i % 4)) / 100},${date}`).join('\n')}\n`;
}

/** The labels of the rendered x axis, left to right, as the SVG's text. */
function xLabels(svg: string): string[] {
  const groups = svg.match(/<g class="mark-text role-axis-label"[^>]*>.*?<\/g>/g) ?? [];
  const texts = groups.flatMap((g) => [...g.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!));
  return texts.filter((text) => /^(\d{2} )?[A-Z][a-z]{2} \d{4}$/.test(text));
}

group('describe: time axis labels, read from the rendered SVG', () => {
  it('labels a 1-month series once', async () => {
    const { graph } = await chart({ 'measure_one.csv': series(months(2021, 1, 1)) });
    expect(xLabels(graph('one.svg'))).toEqual(['Jan 2021']);
  });

  it('labels each month of a 3-month series once, the first month included', async () => {
    const { graph } = await chart({ 'measure_three.csv': series(months(2021, 1, 3)) });
    expect(xLabels(graph('three.svg'))).toEqual(['Jan 2021', 'Feb 2021', 'Mar 2021']);
    expect(xLabels(graph('three.html'))).toEqual(['Jan 2021', 'Feb 2021', 'Mar 2021']);
  });

  it('labels a 25-month series quarterly from its first month, each label once', async () => {
    const { graph } = await chart({ 'measure_long.csv': series(months(2019, 3, 25)) });
    expect(xLabels(graph('long.svg'))).toEqual(['Mar 2019', 'Jun 2019', 'Sep 2019', 'Dec 2019', 'Mar 2020', 'Jun 2020', 'Sep 2020', 'Dec 2020', 'Mar 2021']);
  });

  it('labels weekly dates by day, each once', async () => {
    const { graph } = await chart({ 'measure_weekly.csv': series(['2020-01-06', '2020-01-13', '2020-01-20']) });
    expect(xLabels(graph('weekly.svg'))).toEqual(['06 Jan 2020', '13 Jan 2020', '20 Jan 2020']);
  });

  it('labelledDates(dates, monthly): every date up to 12 months (8 days), then every 2nd, 3rd, 4th, 6th, 12th... from the first', () => {
    expect(labelledDates(months(2020, 1, 12), true)).toEqual(months(2020, 1, 12));
    expect(labelledDates(months(2020, 1, 13), true)).toEqual(months(2020, 1, 13).filter((_, i) => i % 2 === 0));
    expect(labelledDates(months(2020, 1, 48), true)).toEqual(months(2020, 1, 48).filter((_, i) => i % 4 === 0));
    expect(labelledDates(months(2000, 1, 300), true)).toEqual(months(2000, 1, 300).filter((_, i) => i % 36 === 0));
    const weeks = Array.from({ length: 9 }, (_, i) => `2020-01-${String(1 + i).padStart(2, '0')}`);
    expect(labelledDates(weeks, false)).toEqual(weeks.filter((_, i) => i % 2 === 0));
  });
});

group('describe: the y scale per chart', () => {
  const ITEMS = 'items,population,value,date\n120,100,1.2,2021-01-01\n150,100,1.5,2021-02-01\n';
  const RARE = 'fracture,population,value,date\n10,20000,0.0005,2021-01-01\n15,20000,0.00075,2021-02-01\n';

  it('shows a percentage by default', async () => {
    const { spec, graph } = await chart({ 'measure_items.csv': ITEMS });
    expect(spec('items').encoding.y).toMatchObject({ title: 'items per population (%)', axis: { format: '.1~%' } });
    expect(graph('items.html')).toContain('<td>120</td><td>100</td><td>120.00%</td>');
  });

  it('"ratio" shows the value itself: 1.2 items per patient, never "120%"', async () => {
    const { spec, graph } = await chart({ 'measure_items.csv': ITEMS }, { charts: { items: { y: 'ratio' } } });
    expect(spec('items').encoding.y).toMatchObject({ field: 'y', title: 'items per population (ratio)' });
    expect(spec('items').data.values.map((d: { y: number }) => d.y)).toEqual([1.2, 1.5]);
    const page = graph('items.html');
    expect(page).toContain('<td>120</td><td>100</td><td>1.2</td>');
    expect(page).toContain('<title>All patients, January 2021: 1.2</title>');
    expect(page).not.toMatch(/<td>[^<]*%|<title>[^<]*%/);
    expect(yLabels(graph('items.svg')).some((label) => label.endsWith('%'))).toBe(false);
    expect(yLabels(graph('items.svg'))).toContain('1.4');
  });

  it('"per_1000" and "per_100000" scale the value, the axis, the table and the tooltip', async () => {
    const { spec, graph } = await chart({ 'measure_rare.csv': RARE, 'measure_rare2.csv': RARE }, { charts: { rare: { y: 'per_1000' }, rare2: { y: 'per_100000' } } });
    expect(spec('rare').encoding.y.title).toBe('fracture per population (per 1,000)');
    expect(spec('rare').data.values.map((d: { y: number }) => d.y)).toEqual([0.5, 0.75]);
    expect(graph('rare.html')).toContain('<td>10</td><td>20000</td><td>0.50</td>');
    expect(graph('rare.html')).toContain('<title>All patients, February 2021: 0.75</title>');
    expect(spec('rare2').data.values.map((d: { y: number }) => d.y)).toEqual([50, 75]);
    expect(graph('rare2.html')).toContain('<td>15</td><td>20000</td><td>75.0</td>');
    expect(graph('rare2.html')).toContain('Value (per 100,000)');
    expect(yLabels(graph('rare2.svg'))).toContain('70');
  });
});

/** The labels of the rendered y axis (plain numbers). */
function yLabels(svg: string): string[] {
  const groups = svg.match(/<g class="mark-text role-axis-label"[^>]*>.*?<\/g>/g) ?? [];
  return groups.flatMap((g) => [...g.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!)).filter((text) => /^[\d.,]+%?$/.test(text));
}

group('describe: chart text in the measure\'s words', () => {
  const BY_HOME = 'care_home_type,antidepressent_ssri,population,value,date\nPC,20,100,0.2,2021-01-01\nPN,30,100,0.3,2021-01-01\n';

  it('builds the subtitle, y title, legend title and table headings from the config\'s labels', async () => {
    const labels = { antidepressent_ssri: 'patients prescribed an SSRI', population: 'patients', care_home_type: 'care home type' };
    const { spec, graph } = await chart({ 'measure_ad.csv': BY_HOME }, { labels });
    expect(spec('ad').title.subtitle).toBe('patients prescribed an SSRI per patients, by care home type');
    expect(spec('ad').encoding.y.title).toBe('patients prescribed an SSRI per patients (%)');
    expect(spec('ad').encoding.color.title).toBe('care home type');
    expect(graph('ad.html')).toContain(
      '<th scope="col">Date</th><th scope="col">care home type</th><th scope="col">patients prescribed an SSRI</th><th scope="col">patients</th><th scope="col">Value (%)</th>',
    );
    expect(graph('ad.svg')).toMatch(/<text[^>]*>patients prescribed an SSRI per patients, by care home type<\/text>/);
  });

  it('takes a chart\'s own subtitle over the labels, and raw column names without a config', async () => {
    const { spec } = await chart({ 'measure_ad.csv': BY_HOME }, { labels: { population: 'patients' }, charts: { ad: { subtitle: 'SSRI prescribing in care homes' } } });
    expect(spec('ad').title.subtitle).toBe('SSRI prescribing in care homes');
    expect(spec('ad').encoding.y.title).toBe('antidepressent_ssri per patients (%)');
    const bare = await chart({ 'measure_ad.csv': BY_HOME });
    expect(bare.spec('ad').title.subtitle).toBe('antidepressent_ssri per population, by care_home_type');
  });
});

group('describe: a measure with more groups than a chart can show', () => {
  /** One date, `groups` MSOAs, the i-th with a denominator of 10·(i+1), so the largest are the last. */
  const msoas = (groups: number) =>
    `msoa,flag,population,value,date\n${Array.from({ length: groups }, (_, i) => `E02${String(i + 1).padStart(6, '0')},10,${10 * (i + 1)},${1 / (i + 1)},2021-01-01`).join('\n')}\n`;

  it('charts the 20 largest groups of 6,791 MSOAs, says so on the page and in a warning; the file keeps every group', async () => {
    const { summary, spec, graph } = await chart({ 'measure_by_msoa.csv': msoas(6791) });
    const groups = [...new Set(spec('by_msoa').data.values.map((d: { group: string }) => d.group))];
    // The largest 20, in the file's order.
    expect(groups).toEqual(Array.from({ length: 20 }, (_, i) => `E02${String(6772 + i).padStart(6, '0')}`));
    expect(summary.warnings).toEqual([expect.stringMatching(/measure_by_msoa\.csv: by_msoa has 6,791 groups; its chart and page show the 20 largest \(by denominator\)$/)]);
    const page = graph('by_msoa.html');
    expect(page).toContain('6,791 groups are too many lines for one chart: the chart and table show the 20 largest, by denominator over every date. Every group is in measure_by_msoa.csv.');
    expect(page.match(/<td class="group">/g)).toHaveLength(20);
    expect(page).not.toContain('E02000001');
    expect(page.length).toBeLessThan(200_000);
    expect(graph('dashboard.html').length).toBeLessThan(200_000);
    expect(graph('by_msoa.svg').match(/aria-roledescription="line mark"/g)).toHaveLength(20);
  });

  it('charts every group while there are 20 or fewer', async () => {
    const { summary, spec } = await chart({ 'measure_by_msoa.csv': msoas(20) });
    expect(new Set(spec('by_msoa').data.values.map((d: { group: string }) => d.group)).size).toBe(20);
    expect(summary.warnings).toEqual([]);
  });
});
