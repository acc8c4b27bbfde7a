// Messages between the pool and its workers, and the worker side of the pool.

import { parentPort, workerData } from 'node:worker_threads';
import { MachineError, UserError, type Location } from '../errors.js';

/** Runs one task; calls `progress` with rows read since its last call. */
export type TaskHandler<Task, Result> = (task: Task, progress: (rows: number) => void) => Promise<Result>;

/** A worker started before its init data was ready (see startWorkers) gets it as its first message. */
export type WorkerRequest<Task> = { type: 'task'; index: number; task: Task } | { type: 'init'; init: unknown };

export type WorkerReply<Result> =
  | { type: 'progress'; rows: number }
  | { type: 'done'; index: number; result: Result }
  | { type: 'failed'; index: number; error: SentError };

/** An error as it crosses from a worker to the pool, keeping its kind (and so its exit code). */
export type SentError =
  | { kind: 'user'; reason: string; location: Location }
  | { kind: 'machine'; path: string; reason: string; code: string }
  | { kind: 'bug'; message: string; stack?: string };

export function sendError(error: unknown): SentError {
  if (error instanceof UserError) return { kind: 'user', reason: error.reason, location: error.location };
  if (error instanceof MachineError) return { kind: 'machine', path: error.path, reason: error.reason, code: error.code };
  return { kind: 'bug', message: String((error as Error)?.message ?? error), stack: (error as Error)?.stack };
}

export function receiveError(sent: SentError): Error {
  if (sent.kind === 'user') return new UserError(sent.reason, sent.location);
  if (sent.kind === 'machine') return new MachineError(sent.path, sent.reason, sent.code);
  return Object.assign(new Error(sent.message), { stack: sent.stack });
}

/** What a worker started early (see startWorkers) has as its workerData, until its init data comes. */
export const INIT_LATER = 'init-later';

/**
 * The body of a worker module: builds the handler from the pool's init data (given when the worker
 * was made, or as its first message when it was started early) and serves tasks.
 */
export function serveTasks<Init, Task, Result>(handler: (init: Init) => TaskHandler<Task, Result>): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks must run in a worker thread');
  let run = workerData === INIT_LATER ? null : handler(workerData as Init);
  port.on('message', async (request: WorkerRequest<Task>) => {
    if (request.type === 'init') {
      run = handler(request.init as Init);
      return;
    }
    const progress = (rows: number) => port.postMessage({ type: 'progress', rows } satisfies WorkerReply<Result>);
    try {
      if (run === null) throw new Error('a task came before the init data');
      const result = await run(request.task, progress);
      port.postMessage({ type: 'done', index: request.index, result } satisfies WorkerReply<Result>);
    } catch (error) {
      port.postMessage({ type: 'failed', index: request.index, error: sendError(error) } satisfies WorkerReply<Result>);
    }
  });
}
