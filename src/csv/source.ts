// Opens a cohort file as a stream of byte chunks, gunzipping `.gz` files, and turns the ways a
// file can be unreadable (missing, not a regular file, cut-short gzip) into errors a researcher
// can act on; the file system's own failures are worded by io/fs-errors.ts.

import { createGunzip } from 'node:zlib';
import type { FileHandle } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { fsError } from '../io/fs-errors.js';
import { openInputFile } from '../io/input-file.js';
import { borrowBuffer, returnBuffer } from './buffer-pool.js';

/** Bytes per read: large enough that per-chunk overhead vanishes, small enough to keep memory flat. */
export const CHUNK_SIZE = 1 << 20;

export function isGzipPath(path: string): boolean {
  return path.toLowerCase().endsWith('.gz');
}

/**
 * The file's (decompressed) bytes, chunk by chunk, from byte `start` on (plain files only). A
 * chunk is only valid until the next one is requested. Plain files are read into two reused buffers, the next read running while the
 * caller works on the current chunk, so memory stays flat and the disk is never idle.
 */
export async function* readChunks(path: string, chunkSize = CHUNK_SIZE, start = 0): AsyncGenerator<Uint8Array> {
  if (isGzipPath(path)) {
    if (start !== 0) throw new Error('a gzip file can only be read from its start');
    yield* readGzipChunks(path, chunkSize);
    return;
  }
  const handle: FileHandle = await openInputFile(path);
  const buffers = [borrowBuffer(chunkSize), borrowBuffer(chunkSize)];
  // Reads run one after another (the next starts once the last has ended), so the position is known.
  let position = start;
  const read = (buffer: Buffer) =>
    handle.read(buffer, 0, chunkSize, position).then(
      ({ bytesRead }) => {
        position += bytesRead;
        return bytesRead;
      },
      (error: unknown) => Promise.reject(readError(path, error)),
    );
  let next = read(buffers[0]!);
  try {
    for (let turn = 0; ; turn ^= 1) {
      const bytesRead = await next;
      if (bytesRead === 0) return;
      next = read(buffers[turn ^ 1]!);
      yield buffers[turn]!.subarray(0, bytesRead);
    }
  } finally {
    // A read still running must finish before its buffer is reused or the file closed.
    await next.catch(() => 0);
    buffers.forEach(returnBuffer);
    await handle.close();
  }
}

async function* readGzipChunks(path: string, chunkSize: number): AsyncGenerator<Uint8Array> {
  const file = (await openInputFile(path)).createReadStream({ highWaterMark: chunkSize });
  const gunzip = createGunzip({ chunkSize });
  file.on('error', (error) => gunzip.destroy(error));
  try {
    for await (const chunk of file.pipe(gunzip)) yield chunk as Buffer;
  } catch (error) {
    throw readError(path, error);
  } finally {
    file.destroy();
    gunzip.destroy();
  }
}

export function readError(path: string, error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(error.message)) {
    return new UserError('the gzip data is cut short (unexpected end of file); the file is incomplete', { file: path });
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new UserError(`not readable as gzip (${error.message})`, { file: path });
  }
  return fsError(error, path, 'read');
}
