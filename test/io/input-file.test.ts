import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { checkInputFile, readInputFile } from '../../src/io/input-file.js';
import { tempDir, userError } from '../helpers.js';

describe('readInputFile(path) and checkInputFile(path)', () => {
  it('reads a regular file, through a link too', async () => {
    const dir = tempDir({ 'a.json': '{}' });
    symlinkSync('a.json', join(dir, 'link.json'));
    expect(await readInputFile(join(dir, 'link.json'))).toBe('{}');
    await checkInputFile(join(dir, 'a.json'));
  });

  it('refuses at once what is not a regular file: a named pipe (which would block forever), a device, a folder, a loop of links', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'fifo.json')]);
    symlinkSync('loop.json', join(dir, 'loop.json'));
    const expected: Array<[string, string]> = [
      [join(dir, 'fifo.json'), 'is a named pipe (FIFO), not a regular file: it cannot be read as an input'],
      ['/dev/null', 'is a device, not a regular file'],
      [dir, 'is a folder, expected a file'],
      [join(dir, 'loop.json'), 'is a loop of symbolic links (a link that leads back to itself)'],
      [join(dir, 'missing.json'), 'file not found'],
    ];
    for (const [path, problem] of expected) {
      expect((await userError(readInputFile(path))).message, path).toBe(`${path}: ${problem}`);
      expect((await userError(checkInputFile(path))).message, path).toBe(`${path}: ${problem}`);
    }
  });
});
