// Two processes at once, for real: two `analyse run` in one project, two in-place joins of the
// same files, a file rewritten by someone else while a join works on it, two measures runs into
// one folder, and a live temporary of a process in another pid namespace. No update is ever lost
// silently: the second waits or stops with a clear message (exit 2).

import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../src/io/atomic-file.js';
import { BIN, ROOT, cliProcess, readText, tempDir, writeFiles } from './helpers.js';
import { TEMPORARY, cohortText, expectSameFiles, readTree } from './kill.js';
import { projectDir } from './pipeline/fixtures.js';

interface Finished {
  code: number | null;
  stderr: string;
}

function start(args: string[], cwd: string): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `analyse run --all` in a new project whose one action runs until killed, once the action has started. */
async function startSlowRun() {
  const dir = projectDir(`
  slow:
    run: node tool.mjs wait output/pid.txt
    outputs:
      moderately_sensitive:
        t: output/t.csv
`);
  const first = spawn(process.execPath, [BIN, 'run', '--all'], { cwd: dir, stdio: 'ignore' });
  const firstDone = new Promise<number | null>((resolve) => first.on('close', resolve));
  while (!existsSync(join(dir, 'output/pid.txt'))) await sleep(20);
  return { dir, first, firstDone };
}

describe('two analyse run in one project', () => {
  it('the second stops at once naming the first (exit 2); the first is not disturbed', async () => {
    const { dir, first, firstDone } = await startSlowRun();
    const second = await start(['run', '--all'], dir);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      new RegExp(`^analyse: error: ${join(dir, 'metadata/analyse-run.lock')}: another analyse command \\(pid ${first.pid}, \`analyse run --all\`, started [^)]+\\) is already running actions of this project; only one analyse run works in a project at a time: wait for it to finish, then run again\\. Nothing was run\\n$`),
    );
    first.kill('SIGTERM');
    expect(await firstDone).toBe(143);
    expect(JSON.parse(readText(join(dir, 'metadata/manifest.json'))).actions.slow.status).toBe('killed');
  }, 60_000);

  it('after a run killed outright (SIGKILL), the next one takes over its lock', async () => {
    const { dir, first, firstDone } = await startSlowRun();
    first.kill('SIGKILL');
    await firstDone;
    // SIGKILL cannot be passed on: its action lives on, as after a power cut it would not.
    process.kill(Number(readText(join(dir, 'output/pid.txt'))), 'SIGKILL');
    expect(existsSync(join(dir, 'metadata/analyse-run.lock'))).toBe(true);
    writeFiles(dir, { 'project.yaml': readText(join(dir, 'project.yaml')).replace('node tool.mjs wait output/pid.txt', 'node tool.mjs csv output/t.csv 2') });
    const next = cliProcess(['run', '--all'], dir);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    expect(existsSync(join(dir, 'metadata/analyse-run.lock'))).toBe(false);
  }, 60_000);

  it('two --all at once: one runs, the other stops cleanly (no internal error)', async () => {
    const dir = projectDir(`
  a:
    run: node tool.mjs csv output/a.csv 50
    outputs:
      moderately_sensitive:
        a: output/a.csv
  b:
    run: node tool.mjs csv output/b.csv 50
    needs: [a]
    outputs:
      moderately_sensitive:
        b: output/b.csv
`);
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([start(['run', '--all', '--force-run-dependencies'], dir), start(['run', '--all', '--force-run-dependencies'], dir)]);
      for (const { code, stderr } of results) {
        expect(stderr).not.toMatch(/internal error|ENOENT/);
        if (code !== 0) {
          expect(code).toBe(2);
          expect(stderr).toMatch(/is already running actions of this project/);
        }
      }
      expect(results.some(({ code }) => code === 0)).toBe(true);
    }
  }, 120_000);
});

describe('in-place joins and other writers', () => {
  const rows = 300_000;
  function study() {
    const cohort = cohortText(rows, 0);
    const dir = tempDir({
      'input/input_2020-01-01.csv': cohort,
      'input/input_2020-02-01.csv': cohortText(rows, 1),
      'lookup.csv': `patient_id,ethnicity,imd\n${Array.from({ length: rows }, (_, i) => `${i},${i % 6},${i % 5}`).join('\n')}\n`,
    });
    return dir;
  }
  const join1 = (column: string) => ['join-ethnicity', '--cohort', 'input/input_*.csv', '--ethnicity', 'lookup.csv', '--columns', column, '--jobs', '1'];

  it('a join notices that its file was rewritten after it read it, stops with exit 2 and keeps the other writer\'s version', async () => {
    const dir = study();
    const theirs = 'patient_id,note\n1,written by someone else meanwhile\n';
    // While the join writes its copy of the first file, another process replaces the file (as analyse does, by a rename).
    const joinDone = start(join1('ethnicity'), dir);
    while (!readdirSync(join(dir, 'input')).some((name) => TEMPORARY.test(name))) await sleep(2);
    writeFileSync(join(dir, 'theirs.csv'), theirs);
    renameSync(join(dir, 'theirs.csv'), join(dir, 'input/input_2020-01-01.csv'));
    const result = await joinDone;
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'analyse: error: input/input_2020-01-01.csv: changed on disk while this command was rewriting it (another process wrote it at the same time); it was left as the other process wrote it: run the command again\n',
    );
    expect(readFileSync(join(dir, 'input/input_2020-01-01.csv'), 'utf8')).toBe(theirs);
    expect(readdirSync(join(dir, 'input')).sort()).toEqual(['input_2020-01-01.csv', 'input_2020-02-01.csv']);
  }, 60_000);

  it('two joins of different columns at once never lose one silently', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = study();
      const [ethnicity, imd] = await Promise.all([start(join1('ethnicity'), dir), start(join1('imd'), dir)]);
      const headers = ['2020-01-01', '2020-02-01'].map((date) => readFileSync(join(dir, `input/input_${date}.csv`), 'utf8').split('\n', 1)[0]!.split(','));
      for (const [column, result] of [['ethnicity', ethnicity], ['imd', imd]] as const) {
        if (result.code === 0) {
          // It says it joined: every file has its column.
          for (const header of headers) expect(header, `round ${round}`).toContain(column);
        } else {
          expect(result.code).toBe(2);
          expect(result.stderr).toMatch(/changed on disk while this command was rewriting it \(another process wrote it at the same time\)/);
        }
      }
      expect(readdirSync(join(dir, 'input')).sort()).toEqual(['input_2020-01-01.csv', 'input_2020-02-01.csv']);
    }
  }, 120_000);
});

describe('two measures runs into one folder', () => {
  it('never interleave their renames: the folder is one complete run or the other', async () => {
    const measures = Array.from({ length: 400 }, (_, k) => ({ id: `m${k}`, numerator: 'antidepressant', denominator: 'population', group_by: k % 2 ? ['region'] : ['sex'] }));
    const dir = tempDir({ 'defs.json': JSON.stringify({ disclosure_control: 'none', measures }) });
    ['2020-01-01', '2020-02-01', '2020-03-01', '2020-04-01'].forEach((date, m) => writeFiles(dir, { [`a/input_${date}.csv`]: cohortText(2_000 + m, m), [`b/input_${date}.csv`]: cohortText(3_000 + m, m) }));
    const args = (cohort: string, out: string) => ['measures', '--definitions', 'defs.json', '--cohort', `${cohort}/input_*.csv`, '--output-dir', out];
    expect(cliProcess(args('a', 'ref_a'), dir).code).toBe(0);
    expect(cliProcess(args('b', 'ref_b'), dir).code).toBe(0);
    const [a, b] = [readTree(join(dir, 'ref_a')), readTree(join(dir, 'ref_b'))];
    for (let round = 0; round < 3; round++) {
      const out = `out${round}`;
      const results = await Promise.all([start(args('a', out), dir), start(args('b', out), dir)]);
      expect(results.map((r) => r.code)).toEqual([0, 0]);
      const found = readTree(join(dir, out));
      const matches = [a, b].filter((reference) => [...reference].every(([name, bytes]) => found.get(name)?.equals(bytes)) && found.size === reference.size);
      expect(matches, `round ${round}`).toHaveLength(1);
    }
  }, 240_000);
});

describe('stale temporaries', () => {
  it('are never taken from a live process in another pid namespace, whose pid is dead here', async (context) => {
    const dir = tempDir();
    const target = join(dir, 'out.csv');
    // A pid that no process has here (far from those being handed out), for the process in the new namespace to get there.
    let pid = 31_000;
    while (isRunning(pid)) pid++;
    const script = `
      import { AtomicFile } from '${join(ROOT, 'dist/io/atomic-file.js')}';
      const file = await AtomicFile.open('${target}');
      await file.write('written in another pid namespace\\n');
      console.log(file.tempPath + ' ' + process.pid);
      process.stdin.once('data', async () => { await file.commit(); process.exit(0); });
    `;
    writeFileSync(join(dir, 'writer.mjs'), script);
    const shell = `echo ${pid - 1} > /proc/sys/kernel/ns_last_pid && "${process.execPath}" "${join(dir, 'writer.mjs')}"`;
    const inside = spawn('unshare', ['--pid', '--fork', '--mount-proc', 'sh', '-c', shell], { stdio: ['pipe', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve) => {
      let out = '';
      inside.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      inside.on('close', () => resolve(out.trim()));
    });
    if (!line.includes(' ')) {
      inside.kill();
      return context.skip('cannot make a pid namespace here (unshare needs root)');
    }
    const [tempPath, insidePid] = line.split(' ');
    expect(Number(insidePid)).toBe(pid);
    expect(isRunning(pid)).toBe(false);

    // Another command writes the same target here: the live temporary must survive its cleanup.
    await writeFileAtomic(target, 'written here\n');
    expect(existsSync(tempPath!)).toBe(true);

    inside.stdin.write('go\n');
    await new Promise((resolve) => inside.on('close', resolve));
    expect(readFileSync(target, 'utf8')).toBe('written in another pid namespace\n');
    expectSameFiles(readTree(dir), new Map([['out.csv', Buffer.from('written in another pid namespace\n')], ['writer.mjs', Buffer.from(script)]]));
  }, 60_000);
});
