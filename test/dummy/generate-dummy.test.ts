import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { generateDummy, type GenerateDummyOptions } from '../../src/dummy/generate-dummy.js';
import { joinEthnicity } from '../../src/join/join-ethnicity.js';
import { UserError } from '../../src/errors.js';
import { cli, listFiles, ROOT, snapshot, tempDir } from '../helpers.js';

const STUDY = join(ROOT, 'analysis/dummy_study.json');
const CONTROL = join(ROOT, 'analysis/dummy_study_control.json');
const ETHNICITY = join(ROOT, 'analysis/dummy_study_ethnicity.json');
const RANGE = '2019-03-01 to 2020-03-01 by month';

function table(path: string): Array<Record<string, string>> {
  return Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
}

function generate(options: Partial<GenerateDummyOptions> & { outputDir: string }) {
  return generateDummy({ schema: STUDY, indexDateRange: RANGE, population: 2000, progress: false, projectFile: join(options.outputDir, 'none.yaml'), ...options });
}

describe('generateDummy', () => {
  it('writes input<suffix>_<date>.csv per index date with patient_id then the schema columns in order', async () => {
    const dir = tempDir();
    const summary = await generate({ outputDir: join(dir, 'control'), schema: CONTROL });
    expect(listFiles(join(dir, 'control'))).toHaveLength(13);
    expect(summary.files[0]).toMatchObject({ path: join(dir, 'control', 'input_control_2019-03-01.csv'), date: '2019-03-01' });
    expect(summary.files[12]!.path).toBe(join(dir, 'control', 'input_control_2020-03-01.csv'));
    const header = readFileSync(summary.files[0]!.path, 'utf8').split('\n')[0];
    expect(header).toBe(
      'patient_id,care_home_type,primis_carehome_pastyear,first_pos_test_sgss,covid_admission_date,antidepressent_ssri,antidepressent_ssri_previous,' +
        'ad_new_initiation,antipsychotics_prescribing,antipsychotics_prescribing_previous,ap_new_initiation,age,ageband_narrow,sex,imd,region,msoa,smr',
    );
    const rows = table(summary.files[0]!.path);
    expect(rows.length).toBe(summary.files[0]!.rows);
    expect(new Set(rows.map((r) => r.care_home_type))).toEqual(new Set(['NC', 'U']));
    for (const row of rows) {
      expect(Number(row.age)).toBeGreaterThanOrEqual(65);
      expect(row.msoa).toMatch(/^E02\d{6}$/);
      expect(row.smr).toMatch(/^(\d{4}-\d{2})?$/);
      expect(['0', '1', '2', '3', '4', '5']).toContain(row.imd);
      expect(['M', 'F']).toContain(row.sex);
    }
  });

  it('gives the same bytes for the same arguments, and different data for another seed', async () => {
    const dir = tempDir();
    await generate({ outputDir: join(dir, 'a') });
    await generate({ outputDir: join(dir, 'b') });
    await generate({ outputDir: join(dir, 'c'), seed: 2 });
    expect(snapshot(join(dir, 'a'))).toEqual(snapshot(join(dir, 'b')));
    const first = 'input_2019-03-01.csv';
    expect(readFileSync(join(dir, 'c', first), 'utf8')).not.toBe(readFileSync(join(dir, 'a', first), 'utf8'));
  });

  it('follows one population: ids persist between months, people age, derived columns hold', async () => {
    const dir = tempDir();
    const summary = await generate({ outputDir: dir });
    const months = summary.files.map((f) => new Map(table(f.path).map((r) => [r.patient_id!, r])));
    const [march2019, april2019, march2020] = [months[0]!, months[1]!, months[12]!];
    const shared = [...april2019.keys()].filter((id) => march2019.has(id));
    expect(shared.length / april2019.size).toBeGreaterThan(0.9);
    expect(summary.sharedWithFirst).toBeGreaterThan(0.5);
    expect(summary.sharedWithFirst).toBeLessThan(0.95);

    // A year later everyone still there is exactly one year older.
    const aYearOn = [...march2020.keys()].filter((id) => march2019.has(id));
    expect(aYearOn.length).toBeGreaterThan(100);
    for (const id of aYearOn) expect(Number(march2020.get(id)!.age)).toBe(Number(march2019.get(id)!.age) + 1);

    for (const month of months) {
      for (const row of month.values()) {
        const age = Number(row.age);
        const band = age >= 90 ? '90+' : age >= 85 ? '85-89' : age >= 80 ? '80-84' : age >= 75 ? '75-79' : '65-74';
        expect(row.ageband_narrow).toBe(band);
        expect(row.ad_new_initiation).toBe(row.antidepressent_ssri === '1' && row.antidepressent_ssri_previous === '0' ? '1' : '0');
        expect(row.ap_new_initiation).toBe(row.antipsychotics_prescribing === '1' && row.antipsychotics_prescribing_previous === '0' ? '1' : '0');
      }
    }
    // "previous" is the flag 3, 6 and 9 months earlier, whenever those months were written.
    let checked = 0;
    for (let m = 9; m < months.length; m++) {
      for (const [id, row] of months[m]!) {
        const earlier = [months[m - 3]!.get(id), months[m - 6]!.get(id), months[m - 9]!.get(id)];
        if (earlier.some((r) => r === undefined)) continue;
        expect(row.antidepressent_ssri_previous).toBe(earlier.some((r) => r!.antidepressent_ssri === '1') ? '1' : '0');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('keeps attributes and flags persistent: sex never changes, a prescription usually carries over', async () => {
    const dir = tempDir();
    const summary = await generate({ outputDir: dir });
    const [a, b] = [table(summary.files[0]!.path), table(summary.files[1]!.path)].map((rows) => new Map(rows.map((r) => [r.patient_id!, r])));
    let kept = 0;
    let prescribed = 0;
    for (const [id, row] of b!) {
      const before = a!.get(id);
      if (!before) continue;
      expect([row.sex, row.region, row.msoa, row.imd, row.care_home_type]).toEqual([before.sex, before.region, before.msoa, before.imd, before.care_home_type]);
      if (before.antidepressent_ssri === '1') {
        prescribed++;
        if (row.antidepressent_ssri === '1') kept++;
      }
    }
    expect(prescribed).toBeGreaterThan(50);
    expect(kept / prescribed).toBeGreaterThan(0.8);
  });

  it('splits one population between the care-home and control schemas, and the ethnicity file covers both', async () => {
    const dir = tempDir();
    const care = await generate({ outputDir: join(dir, 'inputs') });
    const control = await generate({ outputDir: join(dir, 'control'), schema: CONTROL });
    const ethnicity = await generate({ outputDir: join(dir, 'inputs'), schema: ETHNICITY, indexDateRange: undefined });
    expect(ethnicity.files).toEqual([{ path: join(dir, 'inputs', 'input_ethnicity.csv'), date: null, rows: ethnicity.rows }]);

    const careIds = new Set(table(care.files[0]!.path).map((r) => r.patient_id));
    const controlIds = table(control.files[0]!.path).map((r) => r.patient_id);
    expect(controlIds.filter((id) => careIds.has(id))).toEqual([]);
    // Care homes and control together are the population on that date.
    expect(careIds.size + controlIds.length).toBeGreaterThan(2000 * 0.9);
    expect(careIds.size + controlIds.length).toBeLessThan(2000 * 1.1);
    expect(careIds.size / (careIds.size + controlIds.length)).toBeGreaterThan(0.15);

    const ethnicityRows = table(join(dir, 'inputs', 'input_ethnicity.csv'));
    const empty = ethnicityRows.filter((r) => r.ethnicity === '').length / ethnicityRows.length;
    expect(empty).toBeGreaterThan(0.2);
    expect(empty).toBeLessThan(0.3);

    const joined = await joinEthnicity({ cohort: join(dir, '*', 'input_*.csv'), ethnicity: join(dir, 'inputs', 'input_ethnicity.csv'), jobs: 1, progress: false });
    expect(joined.matched / joined.rows).toBeGreaterThan(0.99);
  });

  it('writes one input<suffix>.csv for the schema index_date without a range; a single date is a range of one', async () => {
    const dir = tempDir();
    await generate({ outputDir: dir, indexDateRange: undefined });
    await generate({ outputDir: dir, indexDateRange: '2019-03-01' });
    await generate({ outputDir: dir, indexDateRange: '2020-06-01' });
    expect(listFiles(dir)).toEqual(['input.csv', 'input_2019-03-01.csv', 'input_2020-06-01.csv']);
    // The schema's index_date is 2019-03-01, and a person's values depend only on the date.
    expect(readFileSync(join(dir, 'input.csv'), 'utf8')).toBe(readFileSync(join(dir, 'input_2019-03-01.csv'), 'utf8'));
    expect(table(join(dir, 'input.csv')).length).toBeGreaterThan(300);
  });

  it('takes the population from project.yaml expectations.population_size by default', async () => {
    const dir = tempDir({ 'project.yaml': 'version: "3.0"\nexpectations:\n  population_size: 500\nactions: {}\n' });
    const summary = await generateDummy({ schema: STUDY, outputDir: join(dir, 'out'), indexDateRange: '2020-01-01', progress: false, projectFile: join(dir, 'project.yaml') });
    expect([summary.population, summary.populationFrom]).toEqual([500, 'project']);
    const fallback = await generateDummy({ schema: STUDY, outputDir: join(dir, 'out2'), indexDateRange: '2020-01-01', progress: false, projectFile: join(dir, 'missing.yaml') });
    expect([fallback.population, fallback.populationFrom]).toEqual([1000, 'default']);
  });

  it('reads population_size by the rule analyse run uses, and minds no other problem in project.yaml', async () => {
    const dir = tempDir();
    const population = async (yaml: string) => {
      writeFileSync(join(dir, 'project.yaml'), yaml);
      const summary = await generateDummy({ schema: STUDY, outputDir: join(dir, 'out'), indexDateRange: '2020-01-01', population: undefined, progress: false, projectFile: join(dir, 'project.yaml') });
      return [summary.population, summary.populationFrom];
    };
    // "actions: {}" and the unknown need would stop analyse run; the population is still clear.
    expect(await population('expectations:\n  population_size: "300"\nactions: {}\n')).toEqual([300, 'project']);
    expect(await population('expectations:\n  population_size: 300\nactions:\n  a:\n    needs: [nothing]\n')).toEqual([300, 'project']);
    expect(await population('expectations: {}\nactions: {}\n')).toEqual([1000, 'default']);
    await expect(population('expectations:\n  population_size: "1e3"\n')).rejects.toThrow(
      `${join(dir, 'project.yaml')}, line 2: expectations.population_size: expected a whole number of 1 or more, such as 1000 (the size of dummy populations), got the text "1e3"; it sets the default --population`,
    );
    await expect(population('expectations:\n  population_size: [1000\n')).rejects.toThrow(/project\.yaml, line \d: not valid YAML: /);
    await expect(population('expectations:\n  population_size: 30000000\n')).rejects.toThrow(
      `${join(dir, 'project.yaml')}: expectations.population_size: expected a whole number from 1 to 20,000,000 (the most generate-dummy simulates), got the number 30000000`,
    );
  });

  it('quotes generated labels as RFC 4180 asks: commas and quotes inside quotes, inner quotes doubled, edge spaces kept', async () => {
    const dir = tempDir({
      'odd.json': JSON.stringify({
        index_date: '2020-01-01',
        variables: {
          place: { category: { ratios: { 'York, North': 0.5, 'say "hi"': 0.3, ' padded ': 0.2 } } },
          code: { code: { prefix: 'A,', min: 1, max: 9 } },
          when: { date: { earliest: '2019-01-01', latest: '2019-12-31' }, date_format: 'YYYY', incidence: 0.5, rate: 'exponential_increase' },
          count: { int: { distribution: 'poisson', mean: 3 } },
        },
      }),
    });
    const summary = await generate({ outputDir: dir, schema: join(dir, 'odd.json'), indexDateRange: undefined, population: 300 });
    const [header, ...lines] = readFileSync(summary.files[0]!.path, 'utf8').split('\n');
    expect(header).toBe('patient_id,place,code,when,count');
    expect(lines.pop()).toBe('');
    // RFC 4180 as written: a field with a comma or a quote is quoted, inner quotes doubled; a
    // label with edge spaces is quoted too, so no reader trims it.
    const row = /^\d+,("York, North"|"say ""hi"""|" padded "),"A,\d",(2019)?,\d+$/;
    expect(lines.filter((line) => !row.test(line))).toEqual([]);
    expect(new Set(lines.map((line) => row.exec(line)![1]))).toEqual(new Set(['"York, North"', '"say ""hi"""', '" padded "']));
    // And a CSV reader gets the labels back unchanged.
    const parsed = Papa.parse<string[]>(lines.join('\n')).data;
    expect(new Set(parsed.map((r) => r[1]))).toEqual(new Set(['York, North', 'say "hi"', ' padded ']));
  });

  it('checks everything before writing: a bad schema or range leaves the output folder untouched', async () => {
    const dir = tempDir({ 'out/keep.csv': 'x\n1\n', 'bad.json': '{"variables": {"a": {"bool": true}}}' });
    const before = snapshot(dir);
    await expect(generate({ outputDir: join(dir, 'out'), schema: join(dir, 'bad.json') })).rejects.toThrow(UserError);
    await expect(generate({ outputDir: join(dir, 'out'), indexDateRange: '2020-02-30' })).rejects.toThrow('"2020-02-30" is not a real date');
    await expect(generate({ outputDir: join(dir, 'out'), population: 0 })).rejects.toThrow('--population 0: expected a whole number from 1');
    const noDate = join(dir, 'nodate.json');
    writeFileSync(noDate, '{"variables": {"a": {"bool": true, "incidence": 0.5}}}');
    await expect(generate({ outputDir: join(dir, 'out'), schema: noDate, indexDateRange: undefined })).rejects.toThrow('give --index-date-range, or an "index_date" in the schema');
    expect(snapshot(dir)).toEqual({ ...before, 'nodate.json': expect.any(String) });
  });

  it('leaves no file behind when a later file cannot be written', async () => {
    const dir = tempDir({ 'out/input_2019-04-01.csv/blocker': 'a folder where a file must go' });
    await expect(generate({ outputDir: join(dir, 'out'), indexDateRange: '2019-03-01 to 2019-05-01' })).rejects.toThrow(
      `${join(dir, 'out', 'input_2019-04-01.csv')}: is in the way of a cohort file: it exists and is not a file`,
    );
    expect(listFiles(join(dir, 'out'))).toEqual(['input_2019-04-01.csv/blocker']);
    expect(existsSync(join(dir, 'out', 'input_2019-03-01.csv'))).toBe(false);
  });
});

describe('analyse generate-dummy (CLI)', () => {
  it('prints a line per file and a summary; bad arguments exit 2 without a stack', async () => {
    const dir = tempDir();
    const ok = await cli(['generate-dummy', '--schema', STUDY, '--output-dir', dir, '--index-date-range', '2019-03-01 to 2019-04-01', '--population', '300', '--seed', '7'], dir);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/input_2019-03-01\\.csv: \\d+ rows\n`));
    expect(ok.stdout).toMatch(/generate-dummy: 2 files, [\d,]+ rows from a population of 300 \(--population; [\d,]+ people simulated over 2010-2034, seed 7\); \d+\.\d% of the last file's patients are in the first, in /);
    const bad = await cli(['generate-dummy', '--schema', join(dir, 'nope.json'), '--output-dir', dir], dir);
    expect(bad).toMatchObject({ code: 2, stderr: `analyse: error: ${join(dir, 'nope.json')}: file not found\n` });
    const seed = await cli(['generate-dummy', '--schema', STUDY, '--output-dir', dir, '--seed', '-1'], dir);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toContain("option '--seed <n>' argument '-1' is invalid");
  });
});
