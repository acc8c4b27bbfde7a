// Opens a cohort file as a stream of byte chunks, gunzipping `.gz` files, and turns the ways a
// file can be unreadable (missing, a directory, cut-short gzip) into errors a researcher can act on.

import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { UserError } from '../errors.js';

/** Bytes per read: large enough that per-chunk overhead vanishes, small enough to keep memory flat. */
export const CHUNK_SIZE = 1 << 20;

export function isGzipPath(path: string): boolean {
  return path.toLowerCase().endsWith('.gz');
}

/** The file's (decompressed) bytes, chunk by chunk. */
export async function* readChunks(path: string): AsyncGenerator<Buffer> {
  const file = createReadStream(path, { highWaterMark: CHUNK_SIZE });
  let stream: Readable = file;
  if (isGzipPath(path)) {
    const gunzip = createGunzip({ chunkSize: CHUNK_SIZE });
    file.on('error', (error) => gunzip.destroy(error));
    stream = file.pipe(gunzip);
  }
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    throw readError(path, error);
  } finally {
    file.destroy();
    stream.destroy();
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
