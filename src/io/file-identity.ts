// Which version of a file this is: its device, inode, size and modification time. A command that
// rewrites a file it read compares them before replacing it, so another process's write in
// between is noticed instead of lost.

import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { errorCode } from './fs-errors.js';

export interface FileIdentity {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
}

/** The identity of the file at `path`, or null when there is none. */
export async function identityOf(path: string): Promise<FileIdentity | null> {
  try {
    return pick(await stat(path, { bigint: true }));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

export function identityOfSync(path: string): FileIdentity | null {
  try {
    return pick(statSync(path, { bigint: true }));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

export function sameIdentity(a: FileIdentity | null, b: FileIdentity | null): boolean {
  if (a === null || b === null) return a === b;
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;
}

function pick({ dev, ino, size, mtimeNs }: FileIdentity): FileIdentity {
  return { dev, ino, size, mtimeNs };
}
