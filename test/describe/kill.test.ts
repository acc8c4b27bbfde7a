// `describe` stopped part-way, over folders holding a previous run's tables and graphs: by
// SIGTERM or SIGINT it leaves both folders exactly as before or exactly complete (tables and
// graphs are one set); by SIGKILL every file is still either as the previous run wrote it or
// complete, never half-written under its own name, and a re-run writes the complete output.

import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { BIN, cliProcess, tempDir, writeFiles } from '../helpers.js';
import { COMMIT_LOCK, TEMPORARY, cohortText, expectSameFiles, expectStopsCleanly, killStudy, readTree, runAndKill, type KillStudy, type KillTrigger } from '../kill.js';

const DATES = ['2020-01-01', '2020-02-01', '2020-03-01'];
/** A combined measure file of `groups` groups over 24 months: its chart page is large, so writing it takes a while. */
function measureText(groups: number, seed: number): string {
  const lines = ['practice,antidepressant,population,value,date'];
  for (let month = 0; month < 24; month++) {
    const date = new Date(Date.UTC(2019, month, 1)).toISOString().slice(0, 10);
    // Counts as "round" releases them: 0, or a multiple of 5 above 7.
    for (let g = 0; g < groups; g++) {
      const count = ((g * 7 + month + seed) % 10) * 5;
      lines.push(`practice ${g},${count === 5 ? 0 : count},100,${(count === 5 ? 0 : count) / 100},${date}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
/** Three cohort files of about 6 MB: past this, the process is reading them, not starting up. */
const READING = 8 * 2 ** 20;

let study: KillStudy;
beforeAll(() => {
  const dir = tempDir({ 'measures_small/measure_ad.csv': measureText(3, 1), 'measures_big/measure_ad.csv': measureText(50, 0) });
  DATES.forEach((date, m) => writeFiles(dir, { [`big/input_${date}.csv`]: cohortText(150_000, m), [`small/input_${date}.csv`]: cohortText(400 + 50 * m, m) }));
  const args = (cohort: string, out: string) => ['describe', '--cohort', `${cohort}/input_*.csv`, '--measures', `measures_${cohort}/measure_*.csv`, '--tables-dir', `${out}/tables`, '--graphs-dir', `${out}/graphs`, '--jobs', '2'];
  expect(cliProcess(args('small', 'previous'), dir).code).toBe(0);
  expect(cliProcess(args('big', 'reference'), dir).code).toBe(0);
  study = killStudy(dir, args('big', 'work'));
  expect([...study.reference.keys()].sort()).toEqual([...study.previous.keys()].sort());
}, 240_000);

describe('describe stopped by SIGTERM or SIGINT', () => {
  it('leaves tables and graphs exactly as before or exactly complete, never a mix, and exits 143 or 130', async () => {
    const tables = join(study.work, 'tables');
    await expectStopsCleanly(BIN, study, [
      ['while reading the cohort files', 'SIGTERM', { readBytes: READING }, 'previous'],
      ['while writing temporaries', 'SIGINT', { onFile: TEMPORARY, folder: tables }, 'previous'],
      ['while renaming into place', 'SIGTERM', { onFile: /^descriptive_statistics_input_2020-01-01\.csv$/, folder: tables }, 'new'],
    ]);
  }, 240_000);
});

describe('describe killed by SIGKILL', () => {
  it('leaves each table and page as the previous run wrote it or complete, and a re-run completes the job', async () => {
    const { dir, work, previous, reference, run, fresh } = study;
    const cases: Array<[string, KillTrigger]> = [
      ['while reading the cohort files', { readBytes: READING }],
      ['while writing temporaries', { onFile: TEMPORARY, folder: join(work, 'tables') }],
      ['while renaming into place', { onFile: /^descriptive_statistics_input_2020-01-01\.csv$/, folder: join(work, 'tables') }],
      ['as the chart page is renamed into place', { onFile: /^ad\.html$/, folder: join(work, 'graphs') }],
    ];
    /** Kills a run at `trigger`; checks what always holds; returns where the kill landed. */
    const killOnce = async (when: string, trigger: KillTrigger) => {
      fresh();
      const killed = await runAndKill(BIN, run, dir, trigger);
      expect(killed.signal, when).toBe('SIGKILL');
      const found = readTree(work);
      for (const [name, bytes] of previous) {
        const now = found.get(name);
        expect(now !== undefined && (now.equals(bytes) || now.equals(reference.get(name)!)), `${when} ${name}`).toBe(true);
      }
      const others = [...found.keys()].filter((name) => !previous.has(name));
      for (const name of others) expect(name.split('/')[1], when).toMatch(new RegExp(`${TEMPORARY.source}|${COMMIT_LOCK.source}`));
      const changed = [...previous].filter(([name, bytes]) => !found.get(name)!.equals(bytes)).length;
      expect(cliProcess(run, dir).code).toBe(0);
      expectSameFiles(readTree(work), reference, `re-run after a kill ${when}`);
      return { others: others.length, changed };
    };
    for (const [when, trigger] of cases) {
      // Where it landed: reading, nothing written yet; writing, temporaries only; renaming, new
      // files. The temporaries are written in tens of milliseconds: on a busy machine the kill
      // can land after them, which proves nothing about that moment, so that case is tried
      // again, a few times at most.
      let landed = await killOnce(when, trigger);
      for (let attempt = 1; when.includes('temporaries') && !(landed.others > 0 && landed.changed === 0) && attempt < 5; attempt++) landed = await killOnce(when, trigger);
      if (when.includes('reading')) expect([landed.others, landed.changed], when).toEqual([0, 0]);
      if (when.includes('temporaries')) expect(landed.others > 0 && landed.changed === 0, when).toBe(true);
      if (when.includes('renamed into place') || when.includes('renaming')) expect(landed.changed, when).toBeGreaterThan(0);
    }
  }, 240_000);
});
