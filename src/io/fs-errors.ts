// The one place where the file system's error codes become messages. A path the researcher can
// fix (missing, a folder, a loop of links, a name too long) is a UserError (exit 2); a failure of
// the machine (no space, permission denied, too many open files, a failing disk) is a
// MachineError (exit 1); anything else stays what it was, a bug.

import { MachineError, UserError } from '../errors.js';

/** What was being done to the path, for the message: "cannot write: no space left ...". */
export type FsAction = 'read' | 'write' | 'create the folder' | 'remove' | 'rename' | 'lock';

const USER_PROBLEMS = new Map<string, string>([
  ['ENOENT', 'file not found'],
  ['EISDIR', 'is a folder, expected a file'],
  ['ENOTDIR', 'a part of the path is a file where a folder should be'],
  ['ELOOP', 'is a loop of symbolic links (a link that leads back to itself)'],
  ['ENAMETOOLONG', 'the name is too long for the file system'],
]);

const MACHINE_PROBLEMS = new Map<string, string>([
  ['ENOSPC', 'no space left on the device'],
  ['EDQUOT', 'the disk quota is used up'],
  ['EACCES', 'permission denied'],
  ['EPERM', 'operation not permitted'],
  ['EROFS', 'the file system is read-only'],
  ['EMFILE', 'too many open files for one process, a limit set by ulimit -n'],
  ['ENFILE', 'too many open files on this machine'],
  ['EIO', 'input/output error, from a failing disk or a lost network drive'],
  ['EFBIG', 'the file is too large for the file system'],
  ['EBUSY', 'the file or device is busy'],
  ['ETXTBSY', 'the file is busy'],
  ['ENOMEM', 'out of memory'],
  ['ESTALE', 'a stale handle on a network drive that changed under it'],
  ['ENXIO', 'no such device'],
  ['ENODEV', 'no such device'],
]);

export function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether a failed call's code is a failure of the machine rather than of the path given. */
export function isMachineCode(code: string | undefined): boolean {
  return code !== undefined && MACHINE_PROBLEMS.has(code);
}

/**
 * The error to throw for a failed file system call on `path`: a UserError, a MachineError, or
 * the error itself when it is neither (a bug). `hint` is added to a user's message in brackets,
 * such as "give its path with --project".
 */
export function fsError(error: unknown, path: string, action: FsAction, hint?: string): unknown {
  if (error instanceof UserError || error instanceof MachineError) return error;
  const code = errorCode(error);
  if (code === undefined) return error;
  const userProblem = USER_PROBLEMS.get(code);
  if (userProblem !== undefined) {
    const problem = code === 'ENOENT' && action !== 'read' ? 'the folder holding it does not exist' : userProblem;
    return new UserError(hint === undefined ? problem : `${problem} (${hint})`, { file: path });
  }
  const machineProblem = MACHINE_PROBLEMS.get(code);
  if (machineProblem !== undefined) return new MachineError(path, `cannot ${action}: ${machineProblem} (${code})`, code);
  return error;
}

/** A missing input file, in the same words whoever looks for it. */
export function notFound(path: string, hint?: string): UserError {
  return fsError(Object.assign(new Error('not found'), { code: 'ENOENT' }), path, 'read', hint) as UserError;
}

/**
 * A machine failure the code did not expect at that place (Node's fs errors carry the path):
 * still one line, never called a bug. Null when the error is not one.
 */
export function asMachineError(error: unknown): MachineError | null {
  if (error instanceof MachineError) return error;
  const code = errorCode(error);
  if (!isMachineCode(code)) return null;
  const { path, syscall } = error as NodeJS.ErrnoException;
  return new MachineError(path ?? '(no path)', `${syscall ?? 'a system call'} failed: ${MACHINE_PROBLEMS.get(code!)} (${code})`, code!);
}
