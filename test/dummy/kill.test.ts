// generate-dummy writes its files as one set: stopped by SIGTERM or SIGINT while writing, the
// output folder is exactly as before; stopped once the files are being renamed into place, it is
// exactly complete; never a mix of two runs. Killed by SIGKILL, each file is still whole.

import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, cliProcess, tempDir } from '../helpers.js';
import { COMMIT_LOCK, TEMPORARY, expectSameFiles, readTree, runAndKill, type KillTrigger } from '../kill.js';

const FINAL_FILE = /^input_\d{4}-\d{2}-\d{2}\.csv$/;
let study: { dir: string; work: string; previous: Map<string, Buffer>; reference: Map<string, Buffer>; run: string[]; fresh(): void };

beforeAll(() => {
  const dir = tempDir();
  const args = (seed: string, out: string) => [
    'generate-dummy', '--schema', join(ROOT, 'analysis/dummy_study.json'), '--output-dir', out,
    '--index-date-range', '2020-01-01 to 2020-12-01 by month', '--population', '40000', '--seed', seed,
  ];
  expect(cliProcess(args('2', 'previous'), dir).code).toBe(0);
  expect(cliProcess(args('1', 'reference'), dir).code).toBe(0);
  const previous = readTree(join(dir, 'previous'));
  const reference = readTree(join(dir, 'reference'));
  expect(previous.size).toBe(12);
  for (const [name, bytes] of reference) expect(bytes.equals(previous.get(name)!), name).toBe(false);
  const work = join(dir, 'work');
  const fresh = () => {
    rmSync(work, { recursive: true, force: true });
    cpSync(join(dir, 'previous'), work, { recursive: true });
  };
  study = { dir, work, previous, reference, run: args('1', 'work'), fresh };
}, 240_000);

describe('generate-dummy stopped by SIGTERM or SIGINT', () => {
  it('leaves the output folder exactly as before or exactly complete, and exits 143 or 130', async () => {
    const { dir, work, previous, reference, run, fresh } = study;
    const cases: Array<[string, NodeJS.Signals, KillTrigger, 'previous' | 'new']> = [
      ['while writing the files', 'SIGTERM', { onFile: TEMPORARY, folder: work }, 'previous'],
      ['while writing the files', 'SIGINT', { onFile: TEMPORARY, folder: work }, 'previous'],
      ['while renaming into place', 'SIGTERM', { onFile: FINAL_FILE, folder: work }, 'new'],
    ];
    for (const [when, signal, trigger, expected] of cases) {
      fresh();
      const killed = await runAndKill(BIN, run, dir, trigger, signal);
      const what = `${signal} ${when}`;
      expect(killed.sent, what).toBe(true);
      expect(killed.code, what).toBe(signal === 'SIGTERM' ? 143 : 130);
      expectSameFiles(readTree(work), expected === 'previous' ? previous : reference, what);
    }
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
