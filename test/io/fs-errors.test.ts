import { describe, expect, it } from 'vitest';
import { MachineError, UserError } from '../../src/errors.js';
import { asMachineError, fsError, notFound } from '../../src/io/fs-errors.js';

const failure = (code: string, extra: Record<string, string> = {}) => Object.assign(new Error(`${code}: something`), { code, ...extra });

describe('fsError(error, path, action)', () => {
  it('makes a path the researcher can fix a UserError (exit 2), in one wording for every command', () => {
    const cases: Array<[string, string]> = [
      ['ENOENT', 'in/a.csv: file not found'],
      ['EISDIR', 'in/a.csv: is a folder, expected a file'],
      ['ENOTDIR', 'in/a.csv: a part of the path is a file where a folder should be'],
      ['ELOOP', 'in/a.csv: is a loop of symbolic links (a link that leads back to itself)'],
      ['ENAMETOOLONG', 'in/a.csv: the name is too long for the file system'],
    ];
    for (const [code, message] of cases) {
      const error = fsError(failure(code), 'in/a.csv', 'read');
      expect(error, code).toBeInstanceOf(UserError);
      expect((error as UserError).message).toBe(message);
    }
    expect((fsError(failure('ENOENT'), 'p.yaml', 'read', 'give its path with --project') as UserError).message).toBe('p.yaml: file not found (give its path with --project)');
    expect(notFound('x.json').message).toBe('x.json: file not found');
  });

  it('makes a failure of the machine a MachineError (exit 1) naming the path, what was done and why', () => {
    const cases: Array<[string, string]> = [
      ['ENOSPC', 'out/m.csv: cannot write: no space left on the device (ENOSPC)'],
      ['EDQUOT', 'out/m.csv: cannot write: the disk quota is used up (EDQUOT)'],
      ['EACCES', 'out/m.csv: cannot write: permission denied (EACCES)'],
      ['EROFS', 'out/m.csv: cannot write: the file system is read-only (EROFS)'],
      ['EMFILE', 'out/m.csv: cannot write: too many open files for one process, a limit set by ulimit -n (EMFILE)'],
      ['EIO', 'out/m.csv: cannot write: input/output error, from a failing disk or a lost network drive (EIO)'],
    ];
    for (const [code, message] of cases) {
      const error = fsError(failure(code), 'out/m.csv', 'write');
      expect(error, code).toBeInstanceOf(MachineError);
      expect((error as MachineError).message).toBe(message);
    }
  });

  it('leaves anything else as it was: a bug keeps its stack', () => {
    const odd = failure('EWHATEVER');
    expect(fsError(odd, 'x', 'read')).toBe(odd);
    const plain = new TypeError('not an fs error');
    expect(fsError(plain, 'x', 'read')).toBe(plain);
    const user = new UserError('already explained', { file: 'x' });
    expect(fsError(user, 'y', 'read')).toBe(user);
  });
});

describe('asMachineError(error)', () => {
  it('words an unexpected machine failure from its own path, and leaves bugs alone', () => {
    expect(asMachineError(failure('ENOSPC', { path: '/data/x.csv', syscall: 'write' }))?.message).toBe('/data/x.csv: write failed: no space left on the device (ENOSPC)');
    expect(asMachineError(failure('ENOENT', { path: '/data/x.csv' }))).toBeNull();
    expect(asMachineError(new Error('a bug'))).toBeNull();
  });
});
