// Large I/O buffers are reused from file to file within a thread: V8 collects external memory
// lazily, so allocating fresh megabyte buffers per file would let RSS climb by tens of MiB.

const free: Buffer[] = [];
const KEEP = 8;

/** A buffer of at least `size` bytes (contents undefined). */
export function borrowBuffer(size: number): Buffer {
  for (let i = 0; i < free.length; i++) {
    if (free[i]!.length >= size) return free.splice(i, 1)[0]!;
  }
  return Buffer.allocUnsafe(size);
}

/** Returns a buffer for reuse; the caller must hold no view of it any more. */
export function returnBuffer(buffer: Buffer): void {
  if (free.length < KEEP && !free.includes(buffer)) free.push(buffer);
}
