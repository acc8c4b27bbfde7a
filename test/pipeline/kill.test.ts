// analyse run stopped by SIGTERM or SIGINT passes the signal on to the action it is running,
// waits for it, records it as killed in its log and in metadata/manifest.json, starts nothing
// more, releases the project and exits 143 or 130. No action is left running as an orphan.

import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, listFiles, readText } from '../helpers.js';
import { runAndKill, type Killed } from '../kill.js';
import { projectDir } from './fixtures.js';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Running, and not just a zombie waiting to be reaped (its parent gone, by whichever init there is). */
function isAlive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

function expectStopped(dir: string, killed: Killed, signal: NodeJS.Signals, action: string): void {
  expect(killed.sent).toBe(true);
  expect(killed.code).toBe(signal === 'SIGTERM' ? 143 : 130);
  const log = readText(join(dir, 'metadata', `${action}.log`));
  expect(log).toContain(`\nstatus: killed by ${signal}: analyse run was stopped\n`);
  const manifest = JSON.parse(readText(join(dir, 'metadata/manifest.json')));
  expect(manifest.actions[action]).toMatchObject({ status: 'killed' });
  expect(Object.keys(manifest.actions)).toEqual([action]);
  // The project is free again.
  expect(existsSync(join(dir, 'metadata/analyse-run.lock'))).toBe(false);
}

describe('analyse run stopped by a signal', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`passes ${signal} on to a running analyse command, which removes its temporaries; records it as killed`, async () => {
      const dir = projectDir(`
  cohort:
    run: analyse generate-dummy --schema schema.json --output-dir output/cohort --index-date-range "2020-01-01 to 2021-12-01 by month" --population 60000
    outputs:
      highly_sensitive:
        cohort: output/cohort/input_*.csv
  after:
    run: node tool.mjs csv output/t.csv 2
    needs: [cohort]
    outputs:
      moderately_sensitive:
        t: output/t.csv
`);
      // Sent once the action is writing its first file.
      const killed = await runAndKill(BIN, ['run', '--all'], dir, { onFile: /^output$/, folder: dir }, signal);
      expectStopped(dir, killed, signal, 'cohort');
      expect(processesIn(dir)).toEqual([]);
      expect(readText(join(dir, 'metadata/cohort.log'))).toContain(`analyse: stopped by ${signal}; removing temporary files\n`);
      // The action left nothing behind: no cohort file, no temporary, no empty folder.
      expect(listFiles(dir).filter((f) => f.startsWith('output'))).toEqual([]);
      expect(killed.stderr).toContain(`analyse: stopped by ${signal}; removing temporary files\n`);
    }, 120_000);
  }

  it('leaves no action running: one that ignores SIGTERM is killed outright by a second signal', async () => {
    const dir = projectDir(`
  stubborn:
    run: node tool.mjs wait output/pid.txt ignore-term
    outputs:
      moderately_sensitive:
        t: output/t.csv
`);
    const { child, exited, pid: action } = await startRun(dir);
    child.kill('SIGTERM');
    await sleep(500);
    // The action ignored it, and analyse run waits for it...
    expect(isRunning(action)).toBe(true);
    // ...until a second signal, which kills it outright.
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(isRunning(action)).toBe(false);
    expect(readText(join(dir, 'metadata/stubborn.log'))).toMatch(/ignoring SIGTERM\n[\s\S]*exit code: killed by SIGKILL\nstatus: killed by SIGTERM: analyse run was stopped\n/);
    expect(processesIn(dir)).toEqual([]);
  }, 60_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} stops every process of the running action, not only the first: a shell script's own children too`, async () => {
      // The background sleep has its output elsewhere, so nothing holds the action's pipes open:
      // only stopping the action's whole process group ends it. (A non-interactive shell's
      // background job ignores SIGINT, so after a stop what is left of the group is killed outright.)
      const dir = projectDir(`
  script:
    run: sh -c "mkdir -p output; sleep 300 > /dev/null 2>&1 & echo $! > output/pid.tmp; mv output/pid.tmp output/pid.txt; wait"
    outputs:
      moderately_sensitive:
        t: output/t.csv
`);
      const { child, exited, pid: grandchild } = await startRun(dir);
      expect(isAlive(grandchild)).toBe(true);
      child.kill(signal);
      expect(await exited).toBe(signal === 'SIGTERM' ? 143 : 130);
      expect(isAlive(grandchild)).toBe(false);
      expect(processesIn(dir)).toEqual([]);
    }, 60_000);
  }
});

/** Starts `analyse run --all` in `dir` and waits for the pid its action writes to output/pid.txt. */
async function startRun(dir: string): Promise<{ child: ChildProcess; exited: Promise<number | null>; pid: number }> {
  const child = spawn(process.execPath, [BIN, 'run', '--all'], { cwd: dir, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const pidFile = join(dir, 'output', 'pid.txt');
  while (!existsSync(pidFile) || readText(pidFile) === '') await sleep(20);
  return { child, exited, pid: Number(readText(pidFile)) };
}

/** Processes whose working folder is `dir`: an action still running there would be an orphan. */
function processesIn(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === dir) found.push(Number(entry));
    } catch {
      /* gone, or not ours to see */
    }
  }
  return found;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
