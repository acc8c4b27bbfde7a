// Output folders: checked before any work is done (a file in the way, a loop of links), created
// only when something is written into them, and removed again, when empty, if the command that
// created them fails or is stopped, so a failed command leaves no empty folder behind.

import { rmdirSync } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { MachineError, UserError } from '../errors.js';
import { errorCode, fsError } from './fs-errors.js';
import { creation, onCleanup } from './interrupt.js';

/** Folders this command created, outermost first. */
const created: string[] = [];

/**
 * Creates `dir` and its parents as needed; `option` (such as `--output-dir`) names it in messages.
 * One folder at a time, outermost first, never mkdir's recursive mode: Node 20's spins for ever
 * where a file system refuses a folder with ENOENT though its parent exists (under /proc), and
 * says ENOENT for other refusals (a read-only file system) where one mkdir gives the true reason.
 */
export async function ensureFolder(dir: string, option?: string): Promise<void> {
  for (const folder of await missingFolders(dir, option)) {
    try {
      await creation(mkdir(folder));
    } catch (error) {
      const code = errorCode(error);
      // Made meanwhile by another command: a folder is all that is needed.
      if (code === 'EEXIST' && (await isFolder(folder))) continue;
      if (code === 'ENOENT') throw new MachineError(dir, `cannot create the folder: the file system allows no folder at ${folder} (ENOENT)`, 'ENOENT');
      throw await folderError(dir, error, option);
    }
    created.push(folder);
  }
}

/** The folders of `dir`, itself included, that do not exist yet, outermost first. */
async function missingFolders(dir: string, option?: string): Promise<string[]> {
  const missing: string[] = [];
  for (let folder = resolve(dir); ; folder = dirname(folder)) {
    try {
      if (!(await stat(folder)).isDirectory()) throw blocked(dir, folder, option);
      return missing;
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw await folderError(dir, error, option);
      if (folder === dirname(folder)) return missing;
      missing.unshift(folder);
    }
  }
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
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
