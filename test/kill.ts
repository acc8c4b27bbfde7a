// For kill tests: large study-shaped cohort files, and starting the CLI as a process to kill it
// (SIGKILL) at a chosen moment: after a delay, or as soon as a file whose name matches appears in
// (or is renamed into) a watched folder.

import { spawn } from 'node:child_process';
import { readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { listFiles } from './helpers.js';

/** When to kill: after a delay, or when a file named like `onFile` appears in (or is written or renamed into) `folder`. */
export type KillTrigger = { afterMs: number } | { onFile: RegExp; folder: string };

/** Runs `node bin args` in `cwd`, kills it on `trigger`, and resolves with the signal that ended it (null: it exited by itself). */
export function runAndKill(bin: string, args: string[], cwd: string, trigger: KillTrigger): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: 'ignore' });
    const kill = () => child.kill('SIGKILL');
    const timer = 'afterMs' in trigger ? setTimeout(kill, trigger.afterMs) : undefined;
    const watcher =
      'onFile' in trigger
        ? watch(trigger.folder, (_event, name) => {
            if (name !== null && trigger.onFile.test(name)) kill();
          })
        : undefined;
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      watcher?.close();
      resolve(signal);
    });
  });
}

/** Every file below `dir` (hidden temporaries included) with its bytes, by relative path. */
export function readTree(dir: string): Map<string, Buffer> {
  return new Map(listFiles(dir).map((name) => [name, readFileSync(join(dir, name))]));
}

/** `found` holds exactly the files of `reference`, byte for byte (after a re-run completes). */
export function expectSameFiles(found: Map<string, Buffer>, reference: Map<string, Buffer>): void {
  expect([...found.keys()].sort()).toEqual([...reference.keys()].sort());
  for (const [name, bytes] of reference) expect(found.get(name)!.equals(bytes), name).toBe(true);
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
