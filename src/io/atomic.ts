// Outputs appear whole or not at all: every file is written under a hidden temporary name in
// its target folder, flushed to disk, then renamed over the target in one step. A killed process
// leaves at most a stray temporary file, which the next write to the same target removes.

import { closeSync, fchmodSync, fsync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createGzip, gzipSync, type Gzip } from 'node:zlib';
import { UserError } from '../errors.js';

export interface AtomicFileOptions {
  /** Gzip the bytes written (default: when the target name ends in `.gz`). */
  gzip?: boolean;
}

/** A file being written; nothing exists under `target` until `commit()`. */
export class AtomicFile {
  private committed = false;
  private finished = false;

  private constructor(
    readonly target: string,
    readonly tempPath: string,
    private readonly handle: FileHandle,
    /** For gzip targets: the compressor, whose output is written to `handle` in order. */
    private readonly zip: Gzip | null,
  ) {
    zip?.on('data', (compressed: Buffer) => {
      this.writing = this.writing.then(() => this.writeAll(compressed));
    });
  }

  /** Compressed bytes queued for the file; awaited after each write, so the queue stays short. */
  private writing: Promise<void> = Promise.resolve();

  static async open(target: string, options: AtomicFileOptions = {}): Promise<AtomicFile> {
    await ensureFolder(dirname(target));
    await removeStaleTemporaries(target);
    const tempPath = temporaryName(target);
    const handle = await open(tempPath, 'wx');
    const zip = (options.gzip ?? target.toLowerCase().endsWith('.gz')) ? createGzip() : null;
    return new AtomicFile(target, tempPath, handle, zip);
  }

  /** Writes bytes; when the promise resolves they have been consumed and the buffer may be reused. */
  async write(bytes: Uint8Array | string): Promise<void> {
    const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    const zip = this.zip;
    if (zip === null) return this.writeAll(data);
    await new Promise<void>((resolve, reject) => zip.write(data, (error) => (error ? reject(error) : resolve())));
    await this.writing;
  }

  private async writeAll(data: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await this.handle.write(data, offset, data.length - offset);
      offset += bytesWritten;
    }
  }

  /** Flushes and syncs the temporary file, so that only the rename is left to do. */
  async finish(): Promise<void> {
    if (this.finished) return;
    if (this.zip !== null) {
      const ended = once(this.zip, 'end');
      this.zip.end();
      await ended;
      await this.writing;
    }
    await this.handle.sync();
    await this.preserveMode();
    await this.handle.close();
    this.finished = true;
  }

  /** Flushes, syncs and renames the file into place. */
  async commit(): Promise<void> {
    await this.finish();
    await rename(this.tempPath, this.target);
    this.committed = true;
    await syncFolder(dirname(this.target));
  }

  /** Discards the temporary file; the target is left as it was. Safe to call more than once. */
  async abort(): Promise<void> {
    if (this.committed) return;
    this.zip?.destroy();
    await this.writing.catch(() => {});
    if (!this.finished) await this.handle.close().catch(() => {});
    this.finished = true;
    await rm(this.tempPath, { force: true });
  }

  /** An in-place rewrite keeps the permissions the researcher gave the file. */
  private async preserveMode(): Promise<void> {
    try {
      const { mode } = await stat(this.target);
      await this.handle.chmod(mode & 0o7777);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** Writes a whole file atomically. */
export async function writeFileAtomic(target: string, content: Buffer | string, options: AtomicFileOptions = {}): Promise<void> {
  const file = await AtomicFile.open(target, options);
  try {
    await file.write(content);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/**
 * Writes several files so that a failure while writing any of them leaves none of them changed:
 * all are written to temporary files first and renamed only when every one is complete.
 *
 * Meant for many small outputs held in memory (measure tables): each file is written with
 * synchronous calls, which cost microseconds, instead of a round trip to the I/O thread pool per
 * call; the disk syncs, the slow part, run together in batches; each folder is synced once at the end.
 * Hundreds of files take tens of milliseconds instead of hundreds.
 */
/** Files written and synced together by writeFilesAtomic (also the most it holds open at once). */
const SYNC_BATCH = 64;

export async function writeFilesAtomic(files: ReadonlyArray<{ path: string; content: Buffer | string }>): Promise<void> {
  const folders = [...new Set(files.map((file) => dirname(file.path)))];
  const staged: Array<{ fd: number | null; tempPath: string; target: string; renamed: boolean }> = [];
  try {
    for (const dir of folders) {
      await ensureFolder(dir);
      await removeStaleTemporariesIn(dir);
    }
    // In batches, so a study with thousands of measure files never holds more open files than this.
    for (let first = 0; first < files.length; first += SYNC_BATCH) {
      const batch: typeof staged = [];
      for (const { path, content } of files.slice(first, first + SYNC_BATCH)) {
        const tempPath = temporaryName(path);
        const entry = { fd: openForWriting(tempPath, path), tempPath, target: path, renamed: false };
        staged.push(entry);
        batch.push(entry);
        const text = typeof content === 'string' ? Buffer.from(content) : content;
        const bytes = path.toLowerCase().endsWith('.gz') ? gzipSync(text) : text;
        for (let offset = 0; offset < bytes.length; ) offset += writeSync(entry.fd, bytes, offset);
        preserveModeSync(entry.fd, path);
      }
      await Promise.all(batch.map(({ fd }) => new Promise<void>((resolve, reject) => fsync(fd!, (error) => (error ? reject(error) : resolve())))));
      for (const entry of batch) {
        closeSync(entry.fd!);
        entry.fd = null;
      }
    }
    for (const entry of staged) {
      renameSync(entry.tempPath, entry.target);
      entry.renamed = true;
    }
    for (const dir of folders) await syncFolder(dir);
  } catch (error) {
    for (const entry of staged) {
      if (entry.fd !== null) closeSync(entry.fd);
      if (!entry.renamed) rmSync(entry.tempPath, { force: true });
    }
    throw error;
  }
}

function openForWriting(tempPath: string, target: string): number {
  try {
    return openSync(tempPath, 'wx');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new UserError('permission denied: cannot write in the output folder', { file: target });
    throw error;
  }
}

/** A rewritten file keeps the permissions the researcher gave it. */
function preserveModeSync(fd: number, target: string): void {
  try {
    fchmodSync(fd, statSync(target).mode & 0o7777);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export async function ensureFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new UserError('cannot create the output folder: a file of that name is in the way', { file: dir });
    if (code === 'EACCES') throw new UserError('permission denied: cannot create the output folder', { file: dir });
    throw error;
  }
}

const TEMP_SUFFIX = '.analyse-tmp';

function temporaryName(target: string): string {
  // Hidden and not ending in .csv, so no cohort glob ever picks it up.
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
}

/** Removes temporaries of `target` left by a process that is no longer running. */
async function removeStaleTemporaries(target: string): Promise<void> {
  await removeStaleTemporariesIn(dirname(target), `.${basename(target)}.`);
}

/** Removes temporaries (of targets whose names start `prefix`) in `dir` left by processes no longer running. */
async function removeStaleTemporariesIn(dir: string, prefix = '.'): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) continue;
    // `.<target name>.<pid>.<random>.analyse-tmp`: the pid is the third field from the end.
    const pid = Number(name.split('.').at(-3));
    if (Number.isInteger(pid) && pid !== process.pid && !isRunning(pid)) await rm(join(dir, name), { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function syncFolder(dir: string): Promise<void> {
  // Makes the rename itself durable; some file systems refuse to sync a folder, which is harmless.
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
