// analyse run keeps to its project: outputs that lead out of it are refused before anything runs,
// one run works in a project at a time, and action names are data like any other.

import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runPipeline } from '../../src/pipeline/run-pipeline.js';
import { OWNER_TAG } from '../../src/io/owner.js';
import { cli, deadPid, listFiles, tempDir } from '../helpers.js';
import { projectDir } from './fixtures.js';

const WRITE = `
  write:
    run: node tool.mjs csv output/t.csv 2
    outputs:
      moderately_sensitive:
        t: output/t.csv
`;

function lockOf(pid: number): string {
  return `${JSON.stringify({ tag: OWNER_TAG, pid, host: 'here', started: '2024-01-01T00:00:00.000Z', command: 'run --all' })}\n`;
}

describe('analyse run: outputs inside the project', () => {
  it('refuses, before running anything, an output folder that is a symbolic link out of the project', async () => {
    const elsewhere = tempDir();
    const dir = projectDir(WRITE);
    symlinkSync(elsewhere, join(dir, 'output'));
    const result = await cli(['run', '--all', '--project', join(dir, 'project.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `analyse: error: ${join(dir, 'project.yaml')}: action "write": output "output/t.csv" leads outside the project folder: output is a symbolic link to ${elsewhere}; outputs must stay inside the project. Nothing was run\n`,
    );
    expect(listFiles(elsewhere)).toEqual([]);
    expect(existsSync(join(dir, 'metadata'))).toBe(false);
  });

  it('refuses a link to outside further down a pattern, or matched by its wildcard, and a path with ..', async () => {
    const elsewhere = tempDir({ 'a.csv': 'secret' });
    const dir = projectDir(WRITE.replace(/output\/t\.csv/g, 'output/*/t.csv'));
    mkdirSync(join(dir, 'output'));
    symlinkSync(elsewhere, join(dir, 'output', 'month'));
    await expect(runPipeline({ project: join(dir, 'project.yaml'), all: true })).rejects.toThrow(/output "output\/\*\/t\.csv" leads outside the project folder: output\/month is a symbolic link to /);

    const file = projectDir(WRITE);
    mkdirSync(join(file, 'output'));
    symlinkSync(join(elsewhere, 'a.csv'), join(file, 'output', 't.csv'));
    await expect(runPipeline({ project: join(file, 'project.yaml'), all: true })).rejects.toThrow(/output "output\/t\.csv" leads outside the project folder: output\/t\.csv is a symbolic link to /);
    expect(readFileSync(join(elsewhere, 'a.csv'), 'utf8')).toBe('secret');

    const dotdot = projectDir(WRITE.replace('t: output/t.csv', 't: ../t.csv'));
    await expect(runPipeline({ project: join(dotdot, 'project.yaml'), all: true })).rejects.toThrow(/the pattern "\.\.\/t\.csv" points outside the project folder/);
  });

  it('lets a link that stays inside the project pass the check (files written through it are not matched as outputs)', async () => {
    const dir = projectDir(WRITE);
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'output'));
    const summary = await runPipeline({ project: join(dir, 'project.yaml'), all: true });
    expect(summary.results.map((r) => r.status)).toEqual(['failed']);
    // Written through the link, the file is no output: only real folders are matched after the action.
    expect(summary.results[0]!.reason).toBe('declared output "output/t.csv" matched no file');
    expect(existsSync(join(dir, 'real', 't.csv'))).toBe(true);
  });
});

describe('analyse run: one run per project', () => {
  it('stops at once, naming the run that holds the project, and runs nothing', async () => {
    const dir = projectDir(WRITE, { 'metadata/analyse-run.lock': lockOf(process.ppid) });
    const result = await cli(['run', '--all', '--project', join(dir, 'project.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `analyse: error: ${join(dir, 'metadata/analyse-run.lock')}: another analyse command (pid ${process.ppid}, \`analyse run --all\`, started 2024-01-01T00:00:00.000Z) is already running actions of this project; only one analyse run works in a project at a time: wait for it to finish, then run again. Nothing was run\n`,
    );
    expect(existsSync(join(dir, 'output'))).toBe(false);
    expect(listFiles(join(dir, 'metadata'))).toEqual(['analyse-run.lock']);
  });

  it('takes over the lock of a run that is gone, and leaves none behind', async () => {
    const dir = projectDir(WRITE, { 'metadata/analyse-run.lock': lockOf(deadPid()) });
    const summary = await runPipeline({ project: join(dir, 'project.yaml'), all: true });
    expect(summary.results.map((r) => r.status)).toEqual(['succeeded']);
    expect(listFiles(join(dir, 'metadata'))).toEqual(['manifest.json', 'write.log']);
  });
});

describe('analyse run: action names', () => {
  it('records and skips actions named after Object properties like any other', async () => {
    const dir = projectDir(`
  constructor:
    run: node tool.mjs csv output/a.csv 2
    outputs:
      moderately_sensitive:
        a: output/a.csv
  toString:
    run: node tool.mjs csv output/b.csv 2
    needs: [constructor]
    outputs:
      moderately_sensitive:
        b: output/b.csv
`);
    const first = await runPipeline({ project: join(dir, 'project.yaml'), actions: ['toString'] });
    expect(first.results.map((r) => [r.name, r.status])).toEqual([['constructor', 'succeeded'], ['toString', 'succeeded']]);
    const manifest = JSON.parse(readFileSync(join(dir, 'metadata/manifest.json'), 'utf8'));
    expect(Object.keys(manifest.actions)).toEqual(['constructor', 'toString']);
    const again = await runPipeline({ project: join(dir, 'project.yaml'), actions: ['toString'] });
    expect(again.results.map((r) => [r.name, r.status])).toEqual([['constructor', 'skipped'], ['toString', 'succeeded']]);
  });
});
