// The shared bad-input corpus (test/fixtures/bad/cases.json) through analyse describe, as a
// separate process: exit 2, exactly the expected message, nothing written, inputs unchanged.

import { describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliProcess, snapshot, tempDir } from '../helpers.js';
import { ONE_MEASURE } from './cohort-text.js';

const FIXTURES = new URL('../fixtures/bad/', import.meta.url).pathname;
const cases = JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8')) as { cohort: Array<{ file: string; message: string }> };

const ARGS = ['describe', '--cohort', 'input/input_*', '--measures', 'measures/measure_*.csv', '--tables-dir', 'out/tables', '--graphs-dir', 'out/graphs'];

describe('analyse describe refuses bad cohort files', () => {
  const extra = [
    { file: 'duplicate_key_column.csv', message: '{file}, line 1: the column "patient_id" appears more than once in the header, so it is unclear which to use' },
  ];
  for (const badCase of [...cases.cohort, ...extra]) {
    it(`refuses ${badCase.file}`, () => {
      const bad = `input/input_2020-02-01.${badCase.file.endsWith('.gz') ? 'csv.gz' : 'csv'}`;
      const dir = tempDir({ 'input/input_2020-01-01.csv': 'patient_id,age,sex\n1,70,F\n2,80,M\n', 'measures/measure_sex.csv': ONE_MEASURE });
      copyFileSync(join(FIXTURES, badCase.file), join(dir, bad));
      const before = snapshot(dir);
      const result = cliProcess(ARGS, dir);
      expect(result.stderr).toBe(`analyse: error: ${badCase.message.replace('{file}', bad)}\n`);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(snapshot(dir)).toEqual(before);
    });
  }
});
