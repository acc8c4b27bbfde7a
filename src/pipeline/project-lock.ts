// Only one `analyse run` works in a project at a time: two would run the same actions into the
// same files and overwrite each other's manifest. The lock, metadata/analyse-run.lock, names its
// holder; one left by a run that is gone is taken over.

import { join } from 'node:path';
import { UserError } from '../errors.js';
import { ensureFolder } from '../io/folders.js';
import { describeOwner, HeldLock, tryLock } from '../io/locks.js';
import { METADATA_DIR } from './manifest.js';

export const RUN_LOCK = `${METADATA_DIR}/analyse-run.lock`;

/** A run's lock is refreshed every half minute; untouched for 5 minutes, its holder is gone. */
const HEARTBEAT_MS = 30_000;
const STALE_AFTER_MS = 5 * 60_000;

export async function lockProject(projectDir: string): Promise<HeldLock> {
  await ensureFolder(join(projectDir, METADATA_DIR));
  const path = join(projectDir, RUN_LOCK);
  const lock = await tryLock(path, { staleAfterMs: STALE_AFTER_MS, heartbeatMs: HEARTBEAT_MS });
  if (lock instanceof HeldLock) return lock;
  throw new UserError(
    `${describeOwner(lock)} is already running actions of this project; only one analyse run works in a project at a time: wait for it to finish, then run again. Nothing was run`,
    { file: path },
  );
}
