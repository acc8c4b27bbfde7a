// Input files must be regular files: a named pipe would block the command forever waiting for a
// writer, a device would never end, a folder or a loop of links cannot be read. Each is refused
// at once, in the same words for every command.

import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { errorCode, fsError } from './fs-errors.js';

/** Opened without blocking, so a named pipe with no writer is found out instead of waited on. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** What a non-regular file is, in words; null for a regular file. */
export function notRegularKind(stats: Stats): string | null {
  if (stats.isFile()) return null;
  if (stats.isDirectory()) return 'is a folder, expected a file';
  if (stats.isFIFO()) return 'is a named pipe (FIFO), not a regular file: it cannot be read as an input';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device, not a regular file';
  if (stats.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

/** Opens a regular file for reading; anything else is a UserError naming the path. */
export async function openInputFile(path: string, hint?: string): Promise<FileHandle> {
  return (await openIfPresent(path, hint, false))!;
}

/** Opens a regular file, or null when there is none and `optional`. */
async function openIfPresent(path: string, hint: string | undefined, optional: boolean): Promise<FileHandle | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    if (optional && errorCode(error) === 'ENOENT') return null;
    throw fsError(error, path, 'read', hint);
  }
  try {
    const kind = notRegularKind(await handle.stat());
    if (kind !== null) throw new UserError(kind, { file: path });
    return handle;
  } catch (error) {
    await handle.close();
    throw fsError(error, path, 'read', hint);
  }
}

/** Checks that `path` is a regular file (following links) without opening it. */
export async function checkInputFile(path: string, hint?: string): Promise<void> {
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch (error) {
    throw fsError(error, path, 'read', hint);
  }
  const kind = notRegularKind(stats);
  if (kind !== null) throw new UserError(kind, { file: path });
}

/** The text of a small input file (UTF-8). */
export async function readInputFile(path: string, hint?: string): Promise<string> {
  return (await readIfPresent(path, hint, false))!;
}

/** The text of a small input file that may be absent: null when there is no such file. */
export async function readOptionalInputFile(path: string): Promise<string | null> {
  return readIfPresent(path, undefined, true);
}

async function readIfPresent(path: string, hint: string | undefined, optional: boolean): Promise<string | null> {
  const handle = await openIfPresent(path, hint, optional);
  if (handle === null) return null;
  try {
    return await handle.readFile('utf8');
  } catch (error) {
    throw fsError(error, path, 'read', hint);
  } finally {
    await handle.close();
  }
}
