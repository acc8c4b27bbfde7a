import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeldLock, tryLock, waitForLock, type LockOwner } from '../../src/io/locks.js';
import { OWNER_TAG } from '../../src/io/owner.js';
import { removeTrackedTemporaries } from '../../src/io/temporaries.js';
import { UserError } from '../../src/errors.js';
import { deadPid, listFiles, tempDir } from '../helpers.js';

const OPTIONS = { staleAfterMs: 60_000 };

function lockFile(owner: Partial<LockOwner>): string {
  return `${JSON.stringify({ tag: OWNER_TAG, pid: process.pid, host: 'here', started: '2024-01-01T00:00:00.000Z', command: 'run --all', ...owner })}\n`;
}

describe('tryLock(path)', () => {
  it('creates the lock naming its owner, refuses a second taker while held, and release removes it', async () => {
    const dir = tempDir();
    const path = join(dir, 'x.lock');
    const lock = await tryLock(path, OPTIONS);
    expect(lock).toBeInstanceOf(HeldLock);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ tag: OWNER_TAG, pid: process.pid });
    const second = await tryLock(path, OPTIONS);
    expect(second).toMatchObject({ pid: process.pid, tag: OWNER_TAG });
    (lock as HeldLock).release();
    expect(listFiles(dir)).toEqual([]);
  });

  it('takes over a lock left by a dead process of this machine and pid namespace', async () => {
    const dir = tempDir({ 'x.lock': lockFile({ pid: deadPid() }) });
    const lock = await tryLock(join(dir, 'x.lock'), OPTIONS);
    expect(lock).toBeInstanceOf(HeldLock);
    expect(JSON.parse(readFileSync(join(dir, 'x.lock'), 'utf8')).pid).toBe(process.pid);
    (lock as HeldLock).release();
  });

  it('leaves a lock of another machine or pid namespace alone until it has been untouched for longer than its holder would', async () => {
    const dir = tempDir({ 'x.lock': lockFile({ tag: 'ffffffff', pid: deadPid(), host: 'elsewhere' }) });
    const path = join(dir, 'x.lock');
    expect(await tryLock(path, OPTIONS)).toMatchObject({ host: 'elsewhere' });
    const then = new Date(Date.now() - 120_000);
    utimesSync(path, then, then);
    const lock = await tryLock(path, OPTIONS);
    expect(lock).toBeInstanceOf(HeldLock);
    (lock as HeldLock).release();
  });

  it('never removes a lock that another process has taken since it was judged stale', async () => {
    const dir = tempDir({ 'x.lock': lockFile({ pid: deadPid() }) });
    const path = join(dir, 'x.lock');
    // Someone else took over first: the lock now holds a live owner (the parent of this process).
    writeFileSync(path, lockFile({ pid: process.ppid }));
    expect(await tryLock(path, OPTIONS)).toMatchObject({ pid: process.ppid });
    expect(existsSync(path)).toBe(true);
  });

  it('is removed when the command stops while holding it, even when another taker of this process lost the race for it', async () => {
    const dir = tempDir();
    const path = join(dir, 'x.lock');
    const [a, b] = await Promise.all([tryLock(path, OPTIONS), tryLock(path, OPTIONS)]);
    expect([a, b].filter((taken) => taken instanceof HeldLock)).toHaveLength(1);
    removeTrackedTemporaries();
    expect(listFiles(dir)).toEqual([]);
  });
});

describe('waitForLock(path)', () => {
  it('waits while the lock is held, then takes it', async () => {
    const dir = tempDir();
    const path = join(dir, 'x.lock');
    const first = (await tryLock(path, OPTIONS)) as HeldLock;
    setTimeout(() => first.release(), 100);
    const second = await waitForLock(path, { ...OPTIONS, waitMs: 10_000, what: 'writing' });
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    second.release();
  });

  it('gives up with a UserError naming the holder', async () => {
    const dir = tempDir({ 'x.lock': lockFile({ pid: process.ppid, command: 'measures --output-dir out' }) });
    const error = await waitForLock(join(dir, 'x.lock'), { ...OPTIONS, waitMs: 50, what: 'writing into out' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      `${join(dir, 'x.lock')}: another analyse command (pid ${process.ppid}, \`analyse measures --output-dir out\`, started 2024-01-01T00:00:00.000Z) has been writing into out for over 0 s; try again when it has finished`,
    );
  });
});
