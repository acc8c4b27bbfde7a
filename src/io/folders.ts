// Output folders: checked before any work is done (a file in the way, a loop of links), created
// only when something is written into them, and removed again, when empty, if the command that
// created them fails or is stopped, so a failed command leaves no empty folder behind.

import { rmdirSync } from 'node:fs';
import { mkdir, open, rmdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { errorCode, fsError } from './fs-errors.js';
import { creation, onCleanup } from './interrupt.js';

/** Folders this command created, outermost first. */
const created: string[] = [];

/** Creates `dir` and its parents as needed; `option` (such as `--output-dir`) names it in messages. */
export async function ensureFolder(dir: string, option?: string): Promise<void> {
  let first: string | undefined;
  try {
    first = await creation(mkdir(dir, { recursive: true }));
  } catch (error) {
    // Node's recursive mkdir says ENOENT for some failures (a read-only file system): one folder
    // at a time, the true reason comes out.
    throw await folderError(dir, errorCode(error) === 'ENOENT' ? await stepwiseError(dir, error) : error, option);
  }
  if (first === undefined) return;
  // mkdir names the outermost folder it made; every folder from there down to `dir` is new.
  const top = resolve(first);
  const chain: string[] = [];
  for (let folder = resolve(dir); ; folder = dirname(folder)) {
    chain.unshift(folder);
    if (folder === top || dirname(folder) === folder) break;
  }
  created.push(...chain);
}

/** The error of creating the missing folders of `dir` one at a time (they are removed again). */
async function stepwiseError(dir: string, fallback: unknown): Promise<unknown> {
  const missing: string[] = [];
  for (let folder = resolve(dir); folder !== dirname(folder); folder = dirname(folder)) {
    try {
      await stat(folder);
      break;
    } catch {
      missing.unshift(folder);
    }
  }
  const made: string[] = [];
  try {
    for (const folder of missing) {
      await mkdir(folder);
      made.unshift(folder);
    }
    return fallback;
  } catch (error) {
    return error;
  } finally {
    for (const folder of made) await rmdir(folder).catch(() => {});
  }
}

/** Checks, before any work, that `dir` is a folder or can be created; creates nothing. */
export async function checkOutputFolder(dir: string, option?: string): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) throw blocked(dir, dir, option);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw await folderError(dir, error, option);
    // Missing: fine if the nearest folder that exists above it is a folder.
    for (let parent = dirname(dir); parent !== dirname(parent); parent = dirname(parent)) {
      try {
        if (!(await stat(parent)).isDirectory()) throw blocked(dir, parent, option);
        return;
      } catch (inner) {
        if (errorCode(inner) !== 'ENOENT') throw await folderError(dir, inner, option);
      }
    }
  }
}

/** Removes the folders this command created, innermost first, as long as they are empty. */
export function removeCreatedFolders(): void {
  for (const folder of created.reverse()) {
    try {
      rmdirSync(folder);
    } catch {
      /* not empty (something else was written there), or already gone */
    }
  }
  created.length = 0;
}

/** The command succeeded: the folders it created stay, whatever happens later in this process. */
export function forgetCreatedFolders(): void {
  created.length = 0;
}

onCleanup(removeCreatedFolders, 1);

/** Makes renames in `dir` durable; some file systems refuse to sync a folder, which is harmless. */
export async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* not supported here */
  }
}

async function folderError(dir: string, error: unknown, option?: string): Promise<unknown> {
  const code = errorCode(error);
  if (code === 'EEXIST' || code === 'ENOTDIR') {
    // Find which part of the path is a file.
    for (let part = dir; part !== dirname(part); part = dirname(part)) {
      try {
        if (!(await stat(part)).isDirectory()) return blocked(dir, part, option);
      } catch {
        /* missing or unreadable: look further up */
      }
    }
  }
  return fsError(error, dir, 'create the folder', option);
}

function blocked(dir: string, file: string, option?: string): UserError {
  const what = file === dir ? 'it is a file, not a folder' : `${file} is a file, not a folder`;
  return new UserError(`cannot be used as ${option === undefined ? 'an output folder' : `the ${option} folder`}: ${what}`, { file: dir });
}
