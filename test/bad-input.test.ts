// The bad-input corpus (test/fixtures/bad/cases.json) run through every command that reads such a
// file, as a separate process: exit code 2, exactly the expected one-line message (naming file and
// line), no stack trace, nothing written, every input byte-for-byte unchanged.

import { describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliProcess, snapshot, tempDir } from './helpers.js';

interface BadCase {
  file: string;
  message: string;
}

const FIXTURES = new URL('./fixtures/bad/', import.meta.url).pathname;
const cases = JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8')) as Record<'cohort' | 'join-cohort' | 'ethnicity', BadCase[]>;

const GOOD_COHORT = 'patient_id,age,sex\n1,70,F\n2,80,M\n';
const GOOD_ETHNICITY = 'patient_id,age,ethnicity\n1,70,3\n2,80,\n';

/** A study folder with one good monthly file and the bad file as the next month's. */
function studyWithBadCohort(file: string): { dir: string; bad: string } {
  const bad = `input/input_2020-02-01.${file.endsWith('.gz') ? 'csv.gz' : 'csv'}`;
  const dir = tempDir({ 'input/input_2020-01-01.csv': GOOD_COHORT, 'input_ethnicity.csv': GOOD_ETHNICITY });
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
};

describe('bad cohort files', () => {
  for (const [command, { args, finished }] of Object.entries(cohortCommands)) {
    for (const badCase of [...cases.cohort, ...(command.startsWith('join') ? cases['join-cohort'] : [])]) {
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

describe('bad command lines', () => {
  it('a glob that matches nothing', () => {
    const dir = tempDir({ 'input_ethnicity.csv': GOOD_ETHNICITY });
    expectRefused(dir, ['join-ethnicity', '--cohort', 'input/nothing_*.csv', '--ethnicity', 'input_ethnicity.csv'], '--cohort input/nothing_*.csv: matches no file');
  });
});
