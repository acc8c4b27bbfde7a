// `measures` stopped part-way, over an output folder holding a previous run's files (among them
// those of a measure no longer defined, which the new run removes):
// - by SIGTERM or SIGINT, it exits 143 or 130 and leaves the folder exactly as before or exactly
//   as a complete run leaves it, never a mix, with no temporary file and no lock;
// - by SIGKILL, which cannot be handled, each file is still either the previous one or the new
//   one, never half-written under its own name, and a re-run completes the job.
// Signals are sent at proven moments: once the cohort files are being read (bytes read), when the
// first temporary appears (outputs being written), and when the first file is renamed into place
// (the rename phase, made long by writing 2,000 files).

import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliProcess, tempDir, writeFiles } from '../helpers.js';
import { TEMPORARY, cohortText, expectSameFiles, expectStopsCleanly, killStudy, readTree, runAndKill, type KillStudy, type KillTrigger } from '../kill.js';

const DATES = ['2020-01-01', '2020-02-01', '2020-03-01', '2020-04-01'];
/** 400 measures over 4 dates: 2,000 files. */
const MEASURES = Array.from({ length: 400 }, (_, k) => ({
  id: `m${k}`,
  numerator: k % 2 ? 'antidepressant' : 'antipsychotic',
  denominator: 'population',
  group_by: k % 3 ? ['region'] : ['sex'],
}));
const EXTRA = { id: 'no_longer_defined', numerator: 'antidepressant', denominator: 'population', group_by: ['sex'] };
/** A cohort file is 8 MB: past this, the process is reading cohort files, not starting up. */
const READING = 12 * 2 ** 20;
const FINAL_FILE = /^measure_[a-z0-9_]+(_\d{4}-\d{2}-\d{2})?\.csv$/;

function setUp() {
  // The previous run's definitions had one more measure; the same file now defines one fewer.
  const dir = tempDir({ 'defs.json': JSON.stringify({ disclosure_control: 'none', measures: [...MEASURES, EXTRA] }) });
  DATES.forEach((date, m) => writeFiles(dir, { [`big/input_${date}.csv`]: cohortText(200_000, m), [`small/input_${date}.csv`]: cohortText(500 + m, m) }));
  const args = (cohort: string, out: string) => ['measures', '--definitions', 'defs.json', '--cohort', `${cohort}/input_*.csv`, '--output-dir', out, '--jobs', '2'];
  // The previous run's outputs (from other cohort files, so every file differs) and the expected new ones.
  expect(cliProcess(args('small', 'previous'), dir).code).toBe(0);
  writeFiles(dir, { 'defs.json': JSON.stringify({ disclosure_control: 'none', measures: MEASURES }) });
  expect(cliProcess(args('big', 'reference'), dir).code).toBe(0);
  const study = killStudy(dir, args('big', 'work'));
  // Five files per measure; the previous run had one measure more, whose files the new run removes.
  expect(study.previous.size).toBe(401 * 5);
  expect(study.reference.size).toBe(400 * 5);
  return study;
}

let study: KillStudy;
beforeAll(() => {
  study = setUp();
}, 400_000);

describe('measures stopped by SIGTERM or SIGINT', () => {
  it('leaves the output folder exactly as before or exactly complete, with no temporary or lock, and exits 143 or 130', async () => {
    const work = study.work;
    await expectStopsCleanly(BIN, study, [
      ['while reading the cohort files', 'SIGTERM', { readBytes: READING }, 'previous'],
      ['while writing temporaries', 'SIGTERM', { onFile: TEMPORARY, folder: work }, 'previous'],
      ['while renaming into place', 'SIGTERM', { onFile: FINAL_FILE, folder: work }, 'new'],
      ['while reading the cohort files', 'SIGINT', { readBytes: READING }, 'previous'],
      ['while renaming into place', 'SIGINT', { onFile: FINAL_FILE, folder: work }, 'new'],
    ]);
  }, 400_000);
});

describe('measures killed by SIGKILL', () => {
  it('leaves each measure file as the previous run wrote it or complete, and a re-run completes the job', async () => {
    const { dir, work, fresh, previous, reference, run } = study;
    const cases: Array<[string, KillTrigger]> = [
      ['while reading the cohort files', { readBytes: READING }],
      ['while writing temporaries', { onFile: TEMPORARY, folder: work }],
      ['while renaming into place', { onFile: FINAL_FILE, folder: work }],
    ];
    for (const [when, trigger] of cases) {
      fresh();
      const killed = await runAndKill(BIN, run, dir, trigger);
      expect(killed.signal, when).toBe('SIGKILL');
      const found = readTree(work);
      const states = [...previous.keys()].map((name) => {
        const bytes = found.get(name);
        if (bytes === undefined) return name === `measure_${EXTRA.id}.csv` || name.startsWith(`measure_${EXTRA.id}_`) ? 'removed' : 'missing';
        if (bytes.equals(previous.get(name)!)) return 'previous';
        return bytes.equals(reference.get(name) ?? Buffer.alloc(0)) ? 'new' : 'damaged';
      });
      expect(states, when).not.toContain('damaged');
      expect(states, when).not.toContain('missing');
      // Nothing else but hidden temporaries, and the lock of the renames, of the killed run.
      for (const name of found.keys()) if (!previous.has(name)) expect(name, when).toMatch(/^\.analyse-commit\.lock$|^\.[^/]+\.[0-9a-f]{8}-\d+\.[0-9a-f]+\.analyse-tmp$/);
      // Where it landed: reading, nothing written yet; writing, temporaries but no new file; renaming, new files.
      if (when.includes('reading')) expect(states.every((s) => s === 'previous') && found.size === previous.size, when).toBe(true);
      if (when.includes('temporaries')) expect([...found.keys()].some((name) => TEMPORARY.test(name)) && !states.includes('new'), when).toBe(true);
      if (when.includes('renaming')) expect(states, when).toContain('new');

      // A re-run writes the complete output and clears the killed run's temporaries and lock.
      expect(cliProcess(run, dir).code).toBe(0);
      expectSameFiles(readTree(work), reference, `re-run after a kill ${when}`);
    }
  }, 400_000);
});
