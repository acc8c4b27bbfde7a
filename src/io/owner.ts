// Who made a temporary file or holds a lock, and whether that process is still alive. A pid means
// something only within its machine and pid namespace (a container sees other pids than its host,
// and may share a folder with it), so every name and lock carries a tag of both: a pid is checked
// only when the tag is this process's own; otherwise only age can tell a dead owner.

import { readFileSync, readlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';

function readOr(read: () => string): string {
  try {
    return read();
  } catch {
    return '';
  }
}

/** 8 hex digits naming this machine and pid namespace. */
export const OWNER_TAG: string = createHash('sha256')
  .update(hostname())
  .update('\0')
  .update(readOr(() => readFileSync('/etc/machine-id', 'utf8').trim()))
  .update('\0')
  .update(readOr(() => readlinkSync('/proc/self/ns/pid')))
  .digest('hex')
  .slice(0, 8);

export type Liveness = 'alive' | 'dead' | 'unknown';

/** Whether the process `pid` of tag `tag` runs: known only for this machine and pid namespace. */
export function ownerLiveness(tag: string, pid: number): Liveness {
  if (tag !== OWNER_TAG || !Number.isSafeInteger(pid) || pid <= 0) return 'unknown';
  if (pid === process.pid) return 'alive';
  try {
    process.kill(pid, 0);
    return 'alive';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? 'alive' : 'dead';
  }
}
