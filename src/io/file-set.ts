// Commits the outputs of one command as a set. Every file is first written complete and synced
// under a temporary name. Then, holding the commit lock of every folder involved, one synchronous
// step keeps each existing target aside (a hard link), renames the new files into place and moves
// the files to remove aside; if any part fails, everything done is undone. A signal is handled
// only between turns of the event loop, never inside that step, so a command stopped by one
// leaves the set all as it was or all new, and two commands writing into one folder never
// interleave their renames.

import { closeSync, copyFileSync, constants, fchmodSync, fsync, linkSync, lstatSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { UserError } from '../errors.js';
import { errorCode, fsError } from './fs-errors.js';
import { identityOfSync, sameIdentity, type FileIdentity } from './file-identity.js';
import { ensureFolder, syncFolder } from './folders.js';
import { waitForLock, type HeldLock } from './locks.js';
import { removeStaleTemporaries, temporaryName, trackTemporary, untrackTemporary } from './temporaries.js';

/** A complete, synced, closed temporary file and where it goes. */
export interface StagedFile {
  tempPath: string;
  target: string;
}

export interface CommitOptions {
  /** Files removed in the same step (those missing are ignored). */
  remove?: readonly string[];
  /**
   * For a file rewritten in place: what it was when it was read (null: it did not exist). If it
   * has changed since, another process wrote it: nothing is committed, and its work is kept.
   */
  unchanged?: ReadonlyMap<string, FileIdentity | null>;
}

/** The lock every commit into a folder holds, so two commands never interleave their renames. */
export const COMMIT_LOCK = '.analyse-commit.lock';
/** A commit lock is held for milliseconds: one untouched for a minute was left by a killed process. */
const COMMIT_LOCK_STALE_MS = 60_000;
const COMMIT_LOCK_WAIT_MS = 120_000;

/** Renames the staged files into place (and removes `options.remove`) as one step; on failure none of it happens. */
export async function commitFiles(staged: readonly StagedFile[], options: CommitOptions = {}): Promise<void> {
  let committed = false;
  let aside: string[] = [];
  try {
    const folders = [...new Set([...staged.map((file) => file.target), ...(options.remove ?? [])].map((path) => resolve(dirname(path))))].sort();
    const locks: HeldLock[] = [];
    try {
      // In path order, so two commands sharing folders cannot each wait for the other.
      for (const folder of folders) {
        locks.push(await waitForLock(`${folder}/${COMMIT_LOCK}`, { staleAfterMs: COMMIT_LOCK_STALE_MS, waitMs: COMMIT_LOCK_WAIT_MS, what: `writing into ${folder}` }));
      }
      aside = commitNow(staged, options);
      committed = true;
    } finally {
      for (const lock of locks.reverse()) lock.release();
    }
    // The old files kept aside are not needed any more: removed outside the lock, several at a
    // time (freeing a synced file's blocks is most of a commit's time), while the folders sync.
    await Promise.all([removeTemporaries(aside), ...folders.map(syncFolder)]);
  } finally {
    // Renamed files are gone from their temporary names; the rest are removed.
    for (const file of staged) {
      if (!committed) rmSync(file.tempPath, { force: true });
      untrackTemporary(file.tempPath);
    }
  }
}

async function removeTemporaries(paths: readonly string[]): Promise<void> {
  await Promise.all(
    paths.map(async (path) => {
      try {
        await unlink(path);
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') throw error;
      }
      untrackTemporary(path);
    }),
  );
}

/** Returns the old files kept aside (still tracked temporaries), for the caller to remove. */
function commitNow(staged: readonly StagedFile[], { remove = [], unchanged = new Map() }: CommitOptions): string[] {
  for (const [target, expected] of unchanged) {
    if (!sameIdentity(identityOfSync(target), expected)) {
      throw new UserError(
        'changed on disk while this command was rewriting it (another process wrote it at the same time); it was left as the other process wrote it: run the command again',
        { file: target },
      );
    }
  }
  for (const file of staged) {
    if (isFolder(file.target)) throw new UserError('is a folder, where this command writes a file', { file: file.target });
  }
  const undo: Array<() => void> = [];
  const aside: string[] = [];
  let current = '';
  try {
    for (const file of staged) {
      current = file.target;
      const kept = keepAside(file.target);
      if (kept !== null) aside.push(kept);
      renameSync(file.tempPath, file.target);
      undo.push(kept === null ? () => rmSync(file.target, { force: true }) : () => renameSync(kept, file.target));
    }
    for (const target of remove) {
      current = target;
      const kept = temporaryName(target);
      trackTemporary(kept);
      try {
        renameSync(target, kept);
      } catch (error) {
        untrackTemporary(kept);
        if (errorCode(error) === 'ENOENT') continue;
        throw error;
      }
      aside.push(kept);
      undo.push(() => renameSync(kept, target));
    }
  } catch (error) {
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        /* keep undoing the rest */
      }
    }
    for (const kept of aside) {
      rmSync(kept, { force: true });
      untrackTemporary(kept);
    }
    throw fsError(error, current, 'write');
  }
  return aside;
}

function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A second name for the existing target, so it can be put back; null when there is no target. */
function keepAside(target: string): string | null {
  const kept = temporaryName(target);
  trackTemporary(kept);
  try {
    linkSync(target, kept);
    return kept;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') {
      untrackTemporary(kept);
      return null;
    }
    // A file system without hard links: a copy does the same job, more slowly.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS' || code === 'EMLINK') {
      copyFileSync(target, kept, constants.COPYFILE_EXCL);
      return kept;
    }
    untrackTemporary(kept);
    throw error;
  }
}

/** The most files writeFilesAtomic holds open at once: each syncs while the next ones are written. */
const MAX_OPEN = 64;

/**
 * Writes several files held in memory (measure tables, pages) as one set, see commitFiles.
 * Each file is written with synchronous calls, which cost microseconds, instead of a round trip
 * to the I/O thread pool per call; the disk syncs, the slow part, run in the pool meanwhile,
 * several at a time. Hundreds of files take tens of milliseconds instead of hundreds.
 */
export async function writeFilesAtomic(files: ReadonlyArray<{ path: string; content: Buffer | string }>, options: CommitOptions = {}): Promise<void> {
  const folders = [...new Set(files.map((file) => dirname(file.path)))];
  for (const dir of folders) {
    await ensureFolder(dir);
    await removeStaleTemporaries(dir);
  }
  const staged: Array<StagedFile & { fd: number | null }> = [];
  /** Files written and syncing, oldest first: at most MAX_OPEN, so a study with thousands of measure files never runs out of file descriptors. */
  const syncing: Array<{ entry: { fd: number | null }; synced: Promise<void> }> = [];
  try {
    for (const { path, content } of files) {
      if (syncing.length === MAX_OPEN) await closeSynced(syncing.shift()!);
      const tempPath = temporaryName(path);
      trackTemporary(tempPath);
      const entry = { tempPath, target: path, fd: null as number | null };
      staged.push(entry);
      try {
        entry.fd = openSync(tempPath, 'wx');
        const text = typeof content === 'string' ? Buffer.from(content) : content;
        const bytes = path.toLowerCase().endsWith('.gz') ? gzipSync(text) : text;
        for (let offset = 0; offset < bytes.length; ) offset += writeSync(entry.fd, bytes, offset);
        preserveModeSync(entry.fd, path);
      } catch (error) {
        throw fsError(error, path, 'write');
      }
      const synced = syncFile(entry.fd, path);
      // Awaited in turn; until then a failure must not count as an unhandled rejection.
      synced.catch(() => {});
      syncing.push({ entry, synced });
    }
    while (syncing.length > 0) await closeSynced(syncing.shift()!);
  } catch (error) {
    // A sync still running must end before its file is closed.
    await Promise.allSettled(syncing.map((file) => file.synced));
    for (const entry of staged) {
      if (entry.fd !== null) closeSync(entry.fd);
      try {
        rmSync(entry.tempPath, { force: true });
      } catch {
        // One that could not be made (its name too long, say) cannot be removed either: the first error is the one to report.
      }
      untrackTemporary(entry.tempPath);
    }
    throw error;
  }
  await commitFiles(staged, options);
}

/** Closes a file once its sync has ended (also when it failed; the failure is then thrown). */
async function closeSynced({ entry, synced }: { entry: { fd: number | null }; synced: Promise<void> }): Promise<void> {
  try {
    await synced;
  } finally {
    closeSync(entry.fd!);
    entry.fd = null;
  }
}

function syncFile(fd: number, target: string): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (error) => (error ? reject(fsError(error, target, 'write')) : resolve())));
}

/** A rewritten file keeps the permissions the researcher gave it. */
function preserveModeSync(fd: number, target: string): void {
  try {
    fchmodSync(fd, statSync(target).mode & 0o7777);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}
