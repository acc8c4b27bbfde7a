import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { AtomicFile, writeFileAtomic } from '../../src/io/atomic-file.js';
import { writeFilesAtomic } from '../../src/io/file-set.js';
import { spawnSync } from 'node:child_process';
import { OWNER_TAG } from '../../src/io/owner.js';
import { identityOf } from '../../src/io/file-identity.js';
import { MachineError, UserError } from '../../src/errors.js';
import { ROOT, deadPid, listFiles, tempDir } from '../helpers.js';

describe('AtomicFile', () => {
  it('shows nothing under the target name until commit, then the whole file', async () => {
    const dir = tempDir();
    const target = join(dir, 'sub', 'out.csv');
    const file = await AtomicFile.open(target);
    await file.write('a,b\n');
    await file.write(Buffer.from('1,2\n'));
    expect(existsSync(target)).toBe(false);
    expect(listFiles(dir)).toEqual([`sub/${file.tempPath.split('/').pop()}`]);
    await file.commit();
    expect(readFileSync(target, 'utf8')).toBe('a,b\n1,2\n');
    expect(listFiles(dir)).toEqual(['sub/out.csv']);
  });

  it('abort removes the temporary file and leaves an existing target as it was', async () => {
    const dir = tempDir({ 'out.csv': 'old\n' });
    const file = await AtomicFile.open(join(dir, 'out.csv'));
    await file.write('new\n');
    await file.abort();
    await file.abort();
    expect(listFiles(dir)).toEqual(['out.csv']);
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('old\n');
  });

  it('keeps the permissions of a file it replaces', async () => {
    const dir = tempDir({ 'out.csv': 'old\n' });
    chmodSync(join(dir, 'out.csv'), 0o640);
    await writeFileAtomic(join(dir, 'out.csv'), 'new\n');
    expect(statSync(join(dir, 'out.csv')).mode & 0o777).toBe(0o640);
  });

  it('gzips a target named .gz', async () => {
    const dir = tempDir();
    await writeFileAtomic(join(dir, 'out.csv.gz'), 'a\n1\n');
    expect(gunzipSync(readFileSync(join(dir, 'out.csv.gz'))).toString()).toBe('a\n1\n');
  });

  it('removes temporaries a killed process left for the same target', async () => {
    const dir = tempDir({ 'out.csv': 'old\n', [`.out.csv.${OWNER_TAG}-${deadPid()}.abcd.analyse-tmp`]: 'half' });
    await writeFileAtomic(join(dir, 'out.csv'), 'new\n');
    expect(listFiles(dir)).toEqual(['out.csv']);
  });
});

describe('writeFilesAtomic', () => {
  it('writes more files than the process may hold open at once (ulimit -n 128)', () => {
    const dir = tempDir();
    const script = `import('${ROOT}dist/io/file-set.js').then(({ writeFilesAtomic }) => writeFilesAtomic(Array.from({ length: 500 }, (_, i) => ({ path: '${dir}/m/f' + i + '.csv', content: 'a\\n' + i + '\\n' }))))`;
    const result = spawnSync('bash', ['-c', `ulimit -n 128 && "${process.execPath}" -e "${script}"`], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(listFiles(join(dir, 'm'))).toHaveLength(500);
    expect(readFileSync(join(dir, 'm', 'f499.csv'), 'utf8')).toBe('a\n499\n');
  });

  it('writes every file, or on failure none of them', async () => {
    const dir = tempDir({ 'a.csv': 'old a\n' });
    await writeFilesAtomic([
      { path: join(dir, 'a.csv'), content: 'new a\n' },
      { path: join(dir, 'b.csv'), content: 'new b\n' },
    ]);
    expect(readFileSync(join(dir, 'b.csv'), 'utf8')).toBe('new b\n');

    writeFileSync(join(dir, 'blocker'), 'a file where a folder should be');
    await expect(
      writeFilesAtomic([
        { path: join(dir, 'a.csv'), content: 'newer a\n' },
        { path: join(dir, 'blocker', 'c.csv'), content: 'c\n' },
      ]),
    ).rejects.toThrow(/blocker: cannot be used as an output folder: it is a file, not a folder$/);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('new a\n');
    expect(listFiles(dir)).toEqual(['a.csv', 'b.csv', 'blocker']);
  });

  it('on a failure after many files were written and are syncing, leaves no temporary and every old file as it was', async () => {
    const dir = tempDir({ 'f3.csv': 'old 3\n' });
    // The 100th name fits a file system's 255 bytes, but its temporary's does not.
    const files = Array.from({ length: 120 }, (_, i) => ({ path: join(dir, i === 99 ? `${'x'.repeat(250)}.csv` : `f${i}.csv`), content: `new ${i}\n` }));
    await expect(writeFilesAtomic(files)).rejects.toThrow(/x{250}\.csv: /);
    expect(listFiles(dir)).toEqual(['f3.csv']);
    expect(readFileSync(join(dir, 'f3.csv'), 'utf8')).toBe('old 3\n');
  });

  it('keeps the permissions of files it replaces, gzips .gz targets, and removes temporaries of dead processes', async () => {
    const dir = tempDir({ 'a.csv': 'old\n', [`.a.csv.${OWNER_TAG}-${deadPid()}.abcd.analyse-tmp`]: 'half' });
    chmodSync(join(dir, 'a.csv'), 0o640);
    await writeFilesAtomic([
      { path: join(dir, 'a.csv'), content: 'new\n' },
      { path: join(dir, 'b.csv.gz'), content: 'b\n' },
    ]);
    expect(statSync(join(dir, 'a.csv')).mode & 0o777).toBe(0o640);
    expect(gunzipSync(readFileSync(join(dir, 'b.csv.gz'))).toString()).toBe('b\n');
    expect(listFiles(dir)).toEqual(['a.csv', 'b.csv.gz']);
  });

  it('refuses a folder where a file should go before renaming anything', async () => {
    const dir = tempDir({ 'a.csv': 'old a\n', 'b.csv/inside': 'a folder where a file should go' });
    await expect(
      writeFilesAtomic([
        { path: join(dir, 'a.csv'), content: 'new a\n' },
        { path: join(dir, 'b.csv'), content: 'new b\n' },
      ]),
    ).rejects.toThrow(`${join(dir, 'b.csv')}: is a folder, where this command writes a file`);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('old a\n');
    expect(listFiles(dir)).toEqual(['a.csv', 'b.csv/inside']);
  });

  it('puts back every file already renamed when a later rename fails, leaving no temporary', async (context) => {
    const dir = tempDir({ 'a.csv': 'old a\n', 'b.csv': 'old b\n', 'c.csv': 'old c\n', 'stale.csv': 'stale\n' });
    // An immutable file cannot be replaced, even by root: the third rename fails after two have been made.
    if (spawnSync('chattr', ['+i', join(dir, 'c.csv')]).status !== 0) return context.skip('chattr +i is not available here');
    try {
      const error = await writeFilesAtomic(
        ['a', 'b', 'c'].map((name) => ({ path: join(dir, `${name}.csv`), content: `new ${name}\n` })),
        { remove: [join(dir, 'stale.csv')] },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MachineError);
      expect((error as MachineError).message).toBe(`${join(dir, 'c.csv')}: cannot write: operation not permitted (EPERM)`);
    } finally {
      spawnSync('chattr', ['-i', join(dir, 'c.csv')]);
    }
    expect(Object.fromEntries(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))).toEqual({
      'a.csv': 'old a\n',
      'b.csv': 'old b\n',
      'c.csv': 'old c\n',
      'stale.csv': 'stale\n',
    });
  });

  it('removes the files to remove in the same step, ignoring those already gone', async () => {
    const dir = tempDir({ 'measure_old.csv': 'stale\n', 'notes.txt': 'kept' });
    await writeFilesAtomic([{ path: join(dir, 'measure_new.csv'), content: 'new\n' }], { remove: [join(dir, 'measure_old.csv'), join(dir, 'gone.csv')] });
    expect(listFiles(dir)).toEqual(['measure_new.csv', 'notes.txt']);
  });
});

describe('AtomicFile rewriting a file it read', () => {
  it("stops with a UserError, keeping the other writer's version, when the file changed after it was read", async () => {
    const dir = tempDir({ 'input.csv': 'a\n1\n' });
    const path = join(dir, 'input.csv');
    const file = await AtomicFile.open(path, { unchangedSince: await identityOf(path) });
    await file.write('a,ethnicity\n1,3\n');
    writeFileSync(path, 'a,imd\n1,5\n');
    const error = await file.commit().catch((e: unknown) => e);
    await file.abort();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      `${path}: changed on disk while this command was rewriting it (another process wrote it at the same time); it was left as the other process wrote it: run the command again`,
    );
    expect(listFiles(dir)).toEqual(['input.csv']);
    expect(readFileSync(path, 'utf8')).toBe('a,imd\n1,5\n');
  });

  it('replaces it when nothing else wrote it meanwhile', async () => {
    const dir = tempDir({ 'input.csv': 'a\n1\n' });
    const path = join(dir, 'input.csv');
    const file = await AtomicFile.open(path, { unchangedSince: await identityOf(path) });
    await file.write('a,ethnicity\n1,3\n');
    await file.commit();
    expect(readFileSync(path, 'utf8')).toBe('a,ethnicity\n1,3\n');
  });
});
