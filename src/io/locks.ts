// Lock files, so that two processes never do the same thing at once: one `analyse run` per
// project, one set of renames per folder. A lock is created in one step (a complete temporary file
// hard-linked to the lock's name, which fails if the name exists) and names its owner. A lock left
// by a process that is gone is taken over, and only then: a dead pid of this machine and pid
// namespace, or a lock of any other owner left untouched for longer than its holder would.

import { readFileSync, unlinkSync, utimesSync } from 'node:fs';
import { link, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';
import { UserError } from '../errors.js';
import { errorCode, fsError } from './fs-errors.js';
import { OWNER_TAG, ownerLiveness } from './owner.js';
import { removeStaleTemporaries, temporaryName, trackTemporary, untrackTemporary } from './temporaries.js';

export interface LockOwner {
  tag: string;
  pid: number;
  host: string;
  /** ISO 8601. */
  started: string;
  /** The command line, e.g. `run --all`. */
  command: string;
}

export interface LockOptions {
  /** A lock whose owner cannot be checked is stale once untouched for this long. */
  staleAfterMs: number;
  /** While held, the lock file's time is refreshed this often (for locks held for long). */
  heartbeatMs?: number;
}

/** A breaker left by a process killed while taking over a stale lock is itself stale after this. */
const BREAKER_STALE_MS = 10_000;

/**
 * A lock this process holds. It is recorded with the temporaries (see temporaries.ts, which
 * removes it, if it still holds this process's content, when the command fails or is stopped,
 * also when a worker thread took it). `release()` is synchronous.
 */
export class HeldLock {
  private released = false;

  constructor(
    readonly path: string,
    private readonly content: string,
    private readonly heartbeat: NodeJS.Timeout | null,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    try {
      // Only our own: a lock taken over after it went stale belongs to someone else now.
      if (readFileSync(this.path, 'utf8') === this.content) unlinkSync(this.path);
    } catch {
      /* already gone */
    } finally {
      untrackTemporary(this.path, this.content);
    }
  }
}

/** Takes the lock at `path`, or returns who holds it. */
export async function tryLock(path: string, options: LockOptions): Promise<HeldLock | LockOwner> {
  const owner: LockOwner = { tag: OWNER_TAG, pid: process.pid, host: hostname(), started: new Date().toISOString(), command: process.argv.slice(2).join(' ') };
  // A random taker id, so that two threads of one process taking it at the same moment differ.
  const content = `${JSON.stringify({ ...owner, taker: randomBytes(6).toString('hex') })}\n`;
  // What a process killed while taking the lock left beside it.
  await removeStaleTemporaries(dirname(path), `.${basename(path)}.`);
  for (;;) {
    if (await createExclusive(path, content)) {
      const heartbeat = options.heartbeatMs === undefined ? null : setInterval(() => touch(path), options.heartbeatMs).unref();
      return new HeldLock(path, content, heartbeat);
    }
    const holder = await readLock(path);
    if (holder === null) continue; // released just now: try again
    if (!isStale(holder, options.staleAfterMs)) return holder.owner;
    await breakStaleLock(path, holder.raw);
  }
}

export interface WaitOptions extends LockOptions {
  /** Give up after this long. */
  waitMs: number;
  /** Says what the lock protects, for the message when waiting is given up: "writing into output/". */
  what: string;
}

/** Takes the lock at `path`, waiting while another live process holds it (a UserError after `waitMs`). */
export async function waitForLock(path: string, options: WaitOptions): Promise<HeldLock> {
  const until = Date.now() + options.waitMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
    const result = await tryLock(path, options);
    if (result instanceof HeldLock) return result;
    if (Date.now() >= until) {
      throw new UserError(`${describeOwner(result)} has been ${options.what} for over ${Math.round(options.waitMs / 1000)} s; try again when it has finished`, { file: path });
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** "another analyse command (pid 123, `analyse run --all`, started 2024-01-01T10:00:00Z)". */
export function describeOwner(owner: LockOwner): string {
  const where = owner.tag === OWNER_TAG ? `pid ${owner.pid}` : `pid ${owner.pid} on ${owner.host || 'another machine or container'}`;
  const command = owner.command === '' ? '' : `, \`analyse ${owner.command}\``;
  return `another analyse command (${where}${command}, started ${owner.started})`;
}

interface LockFile {
  owner: LockOwner;
  raw: string;
  mtimeMs: number;
}

async function readLock(path: string): Promise<LockFile | null> {
  try {
    const [raw, stats] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { owner: parseOwner(raw), raw, mtimeMs: stats.mtimeMs };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw fsError(error, path, 'lock');
  }
}

function parseOwner(raw: string): LockOwner {
  try {
    const parsed = JSON.parse(raw) as Partial<LockOwner>;
    return { tag: String(parsed.tag ?? ''), pid: Number(parsed.pid), host: String(parsed.host ?? ''), started: String(parsed.started ?? '?'), command: String(parsed.command ?? '') };
  } catch {
    // Being written by the fallback below, or damaged: its age decides.
    return { tag: '', pid: 0, host: '', started: '?', command: '' };
  }
}

function isStale(lock: LockFile, staleAfterMs: number): boolean {
  const liveness = ownerLiveness(lock.owner.tag, lock.owner.pid);
  if (liveness !== 'unknown') return liveness === 'dead';
  return Date.now() - lock.mtimeMs > staleAfterMs;
}

/**
 * Removes a stale lock without ever removing a live one: two processes may both find it stale,
 * and the second must not remove the lock the first has just taken. The remover holds a breaker
 * lock and removes the lock only if it still holds the very content judged stale.
 */
async function breakStaleLock(path: string, staleContent: string): Promise<void> {
  const breaker = `${path}.break`;
  const content = `${JSON.stringify({ tag: OWNER_TAG, pid: process.pid, taker: randomBytes(6).toString('hex') })}\n`;
  if (!(await createExclusive(breaker, content))) {
    const other = await readLock(breaker);
    if (other !== null && isStale(other, BREAKER_STALE_MS)) await rm(breaker, { force: true });
    else await new Promise((resolve) => setTimeout(resolve, 5));
    return;
  }
  try {
    let current: string | null = null;
    try {
      current = await readFile(path, 'utf8');
    } catch {
      /* gone already */
    }
    if (current === staleContent) await rm(path, { force: true });
  } finally {
    await rm(breaker, { force: true });
    untrackTemporary(breaker, content);
  }
}

/** Creates `path` holding `content` in one step; false if it exists. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const temp = temporaryName(path);
  trackTemporary(temp);
  // Recorded before it exists; removed on stopping only while it holds our content.
  trackTemporary(path, content);
  try {
    await writeFile(temp, content, { flag: 'wx' });
    await link(temp, path);
    return true;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') {
      untrackTemporary(path, content);
      return false;
    }
    // Some file systems have no hard links: an exclusive create, then the content, will do.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') return createWithoutLink(path, content);
    untrackTemporary(path, content);
    throw fsError(error, path, 'lock');
  } finally {
    await rm(temp, { force: true });
    untrackTemporary(temp);
  }
}

async function createWithoutLink(path: string, content: string): Promise<boolean> {
  try {
    await writeFile(path, content, { flag: 'wx' });
    return true;
  } catch (error) {
    untrackTemporary(path, content);
    if (errorCode(error) === 'EEXIST') return false;
    throw fsError(error, path, 'lock');
  }
}

function touch(path: string): void {
  const now = new Date();
  try {
    utimesSync(path, now, now);
  } catch {
    /* released meanwhile */
  }
}
