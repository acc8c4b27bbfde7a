// The bad-input corpus (test/fixtures/bad/cases.json) run through every command that reads such a
// file, as a separate process: exit code 2, exactly the expected one-line message (naming file and
// line), no stack trace, nothing written, every input byte-for-byte unchanged. Also what every
// command does with files that look odd but are not mistakes (a cohort file with a header only).

import { describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { cliProcess, snapshot, tempDir } from './helpers.js';

interface BadCase {
  file: string;
  message: string;
}

const FIXTURES = new URL('./fixtures/bad/', import.meta.url).pathname;
type Section = 'cohort' | 'join-cohort' | 'measures-cohort' | 'ethnicity' | 'definitions' | 'describe-config' | 'schema' | 'project' | 'accepted';
const cases = JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8')) as Record<Section, BadCase[]>;

const GOOD_COHORT = 'patient_id,age,sex\n1,70,F\n2,80,M\n';
const GOOD_ETHNICITY = 'patient_id,age,ethnicity\n1,70,3\n2,80,\n';
/**
 * Measures using only `age`, which every bad cohort file has, so the file's own fault is the one
 * reported; every group kept (the two-patient cohort would otherwise be left out whole).
 */
const MEASURES = JSON.stringify({ min_group_size: 0, measures: [{ id: 'age_total', numerator: 'age', denominator: 'population' }] });
/** A combined measure file for describe to chart. */
const MEASURE_FILE = 'age,population,value,date\n150,300,0.5,2020-01-01\n';
const DESCRIBE = ['describe', '--cohort', 'input/input_*', '--measures', 'measures/measure_*.csv', '--tables-dir', 'out/tables', '--graphs-dir', 'out/graphs'];

/** A study folder with one good monthly file and the bad file as the next month's. */
function studyWithBadCohort(file: string): { dir: string; bad: string } {
  const bad = `input/input_2020-02-01.${file.endsWith('.gz') ? 'csv.gz' : 'csv'}`;
  const dir = tempDir({ 'input/input_2020-01-01.csv': GOOD_COHORT, 'input_ethnicity.csv': GOOD_ETHNICITY, 'measures.json': MEASURES, 'measures/measure_age_total.csv': MEASURE_FILE });
  copyFileSync(join(FIXTURES, file), join(dir, bad));
  return { dir, bad };
}

/**
 * Runs the command and checks the refusal. `finished` lists files the command may have completed
 * before it met the bad one (join-ethnicity keeps files already joined, each whole), with their
 * complete contents; every other file must be exactly as it was.
 */
function expectRefused(dir: string, args: string[], message: string, finished: Record<string, string> = {}): void {
  const before = snapshot(dir);
  const result = cliProcess(args, dir);
  expect(result.stderr).toBe(`analyse: error: ${message}\n`);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const after = snapshot(dir);
  for (const [file, content] of Object.entries(finished)) {
    if (after[file] !== before[file]) expect(Buffer.from(after[file] ?? '', 'base64').toString()).toBe(content);
    before[file] = after[file]!;
    if (after[file] === undefined) delete before[file];
  }
  expect(after).toEqual(before);
}

const JOINED_GOOD_COHORT = 'patient_id,age,sex,ethnicity\n1,70,F,3\n2,80,M,\n';

interface CohortCommand {
  args: string[];
  /** Files the command may finish before meeting the bad file, with their complete contents. */
  finished?: Record<string, string>;
}

const cohortCommands: Record<string, CohortCommand> = {
  'join-ethnicity': {
    args: ['join-ethnicity', '--cohort', 'input/input_*', '--ethnicity', 'input_ethnicity.csv', '--output-dir', 'joined'],
    finished: { 'joined/input_2020-01-01.csv': JOINED_GOOD_COHORT },
  },
  'join-ethnicity in place': {
    args: ['join-ethnicity', '--cohort', 'input/input_*', '--ethnicity', 'input_ethnicity.csv'],
    finished: { 'input/input_2020-01-01.csv': JOINED_GOOD_COHORT },
  },
  measures: {
    args: ['measures', '--definitions', 'measures.json', '--cohort', 'input/input_*', '--output-dir', 'out'],
  },
};

describe('bad cohort files', () => {
  for (const [command, { args, finished }] of Object.entries(cohortCommands)) {
    const own = command.startsWith('join') ? cases['join-cohort'] : cases['measures-cohort'];
    for (const badCase of [...cases.cohort, ...own]) {
      it(`${command} refuses ${badCase.file}`, () => {
        const { dir, bad } = studyWithBadCohort(badCase.file);
        expectRefused(dir, args, badCase.message.replace('{file}', bad), finished);
      });
    }
  }
});

describe('bad ethnicity files', () => {
  for (const badCase of cases.ethnicity) {
    it(`join-ethnicity refuses ${badCase.file}`, () => {
      const dir = tempDir({ 'input/input_2020-01-01.csv': GOOD_COHORT });
      copyFileSync(join(FIXTURES, badCase.file), join(dir, 'eth.csv'));
      expectRefused(dir, ['join-ethnicity', '--cohort', 'input/*.csv', '--ethnicity', 'eth.csv'], badCase.message.replace('{file}', 'eth.csv'));
    });
  }
});

describe('bad measure definitions', () => {
  for (const badCase of cases.definitions) {
    it(`measures refuses ${badCase.file}`, () => {
      const dir = tempDir({ 'input/input_2020-01-01.csv': GOOD_COHORT });
      copyFileSync(join(FIXTURES, badCase.file), join(dir, 'defs.json'));
      expectRefused(dir, ['measures', '--definitions', 'defs.json', '--cohort', 'input/input_*', '--output-dir', 'out'], badCase.message.replace('{file}', 'defs.json'));
    });
  }
});

describe('cohort files measures refuses but other commands read', () => {
  for (const { file } of cases['measures-cohort']) {
    it(`join-ethnicity and describe accept ${file}: its values are not counts there`, () => {
      const { dir, bad } = studyWithBadCohort(file);
      const join_ = cliProcess(cohortCommands['join-ethnicity']!.args, dir);
      expect([join_.code, join_.stderr]).toEqual([0, '']);
      const input = Papa.parse<string[]>(readFileSync(join(dir, bad), 'utf8'), { skipEmptyLines: true }).data;
      const joined = Papa.parse<string[]>(readFileSync(join(dir, bad.replace('input/', 'joined/')), 'utf8'), { skipEmptyLines: true }).data;
      expect(joined).toEqual(input.map((row, i) => [...row, i === 0 ? 'ethnicity' : row[0] === '1' ? '3' : '']));
      const described = cliProcess(DESCRIBE, dir);
      expect([described.code, described.stderr]).toEqual([0, '']);
    });
  }
});

describe('bad describe configs, dummy schemas and projects', () => {
  for (const badCase of cases['describe-config']) {
    it(`describe refuses ${badCase.file}`, () => {
      const { dir } = studyWithBadCohort('header_only.csv');
      copyFileSync(join(FIXTURES, badCase.file), join(dir, 'describe.json'));
      expectRefused(dir, [...DESCRIBE, '--config', 'describe.json'], badCase.message.replace('{file}', 'describe.json'));
    });
  }
  for (const badCase of cases.schema) {
    it(`generate-dummy refuses ${badCase.file}`, () => {
      const dir = tempDir();
      copyFileSync(join(FIXTURES, badCase.file), join(dir, 'schema.json'));
      expectRefused(dir, ['generate-dummy', '--schema', 'schema.json', '--output-dir', 'out', '--population', '10'], badCase.message.replace('{file}', 'schema.json'));
    });
  }
  for (const badCase of cases.project) {
    it(`run refuses ${badCase.file}, running nothing`, () => {
      const dir = tempDir();
      copyFileSync(join(FIXTURES, badCase.file), join(dir, 'project.yaml'));
      expectRefused(dir, ['run', '--all'], badCase.message.replace('{file}', 'project.yaml'));
    });
  }
});

describe('a cohort file with a header and no rows is not a mistake', () => {
  for (const { file } of cases.accepted) {
    it(`every command reads ${file}: no rows, so nothing to count or describe`, () => {
      const { dir, bad } = studyWithBadCohort(file);
      const header = readFileSync(join(dir, bad), 'utf8');
      // join-ethnicity: the header gains the joined column, its line end (or none) kept.
      expect(cliProcess(cohortCommands['join-ethnicity']!.args, dir).code).toBe(0);
      expect(readFileSync(join(dir, 'joined/input_2020-02-01.csv'), 'utf8')).toBe(header.replace('sex', 'sex,ethnicity'));
      expect(readFileSync(join(dir, 'joined/input_2020-01-01.csv'), 'utf8')).toBe(JOINED_GOOD_COHORT);
      // measures: the month's file has the header only, and the combined file no row for it.
      expect(cliProcess(cohortCommands.measures!.args, dir).code).toBe(0);
      expect(readFileSync(join(dir, 'out/measure_age_total_2020-02-01.csv'), 'utf8')).toBe('age,population,value\n');
      expect(readFileSync(join(dir, 'out/measure_age_total.csv'), 'utf8')).toBe('age,population,value,date\n150,0,,2020-01-01\n');
      // describe: the month is described with every statistic blank, the population included.
      const described = cliProcess(DESCRIBE, dir);
      expect(described.code).toBe(0);
      const table = Papa.parse<string[]>(readFileSync(join(dir, 'out/tables/descriptive_statistics_input_2020-02-01.csv'), 'utf8'), { skipEmptyLines: true }).data;
      expect(table[0]).toEqual(['variable', 'type', 'level', 'statistic', 'value']);
      expect(table.slice(1).map((row) => row.slice(0, 4).join(','))).toEqual([
        'population,population,,count',
        // January's two ages are few whole numbers (codes, to the inference), and like F and M,
        // one patient each, are never listed (too few share them).
        'age,categorical,,missing', 'age,categorical,,percent',
        'sex,categorical,,missing', 'sex,categorical,,percent',
      ]);
      expect(table.slice(1).map((row) => row[4])).toEqual(Array(5).fill(''));
    });
  }
});

describe('bad command lines', () => {
  const lines: Array<[string, string[], string]> = [
    ['join-ethnicity: a --cohort glob that matches nothing', ['join-ethnicity', '--cohort', 'input/nothing_*.csv', '--ethnicity', 'input_ethnicity.csv'], '--cohort input/nothing_*.csv: matches no file'],
    ['join-ethnicity: a missing --ethnicity file', ['join-ethnicity', '--cohort', 'input/input_*', '--ethnicity', 'nothing.csv'], 'nothing.csv: file not found (the --ethnicity file)'],
    ['measures: a --cohort glob that matches nothing', ['measures', '--definitions', 'measures.json', '--cohort', 'input/nothing_*.csv', '--output-dir', 'out'], '--cohort input/nothing_*.csv: matches no file'],
    ['measures: a --cohort glob that matches no dated file', ['measures', '--definitions', 'measures.json', '--cohort', 'input_eth*', '--output-dir', 'out'], '--cohort input_eth*: matches no cohort file with a date in its name (such as input_2020-01-01.csv); measures are counted per date'],
    ['measures: a missing --definitions file', ['measures', '--definitions', 'nothing.json', '--cohort', 'input/input_*', '--output-dir', 'out'], 'nothing.json: file not found'],
    ['describe: a --cohort glob that matches nothing', ['describe', ...DESCRIBE.slice(1).map((a) => (a === 'input/input_*' ? 'input/nothing_*.csv' : a))], '--cohort input/nothing_*.csv: matches no file'],
    ['describe: a --measures glob that matches nothing', ['describe', ...DESCRIBE.slice(1).map((a) => (a === 'measures/measure_*.csv' ? 'nothing/measure_*.csv' : a))], '--measures nothing/measure_*.csv: matches no file'],
    ['describe: a missing --config file', [...DESCRIBE, '--config', 'nothing.json'], 'nothing.json: file not found'],
    ['generate-dummy: a missing --schema file', ['generate-dummy', '--schema', 'nothing.json', '--output-dir', 'out'], 'nothing.json: file not found'],
    ['run: a missing --project file', ['run', '--all', '--project', 'nothing/project.yaml'], 'nothing/project.yaml: file not found (give its path with --project)'],
    ['run: no project.yaml in the working folder', ['run', '--all'], 'project.yaml: file not found (give its path with --project)'],
  ];
  for (const [what, args, message] of lines) {
    it(what, () => {
      const { dir } = studyWithBadCohort('header_only.csv');
      expectRefused(dir, args, message);
    });
  }
});
