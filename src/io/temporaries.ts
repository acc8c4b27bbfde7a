// Temporary files: hidden names beside their targets that no cohort glob picks up; a register of
// the ones this process may have on disk, removed when the command fails or is stopped by a
// signal (worker threads report theirs to the main thread, which outlives them); and removal of
// the ones a process that is gone left behind, never of one a live process could be writing.

import { readFileSync, rmSync, utimesSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isMainThread, parentPort } from 'node:worker_threads';
import { onCleanup } from './interrupt.js';
import { OWNER_TAG, ownerLiveness } from './owner.js';

const TEMP_SUFFIX = '.analyse-tmp';

/**
 * A temporary whose owner cannot be checked (another machine or pid namespace) is left alone
 * until it has not been touched for this long. This process touches its own far more often.
 */
export const STALE_AFTER_MS = 60 * 60 * 1000;
const HEARTBEAT_MS = 5 * 60 * 1000;

/** `.<target name>.<owner tag>-<pid>.<random>.analyse-tmp`, in the target's folder. */
export function temporaryName(target: string): string {
  return join(dirname(target), `.${basename(target)}.${OWNER_TAG}-${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
}

export function isTemporaryName(name: string): boolean {
  return name.startsWith('.') && name.endsWith(TEMP_SUFFIX);
}

/** The owner recorded in a temporary's name; null for names of another form (older versions wrote `.<pid>.`). */
function ownerOf(name: string): { tag: string; pid: number } | null {
  const match = /\.([0-9a-f]{8})-(\d+)\.[0-9a-f]+\.analyse-tmp$/.exec(name);
  return match === null ? null : { tag: match[1]!, pid: Number(match[2]) };
}

/**
 * Each tracked path with the content it must still hold to be removed (a lock), or null (a
 * temporary). Keyed by both: two threads may each track the same lock path with their own content.
 */
const tracked = new Map<string, { path: string; owned: string | null }>();
const keyOf = (path: string, owned: string | null) => `${path}\0${owned ?? ''}`;
let heartbeat: NodeJS.Timeout | null = null;

/** A worker thread's report of a temporary it is about to create (`on`) or has renamed or removed. */
export interface TemporaryMessage {
  type: 'analyse:temporary';
  path: string;
  on: boolean;
  owned: string | null;
}

/**
 * Records a temporary this process is about to create, so that a signal or a failure removes it.
 * Called before the file is created, so there is no moment when it exists unrecorded. A file
 * that is not this process's alone (a lock) is given with `owned`, the content that makes it
 * this process's: it is removed only if it holds exactly that.
 */
export function trackTemporary(path: string, owned: string | null = null): void {
  if (!isMainThread && parentPort !== null) {
    parentPort.postMessage({ type: 'analyse:temporary', path, on: true, owned } satisfies TemporaryMessage);
    return;
  }
  addTracked(path, owned);
}

function addTracked(path: string, owned: string | null): void {
  tracked.set(keyOf(path, owned), { path, owned });
  heartbeat ??= setInterval(touchTracked, HEARTBEAT_MS).unref();
}

/** The temporary was renamed into place or removed (`owned` as it was tracked). */
export function untrackTemporary(path: string, owned: string | null = null): void {
  if (!isMainThread && parentPort !== null) {
    parentPort.postMessage({ type: 'analyse:temporary', path, on: false, owned } satisfies TemporaryMessage);
    return;
  }
  tracked.delete(keyOf(path, owned));
}

/** Applies a worker thread's report (even while stopping: the file may exist); false when the message is not one. */
export function applyTemporaryMessage(message: unknown): boolean {
  const report = message as TemporaryMessage | null;
  if (report?.type !== 'analyse:temporary') return false;
  if (report.on) addTracked(report.path, report.owned);
  else tracked.delete(keyOf(report.path, report.owned));
  return true;
}

/** Removes every temporary this process may still have on disk. */
export function removeTrackedTemporaries(): void {
  for (const { path, owned } of tracked.values()) {
    try {
      if (owned === null || readFileSync(path, 'utf8') === owned) rmSync(path, { force: true });
    } catch {
      /* gone already */
    }
  }
  tracked.clear();
}

onCleanup(removeTrackedTemporaries);

/** Keeps this process's temporaries young, so no other process takes them for a dead one's. */
function touchTracked(): void {
  const now = new Date();
  for (const { path } of tracked.values()) {
    try {
      utimesSync(path, now, now);
    } catch {
      /* not created yet, or already renamed */
    }
  }
}

/**
 * Removes temporaries in `dir` (of targets whose names start `prefix`) that no live process can be
 * writing: those of a dead process of this machine and pid namespace, and those of any other
 * owner that have not been touched for STALE_AFTER_MS.
 */
export async function removeStaleTemporaries(dir: string, prefix = '.'): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !isTemporaryName(name)) continue;
    const path = join(dir, name);
    if (tracked.has(keyOf(path, null))) continue;
    const owner = ownerOf(name);
    const liveness = owner === null ? 'unknown' : ownerLiveness(owner.tag, owner.pid);
    if (liveness === 'alive') continue;
    if (liveness === 'unknown') {
      try {
        if (Date.now() - (await stat(path)).mtimeMs < STALE_AFTER_MS) continue;
      } catch {
        continue;
      }
    }
    await rm(path, { force: true });
  }
}
