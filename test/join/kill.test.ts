// An in-place join stopped part-way leaves every cohort file either as it was or completely
// joined, never half-written under its own name; stopped by SIGTERM or SIGINT it also leaves no
// temporary file and exits 143 or 130; killed by SIGKILL, a re-run finishes the job. The signal is
// sent at a proven moment: when the first temporary appears (files being written), or when the
// first joined file is renamed into place (one joined while another is still being written).

import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cliProcess, tempDir, writeFiles } from '../helpers.js';
import { TEMPORARY, runAndKill, type KillTrigger } from '../kill.js';

const MONTHS = ['2020-01-01', '2020-02-01', '2020-03-01'];
const COHORT_FILE = /^input_\d{4}-\d{2}-\d{2}\.csv$/;

function cohortText(month: number): string {
  const rows = ['patient_id,care_home_type,age,region'];
  for (let i = 0; i < 400_000; i++) rows.push(`${i * 3 + month},PC,${65 + (i % 30)},"Yorkshire and the Humber"`);
  return `${rows.join('\n')}\n`;
}

let dir = '';
let originals: Buffer[] = [];
let joined: Buffer[] = [];
const args = ['join-ethnicity', '--cohort', 'work/input_*.csv', '--ethnicity', 'eth.csv', '--jobs', '2'];

beforeAll(() => {
  dir = tempDir({ 'eth.csv': `patient_id,ethnicity\n${Array.from({ length: 600_000 }, (_, i) => `${i * 2},${i % 6 || ''}`).join('\n')}\n` });
  originals = MONTHS.map((date, m) => {
    const text = cohortText(m);
    writeFiles(dir, { [`pristine/input_${date}.csv`]: text });
    return Buffer.from(text);
  });
  for (const folder of ['work', 'reference']) mkdirSync(join(dir, folder));
  // The expected result, from an uninterrupted run.
  for (const date of MONTHS) copyFileSync(join(dir, 'pristine', `input_${date}.csv`), join(dir, 'reference', `input_${date}.csv`));
  expect(cliProcess(['join-ethnicity', '--cohort', 'reference/input_*.csv', '--ethnicity', 'eth.csv'], dir).code).toBe(0);
  joined = MONTHS.map((date) => readFileSync(join(dir, 'reference', `input_${date}.csv`)));
}, 240_000);

/** Each work file's state, after the originals were copied in and the join was stopped. */
async function stopJoin(trigger: KillTrigger, signal: NodeJS.Signals) {
  for (const date of MONTHS) copyFileSync(join(dir, 'pristine', `input_${date}.csv`), join(dir, 'work', `input_${date}.csv`));
  const killed = await runAndKill(BIN, args, dir, trigger, signal);
  const states = MONTHS.map((date, m) => {
    const bytes = readFileSync(join(dir, 'work', `input_${date}.csv`));
    if (bytes.equals(originals[m]!)) return 'original';
    if (bytes.equals(joined[m]!)) return 'joined';
    return 'damaged';
  });
  return { killed, states, names: readdirSync(join(dir, 'work')).sort() };
}

describe('join-ethnicity in place, stopped by SIGTERM or SIGINT', () => {
  it('leaves each file original or whole, no temporary file, and exits 143 or 130', async () => {
    const work = join(dir, 'work');
    const cases: Array<[string, NodeJS.Signals, KillTrigger]> = [
      ['while writing the first files', 'SIGTERM', { onFile: TEMPORARY, folder: work }],
      ['once the first file is joined', 'SIGTERM', { onFile: COHORT_FILE, folder: work }],
      ['while writing the first files', 'SIGINT', { onFile: TEMPORARY, folder: work }],
      ['once the first file is joined', 'SIGINT', { onFile: COHORT_FILE, folder: work }],
    ];
    for (const [when, signal, trigger] of cases) {
      const { killed, states, names } = await stopJoin(trigger, signal);
      const what = `${signal} ${when}`;
      expect(killed.sent, what).toBe(true);
      expect(killed.code, what).toBe(signal === 'SIGTERM' ? 143 : 130);
      expect(states, what).not.toContain('damaged');
      // Stopped part-way: at least one file was left as it was.
      expect(states, what).toContain('original');
      if (when.includes('joined')) expect(states, what).toContain('joined');
      expect(names, what).toEqual(MONTHS.map((date) => `input_${date}.csv`));
    }
  }, 240_000);
});

describe('join-ethnicity in place, killed by SIGKILL', () => {
  it('leaves each file original or whole, and a re-run completes it', async () => {
    const work = join(dir, 'work');
    const cases: Array<[string, KillTrigger]> = [
      ['while writing the first files', { onFile: TEMPORARY, folder: work }],
      ['once the first file is joined', { onFile: COHORT_FILE, folder: work }],
    ];
    for (const [when, trigger] of cases) {
      const { killed, states, names } = await stopJoin(trigger, 'SIGKILL');
      expect(killed.signal, when).toBe('SIGKILL');
      expect(states, when).not.toContain('damaged');
      // Where it landed: temporaries of the files being written are left, beside at least one original.
      expect(states, when).toContain('original');
      expect(names.some((name) => TEMPORARY.test(name)), when).toBe(true);
      if (when.includes('joined')) expect(states, when).toContain('joined');
      for (const name of names) expect(name, when).toMatch(new RegExp(`${COHORT_FILE.source}|${TEMPORARY.source}|^\\.analyse-commit\\.lock$`));

      // The killed process is gone, so its temporaries are removed by the next run.
      expect(cliProcess(args, dir).code).toBe(0);
      MONTHS.forEach((date, m) => expect(readFileSync(join(work, `input_${date}.csv`)).equals(joined[m]!), `${when} ${date}`).toBe(true));
      expect(readdirSync(work).sort()).toEqual(MONTHS.map((d) => `input_${d}.csv`));
    }
  }, 240_000);
});
