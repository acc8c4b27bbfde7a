// Files an action wrote, found as the job runner finds them: everything in the project folder
// modified since the action started, leaving out version control, dependencies, the logs, and
// analyse's own bookkeeping beside its outputs (`.analyse-…`: a commit lock, a temporary file of a
// write still under way).

import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', 'metadata']);

/** Relative POSIX paths of files under `root` modified at or after `sinceMs`, sorted. */
export async function filesWrittenSince(root: string, sinceMs: number): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!(prefix === '' && SKIPPED_FOLDERS.has(entry.name))) await walk(join(dir, entry.name), relative);
      } else if (entry.isFile() && !entry.name.startsWith('.analyse-')) {
        const { mtimeMs } = await lstat(join(dir, entry.name));
        if (mtimeMs >= sinceMs) found.push(relative);
      }
    }
  };
  await walk(root, '');
  return found.sort();
}
