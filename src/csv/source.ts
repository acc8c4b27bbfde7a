// Opens a cohort file as a stream of byte chunks, gunzipping `.gz` files, and turns the ways a
// file can be unreadable (missing, a directory, cut-short gzip) into errors a researcher can act on.

import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { open, type FileHandle } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { borrowBuffer, returnBuffer } from './buffer-pool.js';

/** Bytes per read: large enough that per-chunk overhead vanishes, small enough to keep memory flat. */
export const CHUNK_SIZE = 1 << 20;

export function isGzipPath(path: string): boolean {
  return path.toLowerCase().endsWith('.gz');
}

/**
 * The file's (decompressed) bytes, chunk by chunk. A chunk is only valid until the next one is
 * requested: plain files are read into one reused buffer, so memory stays flat.
 */
export async function* readChunks(path: string, chunkSize = CHUNK_SIZE): AsyncGenerator<Uint8Array> {
  if (isGzipPath(path)) {
    yield* readGzipChunks(path, chunkSize);
    return;
  }
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw readError(path, error);
  }
  const buffer = borrowBuffer(chunkSize);
  try {
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, chunkSize, null));
      } catch (error) {
        throw readError(path, error);
      }
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    returnBuffer(buffer);
    await handle.close();
  }
}

async function* readGzipChunks(path: string, chunkSize: number): AsyncGenerator<Uint8Array> {
  const file = createReadStream(path, { highWaterMark: chunkSize });
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
  if (code === 'ENOENT') return new UserError('file not found', { file: path });
  if (code === 'EISDIR') return new UserError('is a folder, expected a file', { file: path });
  if (code === 'EACCES') return new UserError('permission denied: cannot read the file', { file: path });
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(error.message)) {
    return new UserError('the gzip data is cut short (unexpected end of file); the file is incomplete', { file: path });
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new UserError(`not readable as gzip (${error.message})`, { file: path });
  }
  return error;
}
