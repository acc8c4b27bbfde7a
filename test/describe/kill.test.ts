// `describe` killed (SIGKILL) at any moment, over folders holding a previous run's tables and
// graphs, leaves every file either as the previous run wrote it or complete, never half-written
// under its own name; a re-run then writes the complete, correct output.

import { describe, expect, it } from 'vitest';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cliProcess, tempDir, writeFiles } from '../helpers.js';
import { cohortText, expectSameFiles, readTree, runAndKill, type KillTrigger } from '../kill.js';

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
const TEMPORARY = /^\.[^/]+\.(csv|html|json|svg)\.\d+\.[0-9a-f]+\.analyse-tmp$/;

describe('describe killed mid-run', () => {
  it('leaves each table and page as the previous run wrote it or complete, and a re-run completes the job', async () => {
    const dir = tempDir({ 'measures_small/measure_ad.csv': measureText(3, 1), 'measures_big/measure_ad.csv': measureText(50, 0) });
    DATES.forEach((date, m) => writeFiles(dir, { [`big/input_${date}.csv`]: cohortText(150_000, m), [`small/input_${date}.csv`]: cohortText(400 + 50 * m, m) }));
    const args = (cohort: string, out: string) => ['describe', '--cohort', `${cohort}/input_*.csv`, '--measures', `measures_${cohort}/measure_*.csv`, '--tables-dir', `${out}/tables`, '--graphs-dir', `${out}/graphs`, '--jobs', '2'];
    expect(cliProcess(args('small', 'previous'), dir).code).toBe(0);
    expect(cliProcess(args('big', 'reference'), dir).code).toBe(0);
    const previous = readTree(join(dir, 'previous'));
    const reference = readTree(join(dir, 'reference'));
    expect([...reference.keys()].sort()).toEqual([...previous.keys()].sort());
    for (const [name, bytes] of reference) expect(bytes.equals(previous.get(name)!), name).toBe(false);

    const work = join(dir, 'work');
    // Killed while reading; on the first temporary; on the first table renamed into place; as the chart page appears.
    const triggers: KillTrigger[] = [
      { afterMs: 200 },
      { onFile: TEMPORARY, folder: join(work, 'tables') },
      { onFile: /^descriptive_statistics_input_2020-01-01\.csv$/, folder: join(work, 'tables') },
      { onFile: /^ad\.html$/, folder: join(work, 'graphs') },
    ];
    let killedReading = 0;
    let killedWriting = 0;
    for (const trigger of triggers) {
      rmSync(work, { recursive: true, force: true });
      cpSync(join(dir, 'previous'), work, { recursive: true });
      const signal = await runAndKill(BIN, args('big', 'work'), dir, trigger);
      const found = readTree(work);
      for (const [name, bytes] of previous) {
        const now = found.get(name);
        expect(now !== undefined && (now.equals(bytes) || now.equals(reference.get(name)!)), name).toBe(true);
      }
      const others = [...found.keys()].filter((name) => !previous.has(name));
      for (const name of others) expect(name.split('/')[1]).toMatch(TEMPORARY);
      const changed = [...previous].some(([name, bytes]) => !found.get(name)!.equals(bytes));
      if (signal === 'SIGKILL') {
        if (others.length > 0 || changed) killedWriting++;
        else killedReading++;
      }

      expect(cliProcess(args('big', 'work'), dir).code).toBe(0);
      expectSameFiles(readTree(work), reference);
    }
    expect(killedReading).toBeGreaterThan(0);
    expect(killedWriting).toBeGreaterThan(0);
  });
});
