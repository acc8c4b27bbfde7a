// generate-dummy writes its files as one set: stopped by SIGTERM or SIGINT while writing, the
// output folder is exactly as before; stopped once the files are being renamed into place, it is
// exactly complete; never a mix of two runs. Killed by SIGKILL, each file is still whole.

import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { BIN, ROOT, cliProcess, tempDir } from '../helpers.js';
import { COMMIT_LOCK, TEMPORARY, expectSameFiles, expectStopsCleanly, killStudy, readTree, runAndKill, type KillStudy } from '../kill.js';

const FINAL_FILE = /^input_\d{4}-\d{2}-\d{2}\.csv$/;
let study: KillStudy;

beforeAll(() => {
  const dir = tempDir();
  const args = (seed: string, out: string) => [
    'generate-dummy', '--schema', join(ROOT, 'analysis/dummy_study.json'), '--output-dir', out,
    '--index-date-range', '2020-01-01 to 2020-12-01 by month', '--population', '40000', '--seed', seed,
  ];
  expect(cliProcess(args('2', 'previous'), dir).code).toBe(0);
  expect(cliProcess(args('1', 'reference'), dir).code).toBe(0);
  study = killStudy(dir, args('1', 'work'));
  expect(study.previous.size).toBe(12);
}, 240_000);

describe('generate-dummy stopped by SIGTERM or SIGINT', () => {
  it('leaves the output folder exactly as before or exactly complete, and exits 143 or 130', async () => {
    await expectStopsCleanly(BIN, study, [
      ['while writing the files', 'SIGTERM', { onFile: TEMPORARY, folder: study.work }, 'previous'],
      ['while writing the files', 'SIGINT', { onFile: TEMPORARY, folder: study.work }, 'previous'],
      ['while renaming into place', 'SIGTERM', { onFile: FINAL_FILE, folder: study.work }, 'new'],
    ]);
  }, 240_000);
});

describe('generate-dummy killed by SIGKILL', () => {
  it('leaves each file as before or whole, and a re-run completes the job', async () => {
    const { dir, work, previous, reference, run, fresh } = study;
    for (const trigger of [{ onFile: TEMPORARY, folder: work }, { onFile: FINAL_FILE, folder: work }]) {
      fresh();
      const killed = await runAndKill(BIN, run, dir, trigger);
      expect(killed.signal).toBe('SIGKILL');
      const found = readTree(work);
      for (const [name, bytes] of previous) expect(found.get(name)!.equals(bytes) || found.get(name)!.equals(reference.get(name)!), name).toBe(true);
      for (const name of found.keys()) if (!previous.has(name)) expect(name).toMatch(new RegExp(`${TEMPORARY.source}|${COMMIT_LOCK.source}`));
      expect(cliProcess(run, dir).code).toBe(0);
      expectSameFiles(readTree(work), reference);
    }
  }, 240_000);
});
