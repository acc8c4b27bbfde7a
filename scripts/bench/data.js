// Synthetic cohort files shaped like the study's (18 columns, one file per month) and an
// ethnicity file, generated once per size and reused from .bench/<patients>/.

import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../dist/dummy/random.js';

export const COLUMNS = [
  'patient_id', 'care_home_type', 'primis_carehome_pastyear', 'first_pos_test_sgss', 'covid_admission_date',
  'antidepressent_ssri', 'antidepressent_ssri_previous', 'ad_new_initiation', 'antipsychotics_prescribing',
  'antipsychotics_prescribing_previous', 'ap_new_initiation', 'age', 'ageband_narrow', 'sex', 'imd', 'region', 'msoa', 'smr',
];

const REGIONS = ['North East', 'North West', 'Yorkshire and the Humber', 'East Midlands', 'West Midlands', 'East', 'London', 'South East', 'South West'];
const CARE_HOME = ['PC', 'PN', 'PS', 'U'];

/** Dates of the study: 2019-03-01 and the following months. */
export function monthDates(count) {
  const dates = [];
  for (let i = 0; i < count; i++) {
    const d = new Date(Date.UTC(2019, 2 + i, 1));
    dates.push(d.toISOString().slice(0, 10));
  }
  return dates;
}

function ageband(age) {
  if (age < 65) return '0';
  if (age < 75) return '65-74';
  if (age < 80) return '75-79';
  if (age < 85) return '80-84';
  if (age < 90) return '85-89';
  return '90+';
}

/** Writes `header` and the lines `lineOf(0 .. count - 1)` returns (null: none), whole or not at all. */
function writeLines(path, header, count, lineOf) {
  const parts = [`${header}\n`];
  let batch = '';
  for (let i = 0; i < count; i++) {
    const line = lineOf(i);
    if (line === null) continue;
    batch += line;
    if (batch.length > 1 << 20) {
      parts.push(batch);
      batch = '';
    }
  }
  parts.push(batch);
  writeFileSync(`${path}.part`, parts.join(''));
  renameSync(`${path}.part`, path);
}

function writeCohort(path, patients, month) {
  const random = mulberry32(1000 + month);
  const flag = (p) => (random() < p ? '1' : '0');
  writeLines(path, COLUMNS.join(','), patients, (i) => {
    // Ids overlap between months, as one population followed over time does.
    const id = 1_000_000_000 + i + month * Math.floor(patients / 50);
    const age = 65 + Math.floor(random() * 35);
    const region = REGIONS[Math.floor(random() * REGIONS.length)];
    const smr = random() < 0.55 ? `20${19 + Math.floor(random() * 3)}-0${1 + Math.floor(random() * 9)}` : '';
    return (
      `${id},${CARE_HOME[Math.floor(random() * 4)]},${flag(0.5)},${flag(0.05)},${flag(0.02)},${flag(0.25)},${flag(0.25)},${flag(0.03)},` +
      `${flag(0.1)},${flag(0.1)},${flag(0.01)},${age},${ageband(age)},${random() < 0.6 ? 'F' : 'M'},${Math.floor(random() * 6)},` +
      `${region.includes(' ') && random() < 0.1 ? `"${region}"` : region},E0200${String(1000 + Math.floor(random() * 6000))},${smr}\n`
    );
  });
}

function writeEthnicity(path, patients) {
  const random = mulberry32(7);
  const total = patients + 25 * Math.floor(patients / 50);
  writeLines(path, 'patient_id,age,ethnicity', total, (i) => {
    if (random() < 0.05) return null; // some patients have no ethnicity record
    const ethnicity = random() < 0.25 ? '' : String(1 + Math.floor(random() * 5));
    return `${1_000_000_000 + i},${65 + Math.floor(random() * 35)},${ethnicity}\n`;
  });
}

/** Creates (or reuses) `months` cohort files of `patients` rows and the ethnicity file. */
export function ensureBenchData(root, patients, months) {
  const dir = join(root, String(patients));
  const cohortDir = join(dir, 'cohort');
  mkdirSync(cohortDir, { recursive: true });
  const dates = monthDates(months);
  for (const [month, date] of dates.entries()) {
    const path = join(cohortDir, `input_${date}.csv`);
    if (!existsSync(path)) writeCohort(path, patients, month);
  }
  const ethnicity = join(dir, 'input_ethnicity.csv');
  if (!existsSync(ethnicity)) writeEthnicity(ethnicity, patients);
  const bytes = readdirSync(cohortDir)
    .filter((n) => dates.some((d) => n === `input_${d}.csv`))
    .reduce((sum, n) => sum + statSync(join(cohortDir, n)).size, 0);
  return { dir, cohortGlob: join(cohortDir, 'input_*.csv'), ethnicity, bytes, files: dates.length };
}

/** The flags a measure can count, and the groupings: 9 × 6 = 54 measures, the shape reported against cohort-extractor. */
const FLAGS = COLUMNS.slice(2, 11);
const GROUPINGS = [['care_home_type'], ['ageband_narrow'], ['region'], ['sex'], ['imd'], ['ageband_narrow', 'sex']];

/**
 * Writes the study's 12 grouped measures (analysis/measures.json without its age-standardised
 * ones, which DuckDB's GROUPING SETS query has no counterpart for); returns the path.
 */
export function ensureDefinitions12(root) {
  const study = JSON.parse(readFileSync(new URL('../../analysis/measures.json', import.meta.url), 'utf8'));
  const path = join(root, 'measures12.json');
  mkdirSync(root, { recursive: true });
  writeFileSync(path, `${JSON.stringify({ ...study, $schema: undefined, measures: study.measures.filter((m) => m.standardise === undefined) }, null, 1)}\n`);
  return path;
}

/** Writes (once) the definitions of 54 measures over the bench cohorts; returns the path. */
export function ensureDefinitions54(root) {
  const path = join(root, 'measures54.json');
  if (!existsSync(path)) {
    const measures = FLAGS.flatMap((flag) =>
      GROUPINGS.map((groupBy) => ({ id: `${flag}_by_${groupBy.join('_')}`, numerator: flag, denominator: 'population', group_by: groupBy })),
    );
    mkdirSync(root, { recursive: true });
    writeFileSync(path, `${JSON.stringify({ disclosure_control: 'round', measures }, null, 1)}\n`);
  }
  return path;
}
