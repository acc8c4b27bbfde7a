// Failures of the machine, made real: a full disk (a small tmpfs), a read-only file system, a
// folder the user may not write in, too few file descriptors. Each gives exit 1 and one line
// naming the path and the reason (never "a bug", never a stack trace), leaves the outputs as they
// were, and leaves no temporary file and no empty output folder. Mounting needs root: where it
// is not allowed, the tests say so and are skipped.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cliProcess, listFiles, snapshot, tempDir, writeFiles } from './helpers.js';
import { cohortText } from './kill.js';

const DATES = ['2020-01-01', '2020-02-01'];
/** Ten measures by msoa (4,000 groups): about 3 MB of measure files. */
const DEFINITIONS = JSON.stringify({
  disclosure_control: 'none',
  measures: Array.from({ length: 10 }, (_, i) => ({ id: `m${i}_msoa`, numerator: 'antidepressant', denominator: 'population', group_by: ['msoa'] })),
});
const SMALL_DEFINITIONS = JSON.stringify({ measures: [{ id: 'all', numerator: 'antidepressant', denominator: 'population' }] });
const SCHEMA = JSON.stringify({ index_date: '2020-01-01', variables: { flag: { bool: true, incidence: 0.3 } } });

const mounts: string[] = [];
afterAll(() => {
  for (const dir of mounts.reverse()) spawnSync('umount', [dir]);
});

/** A fresh tmpfs of `size` at `dir` (options such as `ro`); false where mounting is not allowed. */
function mountTmpfs(dir: string, size: string, extra = ''): boolean {
  mkdirSync(dir, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${extra}`, 'tmpfs', dir]).status === 0;
  if (mounted) mounts.push(dir);
  return mounted;
}

function study(): string {
  const dir = tempDir({ 'defs.json': DEFINITIONS, 'small.json': SMALL_DEFINITIONS, 'schema.json': SCHEMA, 'eth.csv': 'patient_id,ethnicity\n1,3\n' });
  DATES.forEach((date, m) => writeFiles(dir, { [`input/input_${date}.csv`]: cohortText(20_000, m) }));
  return dir;
}

/** The one line a machine failure gives: the path, what failed and why. */
function expectMachineFailure(result: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(result.stderr).not.toMatch(/internal error|bug|\n\s+at /);
  expect(result.code).toBe(1);
}

describe('a full disk', () => {
  let dir = '';
  let disk = '';
  let canMount = true;
  beforeAll(() => {
    dir = study();
    disk = join(dir, 'disk');
    canMount = mountTmpfs(disk, '1m');
    if (!canMount) console.warn('machine.process.test.ts: cannot mount a tmpfs here (root is needed): the full-disk tests are skipped');
  });

  it('measures: exit 1 naming the file, no empty output folder, no temporary', (context) => {
    if (!canMount) return context.skip();
    const result = cliProcess(['measures', '--definitions', 'defs.json', '--cohort', 'input/input_*.csv', '--output-dir', 'disk/out/measures'], dir);
    expectMachineFailure(result, /^analyse: error: disk\/out\/measures\/measure_m\d_msoa(_\d{4}-\d\d-\d\d)?\.csv: cannot write: no space left on the device \(ENOSPC\)\n$/);
    expect(listFiles(disk)).toEqual([]);
    expect(spawnSync('ls', ['-A', disk], { encoding: 'utf8' }).stdout).toBe('');
  });

  it('measures over an earlier run: every earlier file stays as it was', (context) => {
    if (!canMount) return context.skip();
    expect(cliProcess(['measures', '--definitions', 'small.json', '--cohort', 'input/input_*.csv', '--output-dir', 'disk/m'], dir).code).toBe(0);
    const before = snapshot(join(disk, 'm'));
    expect(Object.keys(before)).toEqual(['measure_all.csv', 'measure_all_2020-01-01.csv', 'measure_all_2020-02-01.csv']);
    const result = cliProcess(['measures', '--definitions', 'defs.json', '--cohort', 'input/input_*.csv', '--output-dir', 'disk/m'], dir);
    expectMachineFailure(result, /^analyse: error: disk\/m\/measure_m\d_msoa(_\d{4}-\d\d-\d\d)?\.csv: cannot write: no space left on the device \(ENOSPC\)\n$/);
    expect(snapshot(join(disk, 'm'))).toEqual(before);
    rmSync(join(disk, 'm'), { recursive: true });
  });

  it('describe, join-ethnicity and generate-dummy: exit 1 naming the file, nothing left behind', (context) => {
    if (!canMount) return context.skip();
    writeFiles(dir, { 'm/measure_a.csv': 'n,population,value,date\n10,20,0.5,2020-01-01\n' });
    // The tables and pages take some 30 kB: 16 kB are left.
    writeFileSync(join(disk, 'filler'), Buffer.alloc(1024 * 1024 - 16 * 1024));
    const describe = cliProcess(['describe', '--cohort', 'input/input_*.csv', '--measures', 'm/measure_*.csv', '--tables-dir', 'disk/tables', '--graphs-dir', 'disk/graphs'], dir);
    expectMachineFailure(describe, /^analyse: error: disk\/(tables|graphs)\/[^:]+: cannot write: no space left on the device \(ENOSPC\)\n$/);
    expect(listFiles(disk)).toEqual(['filler']);
    rmSync(join(disk, 'filler'));
    const join_ = cliProcess(['join-ethnicity', '--cohort', 'input/input_*.csv', '--ethnicity', 'eth.csv', '--output-dir', 'disk/joined', '--jobs', '1'], dir);
    // The first file fits and, joined whole, stays (a re-run finishes the job); the second does not.
    expectMachineFailure(join_, /^analyse: error: disk\/joined\/input_2020-02-01\.csv: cannot write: no space left on the device \(ENOSPC\)\n$/);
    expect(listFiles(join(disk, 'joined'))).toEqual(['input_2020-01-01.csv']);
    rmSync(join(disk, 'joined'), { recursive: true });
    const dummy = cliProcess(['generate-dummy', '--schema', 'schema.json', '--output-dir', 'disk/dummy', '--population', '200000', '--index-date-range', '2020-01-01 to 2020-03-01 by month'], dir);
    expectMachineFailure(dummy, /^analyse: error: disk\/dummy\/input_2020-0\d-01\.csv: cannot write: no space left on the device \(ENOSPC\)\n$/);
    expect(spawnSync('ls', ['-A', disk], { encoding: 'utf8' }).stdout).toBe('');
  });

  it('an in-place join of files on the full disk: every file stays as it was', (context) => {
    if (!canMount) return context.skip();
    mkdirSync(join(disk, 'in'));
    // Two files of about 400 kB: the joined copy of the first does not fit beside them.
    for (const [m, date] of DATES.entries()) writeFileSync(join(disk, 'in', `input_${date}.csv`), cohortText(9_000, m));
    const before = snapshot(join(disk, 'in'));
    const result = cliProcess(['join-ethnicity', '--cohort', 'disk/in/input_*.csv', '--ethnicity', 'eth.csv', '--jobs', '1'], dir);
    expectMachineFailure(result, /^analyse: error: disk\/in\/input_2020-01-01\.csv: cannot write: no space left on the device \(ENOSPC\)\n$/);
    expect(snapshot(join(disk, 'in'))).toEqual(before);
    rmSync(join(disk, 'in'), { recursive: true });
  });
});

describe('a read-only file system, a folder the user may not write in, too few file descriptors', () => {
  it('a read-only file system', (context) => {
    const dir = study();
    if (!mountTmpfs(join(dir, 'ro'), '1m', ',ro')) return context.skip('cannot mount a tmpfs here (root is needed)');
    const result = cliProcess(['measures', '--definitions', 'small.json', '--cohort', 'input/input_*.csv', '--output-dir', 'ro/out'], dir);
    expectMachineFailure(result, /^analyse: error: ro\/out: cannot create the folder: the file system is read-only \(EROFS\)\n$/);
  });

  it('a folder the user may not write in (run as another user)', (context) => {
    if (process.getuid?.() !== 0) return context.skip('only root can run the command as another user here');
    const dir = study();
    mkdirSync(join(dir, 'locked'));
    for (const path of [dir, join(dir, 'input')]) chmodSync(path, 0o755);
    for (const path of ['small.json', 'input/input_2020-01-01.csv', 'input/input_2020-02-01.csv']) chmodSync(join(dir, path), 0o644);
    const result = spawnSync(process.execPath, [BIN, 'measures', '--definitions', 'small.json', '--cohort', 'input/input_*.csv', '--output-dir', 'locked'], { cwd: dir, encoding: 'utf8', uid: 65534, gid: 65534 });
    expectMachineFailure({ code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }, /^analyse: error: locked\/measure_all(_\d{4}-\d\d-\d\d)?\.csv: cannot write: permission denied \(EACCES\)\n$/);
    expect(listFiles(join(dir, 'locked'))).toEqual([]);
  });

  it('too many open files (ulimit -n 64: enough to start, too few to write 64 files at once)', () => {
    const dir = study();
    // 40 measures of 3 files each: the writer opens them 64 at a time, beside what Node holds open.
    const many = JSON.stringify({ disclosure_control: 'none', measures: Array.from({ length: 40 }, (_, i) => ({ id: `m${i}_all`, numerator: 'antidepressant', denominator: 'population' })) });
    writeFiles(dir, { 'many.json': many });
    const script = `ulimit -n 64 && exec "${process.execPath}" "${BIN}" measures --definitions many.json --cohort 'input/input_*.csv' --output-dir out --jobs 1`;
    const result = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
    expectMachineFailure({ code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }, /^analyse: error: out\/measure_m\d+_all(_\d{4}-\d\d-\d\d)?\.csv: cannot write: too many open files for one process, a limit set by ulimit -n \(EMFILE\)\n$/);
    expect(listFiles(dir).filter((f) => f.startsWith('out'))).toEqual([]);
  });
});
