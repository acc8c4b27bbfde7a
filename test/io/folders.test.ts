import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutputFolder, ensureFolder, forgetCreatedFolders, removeCreatedFolders } from '../../src/io/folders.js';
import { MachineError } from '../../src/errors.js';
import { listFiles, tempDir, userError } from '../helpers.js';

describe('checkOutputFolder(dir, option)', () => {
  it('accepts a folder, or one that can be created, creating nothing', async () => {
    const dir = tempDir({ 'out/keep': '' });
    await checkOutputFolder(join(dir, 'out'), '--output-dir');
    await checkOutputFolder(join(dir, 'new', 'deeper'), '--output-dir');
    expect(existsSync(join(dir, 'new'))).toBe(false);
  });

  it('refuses a file, a folder under a file and a loop of links, naming the option', async () => {
    const dir = tempDir({ 'afile.txt': 'x' });
    symlinkSync('loop', join(dir, 'loop'));
    expect((await userError(checkOutputFolder(join(dir, 'afile.txt'), '--output-dir'))).message).toBe(
      `${join(dir, 'afile.txt')}: cannot be used as the --output-dir folder: it is a file, not a folder`,
    );
    expect((await userError(checkOutputFolder(join(dir, 'afile.txt', 'sub', 'deeper'), '--tables-dir'))).message).toBe(
      `${join(dir, 'afile.txt', 'sub', 'deeper')}: cannot be used as the --tables-dir folder: ${join(dir, 'afile.txt')} is a file, not a folder`,
    );
    expect((await userError(checkOutputFolder(join(dir, 'loop'), '--graphs-dir'))).message).toBe(
      `${join(dir, 'loop')}: is a loop of symbolic links (a link that leads back to itself) (--graphs-dir)`,
    );
    expect((await userError(checkOutputFolder(join(dir, 'loop', 'sub'), '--graphs-dir'))).message).toMatch(/loop of symbolic links/);
  });
});

describe('ensureFolder(dir) and removeCreatedFolders()', () => {
  it('removes, after a failure, only the folders it created that are still empty', async () => {
    const dir = tempDir({ 'existing/keep.txt': '' });
    mkdirSync(join(dir, 'existing', 'empty'));
    forgetCreatedFolders();
    await ensureFolder(join(dir, 'existing', 'new', 'deeper'));
    await ensureFolder(join(dir, 'other', 'sub'));
    writeFileSync(join(dir, 'other', 'written.txt'), 'something was written here');
    removeCreatedFolders();
    expect(listFiles(dir)).toEqual(['existing/keep.txt', 'other/written.txt']);
    expect(existsSync(join(dir, 'existing', 'empty'))).toBe(true);
    expect(existsSync(join(dir, 'existing', 'new'))).toBe(false);
    expect(existsSync(join(dir, 'other', 'sub'))).toBe(false);
  });

  it('keeps the folders of a command that succeeded', async () => {
    const dir = tempDir();
    await ensureFolder(join(dir, 'out'));
    forgetCreatedFolders();
    removeCreatedFolders();
    expect(existsSync(join(dir, 'out'))).toBe(true);
  });

  // Node 20's mkdir(dir, { recursive: true }) spins for ever where the file system says ENOENT
  // for a folder whose parent exists (under /proc): the folders are made one at a time instead.
  it.runIf(existsSync('/proc/self'))('fails, as a machine failure, where the file system allows no folder (under /proc)', async () => {
    const error = await ensureFolder('/proc/self/analyse-out/sub', '--output-dir').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MachineError);
    expect((error as MachineError).message).toBe('/proc/self/analyse-out/sub: cannot create the folder: the file system allows no folder at /proc/self/analyse-out (ENOENT)');
  });
});
