// A join killed (SIGKILL) at any moment leaves every cohort file either as it was or completely
// joined, never half-written under its own name; a re-run then finishes the job.

import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cliProcess, tempDir, writeFiles } from '../helpers.js';
import { runAndKill } from '../kill.js';

const MONTHS = ['2020-01-01', '2020-02-01', '2020-03-01'];

function cohortText(month: number): string {
  const rows = ['patient_id,care_home_type,age,region'];
  for (let i = 0; i < 400_000; i++) rows.push(`${i * 3 + month},PC,${65 + (i % 30)},"Yorkshire and the Humber"`);
  return `${rows.join('\n')}\n`;
}

describe('join-ethnicity killed mid-run', () => {
  it('leaves each file original or whole, and a re-run completes it', async () => {
    const dir = tempDir({ 'eth.csv': `patient_id,ethnicity\n${Array.from({ length: 600_000 }, (_, i) => `${i * 2},${i % 6 || ''}`).join('\n')}\n` });
    const originals = MONTHS.map((date, m) => {
      const text = cohortText(m);
      writeFiles(dir, { [`pristine/input_${date}.csv`]: text });
      return Buffer.from(text);
    });
    for (const folder of ['work', 'reference']) mkdirSync(join(dir, folder));
    const args = ['join-ethnicity', '--cohort', 'work/input_*.csv', '--ethnicity', 'eth.csv', '--jobs', '2'];
    // The expected result, from an uninterrupted run.
    for (const date of MONTHS) copyFileSync(join(dir, 'pristine', `input_${date}.csv`), join(dir, 'reference', `input_${date}.csv`));
    expect(cliProcess(['join-ethnicity', '--cohort', 'reference/input_*.csv', '--ethnicity', 'eth.csv'], dir).code).toBe(0);
    const joined = MONTHS.map((date) => readFileSync(join(dir, 'reference', `input_${date}.csv`)));

    let killedMidway = 0;
    for (const delay of [60, 150, 250, 400, 600, 900]) {
      for (const date of MONTHS) copyFileSync(join(dir, 'pristine', `input_${date}.csv`), join(dir, 'work', `input_${date}.csv`));
      const signal = await runAndKill(BIN, args, dir, { afterMs: delay });
      const states = MONTHS.map((date, m) => {
        const bytes = readFileSync(join(dir, 'work', `input_${date}.csv`));
        if (bytes.equals(originals[m]!)) return 'original';
        if (bytes.equals(joined[m]!)) return 'joined';
        return 'damaged';
      });
      expect(states).not.toContain('damaged');
      if (signal === 'SIGKILL' && states.includes('original')) killedMidway++;
      // Only the cohort files and, at most, hidden temporaries of a killed run.
      for (const name of readdirSync(join(dir, 'work'))) expect(name).toMatch(/^(input_\d{4}-\d{2}-\d{2}\.csv|\.input_\d{4}-\d{2}-\d{2}\.csv\.\d+\.[0-9a-f]+\.analyse-tmp)$/);

      expect(cliProcess(args, dir).code).toBe(0);
      MONTHS.forEach((date, m) => expect(readFileSync(join(dir, 'work', `input_${date}.csv`)).equals(joined[m]!)).toBe(true));
      expect(readdirSync(join(dir, 'work')).sort()).toEqual(MONTHS.map((d) => `input_${d}.csv`));
    }
    // The test means something only if some kills landed while files were being written.
    expect(killedMidway).toBeGreaterThan(0);
  });
});
