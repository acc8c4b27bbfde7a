// Messages between the pool and its workers, and the worker side of the pool.

import { parentPort, workerData } from 'node:worker_threads';
import { UserError, type Location } from '../errors.js';

/** Runs one task; calls `progress` with rows read since its last call. */
export type TaskHandler<Task, Result> = (task: Task, progress: (rows: number) => void) => Promise<Result>;

export type WorkerRequest<Task> = { type: 'task'; index: number; task: Task };

export type WorkerReply<Result> =
  | { type: 'progress'; rows: number }
  | { type: 'done'; index: number; result: Result }
  | { type: 'failed'; index: number; user: true; message: string; location: Location }
  | { type: 'failed'; index: number; user: false; message: string; stack?: string };

/** The body of a worker module: builds the handler from the pool's init data and serves tasks. */
export function serveTasks<Init, Task, Result>(handler: (init: Init) => TaskHandler<Task, Result>): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks must run in a worker thread');
  const run = handler(workerData as Init);
  port.on('message', async (request: WorkerRequest<Task>) => {
    const progress = (rows: number) => port.postMessage({ type: 'progress', rows } satisfies WorkerReply<Result>);
    try {
      const result = await run(request.task, progress);
      port.postMessage({ type: 'done', index: request.index, result } satisfies WorkerReply<Result>);
    } catch (error) {
      const reply: WorkerReply<Result> =
        error instanceof UserError
          ? { type: 'failed', index: request.index, user: true, message: error.reason, location: error.location }
          : { type: 'failed', index: request.index, user: false, message: String((error as Error)?.message ?? error), stack: (error as Error)?.stack };
      port.postMessage(reply);
    }
  });
}
