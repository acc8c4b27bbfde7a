// The files `analyse check` looks at: each path named, and every file under each folder named
// (hidden ones too: whatever is in a folder would be released with it), in name order.

import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../../errors.js';

export interface FoundFile {
  /** Where to read it. */
  path: string;
  /** As the user named it, or joined onto the folder they named. */
  shownAs: string;
}

export async function findFiles(paths: readonly string[]): Promise<FoundFile[]> {
  if (paths.length === 0) throw new UserError('name at least one file or folder to check');
  const found: FoundFile[] = [];
  const seen = new Set<string>();
  const add = (path: string, shownAs: string) => {
    const key = resolve(path);
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ path, shownAs });
  };
  for (const path of paths) {
    const kind = await kindOf(path);
    if (kind === 'file') add(path, path);
    else if (kind === 'folder') for (const file of await filesUnder(path)) add(file, file);
    else if (kind === 'missing') throw new UserError('no such file or folder', { file: path });
    else throw new UserError('neither a file nor a folder, so it cannot be checked', { file: path });
  }
  return found;
}

async function kindOf(path: string): Promise<'file' | 'folder' | 'missing' | 'other'> {
  try {
    const info = await stat(path);
    return info.isFile() ? 'file' : info.isDirectory() ? 'folder' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return 'missing';
    throw error;
  }
}

/** Files below `dir`, sorted; symbolic links to files are followed, links to folders are not (no cycles). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(path)));
    else if (entry.isFile()) files.push(path);
    else if (entry.isSymbolicLink() && (await kindOf(path)) === 'file') files.push(path);
  }
  return files;
}
