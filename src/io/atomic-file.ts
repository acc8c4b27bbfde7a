// A file written as a stream appears whole or not at all: it is written under a hidden temporary
// name in its target's folder, synced, then renamed over the target in one step (see
// file-set.ts). A killed process leaves at most a stray temporary, which a later write removes
// once no live process can own it.

import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
import { errorCode, fsError } from './fs-errors.js';
import { creation } from './interrupt.js';
import type { FileIdentity } from './file-identity.js';
import { commitFiles, type StagedFile } from './file-set.js';
import { ensureFolder } from './folders.js';
import { removeStaleTemporaries, temporaryName, trackTemporary, untrackTemporary } from './temporaries.js';

export interface AtomicFileOptions {
  /** Gzip the bytes written (default: when the target name ends in `.gz`). */
  gzip?: boolean;
  /**
   * For a rewrite of a file the command read: its identity when reading began. The commit stops
   * with a UserError if the file has changed since (another process wrote it meanwhile).
   */
  unchangedSince?: FileIdentity | null;
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
    private readonly unchangedSince: FileIdentity | null | undefined,
  ) {
    zip?.on('data', (compressed: Buffer) => {
      this.writing = this.writing.then(() => this.writeAll(compressed));
    });
  }

  /** Compressed bytes queued for the file; awaited after each write, so the queue stays short. */
  private writing: Promise<void> = Promise.resolve();

  static async open(target: string, options: AtomicFileOptions = {}): Promise<AtomicFile> {
    await ensureFolder(dirname(target));
    await removeStaleTemporaries(dirname(target), `.${basename(target)}.`);
    const tempPath = temporaryName(target);
    trackTemporary(tempPath);
    let handle: FileHandle;
    try {
      handle = await creation(open(tempPath, 'wx'));
    } catch (error) {
      untrackTemporary(tempPath);
      throw fsError(error, target, 'write');
    }
    const zip = (options.gzip ?? target.toLowerCase().endsWith('.gz')) ? createGzip() : null;
    return new AtomicFile(target, tempPath, handle, zip, options.unchangedSince);
  }

  /** Commits several finished files as one set (see file-set.ts): all are renamed into place, or none. */
  static async commitAll(files: readonly AtomicFile[]): Promise<void> {
    for (const file of files) await file.finish();
    const unchanged = new Map<string, FileIdentity | null>();
    for (const file of files) if (file.unchangedSince !== undefined) unchanged.set(file.target, file.unchangedSince);
    await commitFiles(files.map((file): StagedFile => ({ tempPath: file.tempPath, target: file.target })), { unchanged });
    for (const file of files) file.committed = true;
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
    try {
      while (offset < data.length) {
        const { bytesWritten } = await this.handle.write(data, offset, data.length - offset);
        offset += bytesWritten;
      }
    } catch (error) {
      throw fsError(error, this.target, 'write');
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
    try {
      await this.handle.sync();
      await this.preserveMode();
    } catch (error) {
      throw fsError(error, this.target, 'write');
    }
    await this.handle.close();
    this.finished = true;
  }

  /** Flushes, syncs and renames the file into place. */
  async commit(): Promise<void> {
    await AtomicFile.commitAll([this]);
  }

  /** Discards the temporary file; the target is left as it was. Safe to call more than once. */
  async abort(): Promise<void> {
    if (this.committed) return;
    this.zip?.destroy();
    await this.writing.catch(() => {});
    if (!this.finished) await this.handle.close().catch(() => {});
    this.finished = true;
    await rm(this.tempPath, { force: true });
    untrackTemporary(this.tempPath);
  }

  /** An in-place rewrite keeps the permissions the researcher gave the file. */
  private async preserveMode(): Promise<void> {
    try {
      const { mode } = await stat(this.target);
      await this.handle.chmod(mode & 0o7777);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
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
