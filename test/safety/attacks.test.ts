// The leaks an attacker would try, each through the real stages (the CLI, in this process): a
// cohort in which one patient is aged 107, one lives alone in a region and has 1,234 events,
// most MSOA codes belong to 1 to 3 patients, measures are grouped by patient id, and one bmi is
// 1,000,000. measures and describe run with their defaults; then nothing that identifies anyone
// may appear in any file they wrote (CSV, HTML, JSON, SVG), and analyse check finds no problem
// but the patient_id column name itself.

import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { cli, listFiles, tempDir, type CliResult } from '../helpers.js';

const PATIENTS = 1000;
const DATES = ['2020-01-01', '2020-02-01', '2020-03-01'];
const REGIONS = ['London', 'North East', 'South West', 'East'];
const OUTLIER_BMI = 1_000_000;

/** One monthly cohort file: the same patients every month. */
function cohortFile(month: number): string {
  let seed = 20200101 + month;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const rows = ['patient_id,age,region,msoa,events,flag,bmi'];
  for (let p = 0; p < PATIENTS; p++) {
    const id = `P${String(p).padStart(6, '0')}`;
    const age = p === 0 ? 107 : 65 + (p % 31);
    const region = p === 1 ? 'Isles' : REGIONS[p % REGIONS.length]!;
    // Every fifth patient shares one of five common codes; the rest have codes of their own, or shared by 2 or 3.
    const msoa = p % 5 === 0 ? `E0200000${1 + ((p / 5) % 5)}` : `E029${String(Math.floor(p / 3)).padStart(5, '0')}`;
    const events = p === 1 ? 1234 : Math.floor(random() * 3);
    const flag = random() < 0.3 ? 1 : 0;
    const bmi = p === 2 ? String(OUTLIER_BMI) : (25 + 4 * (random() + random() + random() - 1.5)).toFixed(1);
    rows.push([id, age, region, msoa, events, flag, bmi].join(','));
  }
  return `${rows.join('\n')}\n`;
}

const DEFINITIONS = {
  measures: [
    { id: 'by_age', numerator: 'flag', denominator: 'population', group_by: 'age' },
    { id: 'by_region', numerator: 'events', denominator: 'population', group_by: 'region' },
    { id: 'by_msoa', numerator: 'flag', denominator: 'population', group_by: 'msoa' },
    { id: 'by_patient', numerator: 'flag', denominator: 'population', group_by: 'patient_id' },
  ],
};

let dir = '';
let measures: CliResult;
let describeRun: CliResult;
let check: CliResult;
/** Every file measures and describe wrote, by path under output/. */
const written = new Map<string, string>();

beforeAll(async () => {
  const files: Record<string, string> = { 'defs.json': JSON.stringify(DEFINITIONS) };
  DATES.forEach((date, month) => (files[`input/input_${date}.csv`] = cohortFile(month)));
  dir = tempDir(files);
  measures = await cli(['measures', '--definitions', 'defs.json', '--cohort', 'input/input_*.csv', '--output-dir', 'output/measures', '--jobs', '1'], dir);
  describeRun = await cli(
    ['describe', '--cohort', 'input/input_*.csv', '--measures', 'output/measures/measure_*.csv', '--tables-dir', 'output/tables', '--graphs-dir', 'output/graphs', '--jobs', '1'],
    dir,
  );
  check = await cli(['check', 'output', '--json'], dir);
  for (const name of listFiles(join(dir, 'output'))) written.set(name, readFileSync(join(dir, 'output', name), 'utf8'));
}, 60_000);

/** The files whose text matches `pattern`. */
function filesMatching(pattern: RegExp): string[] {
  return [...written].filter(([, text]) => pattern.test(text)).map(([name]) => name);
}

describe('attacks on the released outputs', () => {
  it('runs measures and describe to the end; check holds back only the files whose header names patient_id', () => {
    expect([measures.code, describeRun.code]).toEqual([0, 0]);
    // Grouped by patient_id, the files hold no id, but the job runner would refuse the column name all the same.
    const report = JSON.parse(check.stdout) as { files: Array<{ path: string; problems: string[]; warnings: string[] }>; problems: number; warnings: number };
    expect(check.code).toBe(1);
    expect(report.files.filter((f) => f.problems.length > 0 || f.warnings.length > 0)).toEqual(
      ['', ...DATES.map((date) => `_${date}`)].map((suffix) => ({
        path: `output/measures/measure_by_patient${suffix}.csv`,
        problems: ['line 1, column "patient_id": a patient_id column holds patient-level data'],
        warnings: [],
      })),
    );
    expect([...written.keys()].filter((name) => name.startsWith('graphs/')).sort()).toEqual(
      ['by_age', 'by_msoa', 'by_patient', 'by_region'].flatMap((id) => [`graphs/${id}.html`, `graphs/${id}.svg`, `graphs/${id}.vl.json`]).concat('graphs/dashboard.html').sort(),
    );
  });

  it('the one patient aged 107: no row, label, tooltip or table heading for that age', () => {
    const ages = Papa.parse<string[]>(written.get('measures/measure_by_age.csv')!, { skipEmptyLines: true }).data.slice(1).map((row) => row[0]);
    expect(new Set(ages)).toEqual(new Set(Array.from({ length: 31 }, (_, i) => String(65 + i))));
    expect(filesMatching(/^107,|"group": "107"|>107<|"107, |aria-label="107/m)).toEqual([]);
    expect(measures.stdout).toContain('by_age: 1 group left out of every file, shared by fewer than 8 cohort rows on every date (min_group_size)');
  });

  it('the lonely region and its count of 1,234: neither the region nor the count appears', () => {
    expect(filesMatching(/Isles/)).toEqual([]);
    const counts = Papa.parse<string[]>(written.get('measures/measure_by_region.csv')!, { skipEmptyLines: true }).data.slice(1).map((row) => Number(row[1]));
    expect(Math.max(...counts)).toBeLessThan(1000);
    expect(filesMatching(/\b123[0-5]\b/)).toEqual([]);
  });

  it('MSOA codes shared by 1 to 3 patients: none is written, only the five that many share', () => {
    expect(filesMatching(/E029\d{5}/)).toEqual([]);
    const codes = Papa.parse<string[]>(written.get('measures/measure_by_msoa.csv')!, { skipEmptyLines: true }).data.slice(1).map((row) => row[0]);
    expect([...new Set(codes)].sort()).toEqual(['E02000001', 'E02000002', 'E02000003', 'E02000004', 'E02000005']);
    expect(measures.stdout).toMatch(/^by_msoa: \d+ groups left out of every file/m);
    expect(measures.stdout).not.toMatch(/E029/);
  });

  it('patient ids as groups: no id is written, and the chart says there is nothing to show', () => {
    expect(filesMatching(/P\d{6}/)).toEqual([]);
    expect(written.get('measures/measure_by_patient.csv')).toBe('patient_id,flag,population,value,date\n');
    expect(written.get('graphs/by_patient.html')).toContain('Nothing to chart');
    expect(measures.stdout).toContain(`by_patient: ${PATIENTS} groups left out of every file`);
  });

  it('the bmi outlier: nothing released about bmi gives back 1,000,000 within 10%, while age keeps its mean and sd', () => {
    const tables = [...written].filter(([name]) => name.startsWith('tables/'));
    expect(tables).toHaveLength(DATES.length + 1);
    const near = (x: number) => Math.abs(x - OUTLIER_BMI) <= 0.1 * OUTLIER_BMI;
    for (const [name, text] of tables) {
      const rows = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
      const bmi = new Map(rows.filter((r) => r.variable === 'bmi').map((r) => [r.statistic!, r.value!]));
      const age = new Map(rows.filter((r) => r.variable === 'age').map((r) => [r.statistic!, r.value!]));
      expect(bmi.get('mean'), name).toBe('');
      if (bmi.has('sd')) expect(bmi.get('sd'), name).toBe('');
      expect(Number(age.get('mean')), name).toBeGreaterThan(70);
      if (age.has('sd')) expect(Number(age.get('sd')), name).toBeGreaterThan(5);
      // Whatever is released about bmi, alone or as the attack combines it (mean + sd·√(n−1), n·mean), recovers nothing.
      const released = [...bmi.values()].filter((v) => v !== '').map(Number);
      const n = Number(bmi.get('count'));
      const mean = Number(bmi.get('mean') || NaN);
      const sd = Number(bmi.get('sd') || NaN);
      for (const guess of [...released, mean + sd * Math.sqrt(n - 1), n * mean]) expect(near(guess), `${name}: ${guess}`).toBe(false);
    }
    expect(filesMatching(/1000000|1e\+?6\b|1,000,000/)).toEqual([]);
  });
});
