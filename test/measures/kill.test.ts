// `measures` killed (SIGKILL) at any moment, over an output folder holding a previous run's
// files, leaves every measure file either as the previous run wrote it or as the new run writes
// it in full, never half-written under its own name (temporaries are hidden, `.name.<pid>.<hex>.analyse-tmp`),
// and a re-run then writes the complete, correct output. Kills land while the cohort files are
// read and, triggered by the first temporary or the first renamed file, while outputs are written.

import { describe, expect, it } from 'vitest';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cliProcess, tempDir, writeFiles } from '../helpers.js';
import { cohortText, expectSameFiles, readTree, runAndKill, type KillTrigger } from '../kill.js';
import { MANIFEST_FILE } from '../../src/measures/stale-outputs.js';

const DATES = ['2020-01-01', '2020-02-01', '2020-03-01', '2020-04-01'];
const DEFINITIONS = JSON.stringify({
  disclosure_control: 'none',
  measures: [
    ...['antidepressant', 'antipsychotic'].flatMap((flag) => [
      { id: `${flag}_msoa`, numerator: flag, denominator: 'population', group_by: ['msoa'] },
      { id: `${flag}_msoa_sex`, numerator: flag, denominator: 'population', group_by: ['msoa', 'sex'] },
      { id: `${flag}_region`, numerator: flag, denominator: 'population', group_by: 'region' },
      { id: `${flag}_all`, numerator: flag, denominator: 'population' },
    ]),
    { id: 'ad_among_ap', numerator: 'antidepressant', denominator: 'antipsychotic', group_by: ['region', 'sex'] },
  ],
});

const MEASURE_FILE = /^measure_[a-z_]+(_\d{4}-\d{2}-\d{2})?\.csv$/;
const TEMPORARY = /^\.(measure_[a-z_]+(_\d{4}-\d{2}-\d{2})?\.csv|\.analyse-measures\.json)\.\d+\.[0-9a-f]+\.analyse-tmp$/;

describe('measures killed mid-run', () => {
  it('leaves each measure file as the previous run wrote it or complete, and a re-run completes the job', async () => {
    const dir = tempDir({ 'defs.json': DEFINITIONS });
    DATES.forEach((date, m) => writeFiles(dir, { [`big/input_${date}.csv`]: cohortText(250_000, m), [`small/input_${date}.csv`]: cohortText(500 + m, m) }));
    const args = (cohort: string, out: string) => ['measures', '--definitions', 'defs.json', '--cohort', `${cohort}/input_*.csv`, '--output-dir', out, '--jobs', '2'];
    // The previous run's outputs (from other cohort files, so every file differs) and the expected new ones.
    expect(cliProcess(args('small', 'previous'), dir).code).toBe(0);
    expect(cliProcess(args('big', 'reference'), dir).code).toBe(0);
    const previous = readTree(join(dir, 'previous'));
    const reference = readTree(join(dir, 'reference'));
    // Every measure file, and the folder's manifest of them (the same in both: the same files).
    expect(previous.size).toBe(9 * 5 + 1);
    expect([...reference.keys()].sort()).toEqual([...previous.keys()].sort());
    for (const [name, bytes] of reference) expect(bytes.equals(previous.get(name)!), name).toBe(name === MANIFEST_FILE);

    const work = join(dir, 'work');
    const onFile = (pattern: RegExp): KillTrigger => ({ onFile: pattern, folder: work });
    // Timed kills land while the files are read; the others on the first temporary written, the
    // first file renamed into place, and one halfway through the renames.
    const triggers: KillTrigger[] = [{ afterMs: 150 }, { afterMs: 400 }, { afterMs: 800 }, onFile(TEMPORARY), onFile(MEASURE_FILE), onFile(/^measure_antipsychotic_msoa_2020-01-01\.csv$/)];
    let killedReading = 0;
    let killedWriting = 0;
    for (const trigger of triggers) {
      rmSync(work, { recursive: true, force: true });
      cpSync(join(dir, 'previous'), work, { recursive: true });
      const signal = await runAndKill(BIN, args('big', 'work'), dir, trigger);
      const found = readTree(work);
      const states = [...previous.keys()].map((name) => {
        const bytes = found.get(name);
        if (bytes === undefined) return 'missing';
        if (bytes.equals(previous.get(name)!)) return 'previous';
        return bytes.equals(reference.get(name)!) ? 'new' : 'damaged';
      });
      expect(states).not.toContain('damaged');
      expect(states).not.toContain('missing');
      // Nothing else but hidden temporaries of the killed run.
      const others = [...found.keys()].filter((name) => !previous.has(name));
      for (const name of others) expect(name).toMatch(TEMPORARY);
      if (signal === 'SIGKILL') {
        if (others.length > 0 || states.includes('new')) killedWriting++;
        else killedReading++;
      }

      // A re-run writes the complete output and clears the killed run's temporaries.
      expect(cliProcess(args('big', 'work'), dir).code).toBe(0);
      expectSameFiles(readTree(work), reference);
    }
    // The test means something only if kills landed both while reading and while writing.
    expect(killedReading).toBeGreaterThan(0);
    expect(killedWriting).toBeGreaterThan(0);
  });
});
