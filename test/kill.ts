// For kill tests: large study-shaped cohort files, and starting the CLI as a process to send it a
// signal at a moment that is proven, not guessed: once it has read a given number of bytes (so it
// is past starting up and reading its inputs), or as soon as a file whose name matches appears in
// (or is renamed into) a watched folder.

import { spawn } from 'node:child_process';
import { cpSync, readFileSync, rmSync, watch } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { listFiles } from './helpers.js';

/**
 * When to send the signal: once the process has read `readBytes` bytes (all its threads, from
 * /proc/<pid>/io), or when a file named like `onFile` appears in (or is renamed into) `folder`.
 */
export type KillTrigger = { readBytes: number } | { onFile: RegExp; folder: string };

export interface Killed {
  /** Whether the trigger fired while the process was running, so the signal was sent. */
  sent: boolean;
  /** The exit code, or null when the signal ended the process (SIGKILL). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs `node bin args` in `cwd` and sends it `signal` (SIGKILL unless said) on `trigger`. */
export function runAndKill(bin: string, args: string[], cwd: string, trigger: KillTrigger, signal: NodeJS.Signals = 'SIGKILL'): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let sent = false;
    let exited = false;
    const kill = () => {
      if (sent || exited) return;
      sent = true;
      child.kill(signal);
    };
    const poll = 'readBytes' in trigger ? setInterval(() => (bytesRead(child.pid!) >= trigger.readBytes ? kill() : undefined), 2) : undefined;
    const watcher =
      'onFile' in trigger
        ? watch(trigger.folder, (_event, name) => {
            if (name !== null && trigger.onFile.test(name)) kill();
          })
        : undefined;
    child.on('error', reject);
    child.on('exit', () => (exited = true));
    child.on('close', (code, endSignal) => {
      clearInterval(poll);
      watcher?.close();
      resolve({ sent, code, signal: endSignal, stderr });
    });
  });
}

/** Bytes the process has read so far, by every thread (0 once it has ended). */
function bytesRead(pid: number): number {
  try {
    return Number(/^rchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Every file below `dir` (hidden temporaries included) with its bytes, by relative path. */
export function readTree(dir: string): Map<string, Buffer> {
  return new Map(listFiles(dir).map((name) => [name, readFileSync(join(dir, name))]));
}

/** `found` holds exactly the files of `reference`, byte for byte (after a re-run completes). */
export function expectSameFiles(found: Map<string, Buffer>, reference: Map<string, Buffer>, what = ''): void {
  expect([...found.keys()].sort(), what).toEqual([...reference.keys()].sort());
  for (const [name, bytes] of reference) expect(found.get(name)!.equals(bytes), `${what} ${name}`).toBe(true);
}

const REGIONS = ['North East', 'North West', 'Yorkshire and the Humber', 'London', 'South West'];

/** A cohort file of `rows` patients for month `month`; msoa has thousands of values, so tables grouped by it are large. */
export function cohortText(rows: number, month: number): string {
  const lines = ['patient_id,region,msoa,sex,age,antidepressant,antipsychotic'];
  for (let i = 0; i < rows; i++) {
    const region = REGIONS[(i * 7 + month) % REGIONS.length]!;
    const msoa = `E02${String((i * 31 + month) % 4000).padStart(6, '0')}`;
    lines.push(`${i},${region.includes(' ') ? `"${region}"` : region},${msoa},${i % 3 ? 'F' : 'M'},${65 + ((i * 13) % 35)},${(i + month) % 4 === 0 ? 1 : 0},${i % 11 === month ? 1 : 0}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The hidden temporary files analyse writes: `.<name>.<owner tag>-<pid>.<random>.analyse-tmp`. */
export const TEMPORARY = /^\.[^/]+\.[0-9a-f]{8}-\d+\.[0-9a-f]+\.analyse-tmp$/;
/** The lock a set of renames holds in its folder. */
export const COMMIT_LOCK = /^\.analyse-commit\.lock$/;

/** A command's outputs before and after an uninterrupted run, and a work folder to stop it in. */
export interface KillStudy {
  /** The folder the command runs in. */
  dir: string;
  /** The output folder the stopped runs write into, below `dir`. */
  work: string;
  /** The files of `<dir>/previous` (an earlier run's outputs) and `<dir>/reference` (a complete run's). */
  previous: Map<string, Buffer>;
  reference: Map<string, Buffer>;
  /** The command line that writes into `work`. */
  run: string[];
  /** Puts the previous run's outputs in `work`, as they were. */
  fresh(): void;
}

/** The study, once `<dir>/previous` and `<dir>/reference` hold the two runs' outputs; every reference file differs from its previous one. */
export function killStudy(dir: string, run: string[]): KillStudy {
  const previous = readTree(join(dir, 'previous'));
  const reference = readTree(join(dir, 'reference'));
  for (const [name, bytes] of reference) expect(previous.get(name)?.equals(bytes), name).not.toBe(true);
  const work = join(dir, 'work');
  const fresh = () => {
    rmSync(work, { recursive: true, force: true });
    cpSync(join(dir, 'previous'), work, { recursive: true });
  };
  return { dir, work, previous, reference, run, fresh };
}

/** When and how to stop a run, and what it must leave: the previous outputs, or the new ones complete. */
export type StopCase = [when: string, signal: NodeJS.Signals, trigger: KillTrigger, leaves: 'previous' | 'new'];

/** Stops the run as each case says; each must exit 143 or 130 having left the work folder exactly as expected. */
export async function expectStopsCleanly(bin: string, study: KillStudy, cases: readonly StopCase[]): Promise<void> {
  for (const [when, signal, trigger, leaves] of cases) {
    study.fresh();
    const killed = await runAndKill(bin, study.run, study.dir, trigger, signal);
    const what = `${signal} ${when}`;
    // It got the signal while running, and stopped because of it (a finished run exits 0).
    expect(killed.sent, what).toBe(true);
    expect(killed.code, what).toBe(signal === 'SIGTERM' ? 143 : 130);
    expect(killed.stderr, what).toBe(`analyse: stopped by ${signal}; removing temporary files\n`);
    expectSameFiles(readTree(study.work), leaves === 'previous' ? study.previous : study.reference, what);
  }
}
