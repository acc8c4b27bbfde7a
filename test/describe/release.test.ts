import { describe as group, expect, it } from 'vitest';
import { join } from 'node:path';
import { runDescribe } from '../../src/describe/describe.js';
import { cli, listFiles, readText, snapshot, tempDir, userError } from '../helpers.js';

const COHORT = 'patient_id,sex\n1,F\n';

function workspace(measures: Record<string, string>): string {
  const files: Record<string, string> = { 'in/input_2020-01-01.csv': COHORT };
  for (const [name, content] of Object.entries(measures)) files[`m/${name}`] = content;
  return tempDir(files);
}

async function describeIn(dir: string, notForRelease = false) {
  return runDescribe({ cohort: join(dir, 'in/*.csv'), measures: join(dir, 'm/*.csv'), tablesDir: join(dir, 't'), graphsDir: join(dir, 'g'), jobs: 1, progress: false, notForRelease });
}

// The lonely region: one patient, whose numerator is a count of 1,234, written with "none".
const RAW = 'region,events,population,value,date\nIsles,1234,1,1234,2020-01-01\nLondon,40,100,0.4,2020-01-01\n';

group('describe: measure files whose counts were not released', () => {
  it('refuses a file whose counts fit no released pattern, naming file, line and column, and writes nothing', async () => {
    const dir = workspace({ 'measure_raw.csv': RAW });
    const before = snapshot(dir);
    const error = await userError(describeIn(dir));
    expect(error.message).toBe(
      `${join(dir, 'm/measure_raw.csv')}, line 2, column "population": "1" is not a released count: it fits none of the patterns ` +
        '"round" (0, or a multiple of 5 above 7), "midpoint6" (0, or 3 more than a multiple of 6), "suppress" (empty, 0, or above 5). ' +
        'describe charts only measure files whose counts were disclosure-controlled ("round", "midpoint6" or "suppress"); compute the measures ' +
        'with one of those rules, or give --not-for-release to chart the file anyway, with every page marked NOT FOR RELEASE',
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses a file mixing patterns: every count of one file must fit the same one', async () => {
    const dir = workspace({ 'measure_mixed.csv': 'g,n,population,value,date\na,10,100,0.1,2020-01-01\nb,3,105,0.02857142857142857,2020-01-01\n' });
    expect((await userError(describeIn(dir))).message).toMatch(/measure_mixed\.csv, line 3, column "n": "3" breaks "round" \(0, or a multiple of 5 above 7\), which the file's other counts fit/);
  });

  it('charts files of each released pattern: "round", "midpoint6" and "suppress"', async () => {
    const dir = workspace({
      'measure_round.csv': 'g,n,population,value,date\na,0,100,0,2020-01-01\na,15,1000,0.015,2020-02-01\n',
      'measure_midpoint.csv': 'g,n,population,value,date\na,3,99,0.030303030303030304,2020-01-01\na,0,105,0,2020-02-01\n',
      'measure_suppressed.csv': 'g,n,population,value,date\na,,100,,2020-01-01\na,6,7,0.8571428571428571,2020-02-01\n',
    });
    const summary = await describeIn(dir);
    expect(summary.charts).toBe(3);
  });

  it('with --not-for-release, charts it anyway and marks every page and spec NOT FOR RELEASE at the top', async () => {
    const dir = workspace({ 'measure_raw.csv': RAW, 'measure_ok.csv': 'g,n,population,value,date\na,10,100,0.1,2020-01-01\n' });
    await describeIn(dir, true);
    const pages = listFiles(join(dir, 'g'));
    expect(pages).toEqual(['dashboard.html', 'ok.html', 'ok.svg', 'ok.vl.json', 'raw.html', 'raw.svg', 'raw.vl.json']);
    for (const name of pages) {
      const text = readText(join(dir, 'g', name));
      expect(text.split('\n').slice(0, 3).join('\n'), name).toContain('NOT FOR RELEASE');
      if (name.endsWith('.html')) {
        expect(text).toMatch(/<title>NOT FOR RELEASE: /);
        expect(text).toMatch(/<body>\n<p class="not-for-release">NOT FOR RELEASE: /);
      } else if (name.endsWith('.svg')) {
        expect(text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!-- NOT FOR RELEASE: [^\n]* -->\n<svg /);
        expect(text).toMatch(/<text[^>]*>NOT FOR RELEASE: /);
      } else {
        const spec = JSON.parse(text);
        expect(Object.keys(spec)[0]).toBe('usermeta');
        expect(spec.title.text).toMatch(/^NOT FOR RELEASE: /);
      }
    }
    expect(readText(join(dir, 'g/raw.html'))).toContain('The counts of this measure file were not disclosure-controlled: NOT FOR RELEASE.');
    // The tables (always rounded) are not marked.
    expect(readText(join(dir, 't/descriptive_statistics_summary.csv'))).not.toContain('NOT FOR RELEASE');
  });

  it('--not-for-release from the command line; without it, exit 2', async () => {
    const dir = workspace({ 'measure_raw.csv': RAW });
    const args = ['describe', '--cohort', 'in/*.csv', '--measures', 'm/*.csv', '--tables-dir', 't', '--graphs-dir', 'g', '--jobs', '1'];
    const refused = await cli(args, dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^analyse: error: m\/measure_raw\.csv, line 2, column "population": "1" is not a released count/);
    const charted = await cli([...args, '--not-for-release'], dir);
    expect(charted.code).toBe(0);
    expect(readText(join(dir, 'g/raw.html'))).toContain('NOT FOR RELEASE');
  });
});

group('describe: what a chart shows of the released counts', () => {
  it('draws a released 0 under "round" as a hollow point, and says on the page that 0 stands for 0 to 7', async () => {
    const dir = workspace({ 'measure_r.csv': 'g,n,population,value,date\na,0,100,0,2020-01-01\na,10,100,0.1,2020-02-01\n' });
    await describeIn(dir);
    const page = readText(join(dir, 'g/r.html'));
    expect(page).toContain('<p class="note">Counts are rounded ("round" disclosure control): a numerator of 0 stands for 0 to 7 patients, and is drawn as a hollow point, never as a true zero.</p>');
    const zero = page.match(/<path aria-label="a, January 2020: 0\.00% \(a numerator of 0, which stands for 0 to 7\)" role="graphics-symbol" aria-roledescription="point"[^>]*>/);
    expect(zero).not.toBeNull();
    expect(zero![0]).not.toMatch(/ fill=/); // hollow: only a stroke
    expect(page).toMatch(/<path aria-label="a, February 2020: 10\.00%" role="graphics-symbol" aria-roledescription="point"[^>]* fill="#/);
    expect(page).toContain('<tr><th scope="row">2020-01-01</th><td class="group">a</td><td>0</td><td>100</td><td class="zero">0.00%*</td></tr>');
    expect(page).toContain('; * a numerator of 0, which stands for 0 to 7</caption>');
    expect(readText(join(dir, 'g/dashboard.html'))).toContain('<tr><th scope="row">2020-01-01</th><td class="zero">0.00%*</td></tr>');
  });

  it('draws a 0 under "midpoint6" or "suppress" as the true 0 it is', async () => {
    const dir = workspace({ 'measure_m.csv': 'g,n,population,value,date\na,0,99,0,2020-01-01\na,9,99,0.09090909090909091,2020-02-01\n' });
    await describeIn(dir);
    const page = readText(join(dir, 'g/m.html'));
    expect(page).not.toContain('stands for');
    expect(page).toMatch(/<path aria-label="a, January 2020: 0\.00%" role="graphics-symbol" aria-roledescription="point"[^>]* fill="#/);
  });

  it('leaves a gap for a blank value, never a 0', async () => {
    const dir = workspace({ 'measure_s.csv': 'g,n,population,value,date\na,20,100,0.2,2020-01-01\na,,100,,2020-02-01\na,30,100,0.3,2020-03-01\n' });
    await describeIn(dir);
    const page = readText(join(dir, 'g/s.html'));
    expect(page).not.toContain('February 2020: 0');
    // The line is broken at February: two pieces, each a lone point ("M…Z").
    expect(page).toMatch(/aria-roledescription="line mark" d="M0,\d+(\.\d+)?ZM480,\d+(\.\d+)?Z"/);
    expect(page).toContain('<tr><th scope="row">2020-02-01</th><td class="group">a</td><td></td><td>100</td><td></td></tr>');
    expect(readText(join(dir, 'g/dashboard.html'))).toContain('<tr><th scope="row">2020-02-01</th><td></td></tr>');
  });

  it('charts value as the released counts give it, whatever the file\'s value column says', async () => {
    const dir = workspace({ 'measure_v.csv': 'g,n,population,value,date\na,10,100,0.1234,2020-01-01\n' });
    await describeIn(dir);
    expect(readText(join(dir, 'g/v.vl.json'))).not.toContain('0.1234');
    expect(JSON.parse(readText(join(dir, 'g/v.vl.json'))).data.values[0].value).toBe(0.1);
  });
});
