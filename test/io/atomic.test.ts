import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { AtomicFile, writeFileAtomic } from '../../src/io/atomic-file.js';
import { writeFilesAtomic } from '../../src/io/file-set.js';
import { spawnSync } from 'node:child_process';
import { OWNER_TAG } from '../../src/io/owner.js';
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

  it('leaves no temporary file and no target changed when a rename fails', async () => {
    const dir = tempDir({ 'a.csv': 'old a\n', 'b.csv/inside': 'a folder where a file should go' });
    await expect(
      writeFilesAtomic([
        { path: join(dir, 'b.csv'), content: 'new b\n' },
        { path: join(dir, 'a.csv'), content: 'new a\n' },
      ]),
    ).rejects.toThrow();
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('old a\n');
    expect(listFiles(dir)).toEqual(['a.csv', 'b.csv/inside']);
  });
});
