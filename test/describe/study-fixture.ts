// Writes a small study-shaped workspace for end-to-end tests: monthly cohort files with the
// study's columns (STUDY.md) and a practice, its 32 combined measure files (care homes and
// control, 16 each: 12 grouped, 4 age-standardised with intervals) and its 4 practice-level ones
// (prescribing by practice, for the deciles charts) in the measures stage's format, with counts
// already rounded. Deterministic.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { wilsonInterval } from '../../src/release/intervals.js';

export interface StudyFixture {
  cohortGlob: string;
  measuresGlob: string;
  measureIds: string[];
}

const REGIONS = ['East', 'East Midlands', 'London', 'North East', 'North West', 'South East', 'South West', 'West Midlands', 'Yorkshire and the Humber'];
const AGEBANDS = ['65-74', '75-79', '80-84', '85-89', '90+'];
const NUMERATORS = { ad_prescribing_rate: 'antidepressent_ssri', ad_prescribing_new: 'ad_new_initiation', ap_prescribing_rate: 'antipsychotics_prescribing', ap_prescribing_new: 'ap_new_initiation' };
const GROUPINGS = { all: 'care_home_type', age: 'ageband_narrow', region: 'region' } as const;
/** Practice ids as the measures stage writes them; 30 practices, so every date has deciles. */
export const PRACTICES = Array.from({ length: 30 }, (_, i) => String(101 + i * 7));

export function monthDates(months: number): string[] {
  return Array.from({ length: months }, (_, i) => new Date(Date.UTC(2019, 2 + i, 1)).toISOString().slice(0, 10));
}

export function writeStudyFixture(dir: string, { patients = 300, months = 25 } = {}): StudyFixture {
  let seed = 20190301;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const flag = (p: number) => (random() < p ? '1' : '0');

  const cohortDir = join(dir, 'output/inputs');
  mkdirSync(cohortDir, { recursive: true });
  const header =
    'patient_id,care_home_type,primis_carehome_pastyear,first_pos_test_sgss,covid_admission_date,antidepressent_ssri,antidepressent_ssri_previous,' +
    'ad_new_initiation,antipsychotics_prescribing,antipsychotics_prescribing_previous,ap_new_initiation,age,ageband_narrow,sex,imd,region,msoa,smr,practice,ethnicity';
  for (const date of monthDates(months)) {
    const lines = [header];
    for (let id = 1; id <= patients; id++) {
      const age = 65 + Math.floor(random() * 40);
      const band = AGEBANDS[Math.min(4, age < 75 ? 0 : Math.floor((age - 70) / 5))]!;
      const region = pick(REGIONS);
      const smr = random() < 0.5 ? `20${19 + Math.floor(random() * 3)}-0${1 + Math.floor(random() * 9)}` : '';
      lines.push(
        [id, pick(['PC', 'PN', 'PS', 'U']), flag(0.5), flag(0.05), flag(0.02), flag(0.25), flag(0.25), flag(0.03), flag(0.1), flag(0.1), flag(0.01), age, band,
          pick(['F', 'F', 'M']), Math.floor(random() * 6), region.includes(' ') ? `"${region}"` : region, `E0200${1000 + Math.floor(random() * 7000)}`, smr,
          PRACTICES[id % PRACTICES.length], random() < 0.25 ? '' : String(1 + Math.floor(random() * 5))].join(','),
      );
    }
    writeFileSync(join(cohortDir, `input_${date}.csv`), `${lines.join('\n')}\n`);
  }
  writeFileSync(join(cohortDir, 'input_ethnicity.csv'), 'patient_id,age,ethnicity\n1,70,1\n');

  const measureDir = join(dir, 'output/measures');
  mkdirSync(measureDir, { recursive: true });
  // As the "round" rule does to a whole count: 7 or less becomes 0, then the nearest multiple of 5.
  const round = (x: number) => {
    const n = Math.round(x);
    return n <= 7 ? 0 : Math.round(n / 5) * 5;
  };
  const measureIds: string[] = [];
  for (const control of [false, true]) {
    for (const [measure, numerator] of Object.entries(NUMERATORS)) {
      for (const [suffix, column] of Object.entries(GROUPINGS)) {
        const id = `${control ? 'control_' : ''}${measure}_${suffix}`;
        measureIds.push(id);
        const groups = column === 'care_home_type' ? (control ? ['NC', 'U'] : ['PC', 'PN', 'PS', 'U']) : column === 'ageband_narrow' ? AGEBANDS : REGIONS;
        const base = (measure.startsWith('ad') ? 0.25 : 0.1) * (measure.endsWith('new') ? 0.15 : 1) * (control ? 0.6 : 1);
        const rows = [`${column},${numerator},population,value,date`];
        monthDates(months).forEach((date, month) => {
          groups.forEach((group, g) => {
            const denominator = round(400 + Math.floor(random() * 600));
            const numerator = round(denominator * base * (1 + 0.04 * g) * (1 + 0.12 * Math.sin(month / 3)) * (0.9 + 0.2 * random()));
            const value = denominator === 0 ? '' : String(numerator / denominator);
            rows.push(`${group.includes(' ') ? `"${group}"` : group},${numerator},${denominator},${value},${date}`);
          });
        });
        writeFileSync(join(measureDir, `measure_${id}.csv`), `${rows.join('\n')}\n`);
        writeFileSync(join(measureDir, `measure_${id}_${monthDates(1)[0]}.csv`), `${column},${numerator},population,value\n`);
      }
      // Age-standardised, with intervals: the crude value's Wilson interval, and a standardised
      // rate a little below it with an interval around it.
      const id = `${control ? 'control_' : ''}${measure}_std`;
      measureIds.push(id);
      const base = (measure.startsWith('ad') ? 0.25 : 0.1) * (measure.endsWith('new') ? 0.15 : 1) * (control ? 0.6 : 1);
      const rows = [`${numerator},population,value,lower,upper,standardised_value,standardised_lower,standardised_upper,date`];
      monthDates(months).forEach((date) => {
        const denominator = round(2000 + Math.floor(random() * 500));
        const numerator = round(denominator * base * (0.9 + 0.2 * random()));
        const { lower, upper } = wilsonInterval(numerator, denominator);
        const value = numerator / denominator;
        const standardised = numerator < 10 ? ['', '', ''] : [0.9 * value, 0.7 * value, 1.15 * value].map(String);
        rows.push([numerator, denominator, value, lower, upper, ...standardised, date].join(','));
      });
      writeFileSync(join(measureDir, `measure_${id}.csv`), `${rows.join('\n')}\n`);
    }
  }
  // Prescribing by practice, each practice with its own level, rounded as "midpoint6" does (as the study's are).
  const midpoint6 = (x: number) => (x === 0 ? 0 : 6 * Math.ceil(x / 6) - 3);
  for (const control of [false, true]) {
    for (const [measure, numerator] of [['ad_prescribing_rate', 'antidepressent_ssri'], ['ap_prescribing_rate', 'antipsychotics_prescribing']] as const) {
      const id = `${control ? 'control_' : ''}${measure}_practice`;
      measureIds.push(id);
      const base = (measure.startsWith('ad') ? 0.3 : 0.15) * (control ? 0.5 : 1);
      const rows = [`practice,${numerator},population,value,date`];
      for (const date of monthDates(months)) {
        PRACTICES.forEach((practice, p) => {
          const denominator = midpoint6(40 + Math.floor(random() * 80));
          const numerator = midpoint6(Math.round(denominator * base * (0.5 + p / PRACTICES.length) * (0.9 + 0.2 * random())));
          rows.push(`${practice},${numerator},${denominator},${numerator / denominator},${date}`);
        });
      }
      writeFileSync(join(measureDir, `measure_${id}.csv`), `${rows.join('\n')}\n`);
    }
  }
  return { cohortGlob: join(cohortDir, 'input_*.csv'), measuresGlob: join(measureDir, 'measure_*.csv'), measureIds };
}
