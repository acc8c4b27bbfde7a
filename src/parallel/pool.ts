// Runs independent per-file tasks across worker threads (one file per worker at a time), or in
// this thread when one worker would do. Workers report rows read, for the progress line.

import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createProgress } from '../progress.js';
import { onStop, stopSignal, StoppedError } from '../io/interrupt.js';
import { applyTemporaryMessage } from '../io/temporaries.js';
import { INIT_LATER, receiveError, type TaskHandler, type WorkerReply, type WorkerRequest } from './protocol.js';

export interface PoolOptions<Init, Task, Result> {
  /** The worker module (a `serveTasks` call), as `new URL('./worker.js', import.meta.url)`. */
  worker: URL;
  /** Workers of that module started earlier (startWorkers), used before any new one is made. */
  started?: StartedWorkers;
  /** The same handler, for running in this thread. */
  handler: (init: Init) => TaskHandler<Task, Result>;
  /** Data every worker gets once (typed arrays over SharedArrayBuffer are shared, not copied). */
  init: Init;
  tasks: readonly Task[];
  /** At most this many workers; 1 runs everything in this thread. */
  jobs: number;
  /** Label of the progress line shown on stderr while tasks run (a terminal only); null for none. */
  progress: string | null;
}

/** Rows read since the last call, and whether a task has just finished. */
type ProgressCallback = (rows: number, taskDone: boolean) => void;

export function defaultJobs(): number {
  return availableParallelism();
}

/**
 * Worker threads started before their init data is ready, so that their start-up (tens of
 * milliseconds each: a thread, a V8 isolate, the modules) overlaps the stage's own preparation
 * (the join loads its lookup file meanwhile). A pool takes them over (PoolOptions.started); those
 * it does not take are ended by `close`, which a stage calls whatever happens. Until taken, they do
 * not keep the process alive.
 */
export class StartedWorkers {
  private readonly idle: Array<{ worker: Worker; error: unknown; exited: boolean }> = [];

  constructor(
    readonly url: URL,
    count: number,
  ) {
    for (let i = 0; i < count; i++) {
      const entry = { worker: new Worker(url, { workerData: INIT_LATER }), error: null as unknown, exited: false };
      entry.worker.on('error', (error) => (entry.error ??= error));
      entry.worker.on('exit', () => (entry.exited = true));
      entry.worker.unref();
      this.idle.push(entry);
    }
  }

  /** A started worker for `url`, given its init data, or null when there is none (or it failed while starting). */
  take(url: URL, init: unknown): Worker | null {
    if (url.href !== this.url.href) return null;
    for (let entry = this.idle.shift(); entry !== undefined; entry = this.idle.shift()) {
      if (entry.error !== null || entry.exited) {
        void entry.worker.terminate();
        continue;
      }
      entry.worker.removeAllListeners();
      entry.worker.ref();
      entry.worker.postMessage({ type: 'init', init } satisfies WorkerRequest<never>);
      return entry.worker;
    }
    return null;
  }

  /** Ends the workers no pool took. */
  close(): void {
    for (const { worker } of this.idle.splice(0)) void worker.terminate();
  }
}

/** Starts the `count - 1` worker threads a pool of `count` would make (the pool's own thread is the other). */
export function startWorkers(url: URL, count: number): StartedWorkers {
  return new StartedWorkers(url, Math.max(0, count - 1));
}

/**
 * Results in task order. On the first failure no further task is started; tasks already
 * running are allowed to finish (each writes its output whole or not at all), then the first
 * error is thrown.
 */
export async function runPool<Init, Task, Result>(options: PoolOptions<Init, Task, Result>): Promise<Result[]> {
  const workers = Math.max(1, Math.min(options.jobs, options.tasks.length));
  const progress = options.progress === null ? null : createProgress({ label: options.progress, totalFiles: options.tasks.length });
  let rowsRead = 0;
  let tasksDone = 0;
  const onProgress: ProgressCallback = (rows, taskDone) => {
    rowsRead += rows;
    if (taskDone) tasksDone++;
    progress?.update(rowsRead, tasksDone);
  };
  try {
    return workers === 1 ? await runInThread(options, onProgress) : await runInWorkers(options, workers, onProgress);
  } finally {
    progress?.stop();
  }
}

async function runInThread<Init, Task, Result>({ handler, init, tasks }: PoolOptions<Init, Task, Result>, onProgress: ProgressCallback): Promise<Result[]> {
  const run = handler(init);
  const results: Result[] = [];
  for (const task of tasks) {
    results.push(await run(task, (rows) => onProgress(rows, false)));
    onProgress(0, true);
  }
  return results;
}

/**
 * `count` workers share the tasks: `count - 1` worker threads and this thread, which starts on
 * the first task at once, while the workers are still starting up (tens of milliseconds each),
 * and would otherwise sit idle. It reads between chunks, so it still answers the workers promptly.
 */
function runInWorkers<Init, Task, Result>(options: PoolOptions<Init, Task, Result>, count: number, onProgress: ProgressCallback): Promise<Result[]> {
  const { tasks, init } = options;
  const results = new Array<Result>(tasks.length);
  const url = options.worker;
  let next = 0;
  let failure: unknown = null;
  const running = new Map<Worker, number | null>();

  return new Promise((resolve, reject) => {
    // A signal stops every worker; once they have exited, their temporaries are known (see io/temporaries.ts).
    const forgetStop = onStop(async () => {
      await Promise.all([...running.keys()].map((worker) => worker.terminate()));
    });
    let alive = count;
    const finish = () => {
      if (--alive > 0) return;
      forgetStop();
      if (failure !== null) reject(failure);
      else resolve(results);
    };
    const retire = (worker: Worker) => {
      if (!running.delete(worker)) return;
      void worker.terminate();
      finish();
    };
    const dispatch = (worker: Worker) => {
      if (failure !== null || next >= tasks.length) return retire(worker);
      const index = next++;
      running.set(worker, index);
      worker.postMessage({ type: 'task', index, task: tasks[index]! } satisfies WorkerRequest<Task>);
    };
    for (let w = 0; w < count - 1; w++) {
      const worker = options.started?.take(url, init) ?? new Worker(url, { workerData: init });
      running.set(worker, null);
      worker.on('message', (reply: WorkerReply<Result>) => {
        if (applyTemporaryMessage(reply)) return;
        if (reply.type === 'progress') return onProgress(reply.rows, false);
        if (reply.type === 'done') {
          results[reply.index] = reply.result;
          onProgress(0, true);
        } else failure ??= receiveError(reply.error);
        dispatch(worker);
      });
      worker.on('error', (error) => {
        failure ??= error;
        retire(worker);
      });
      // A worker that ends without an error (process.exit in a worker, a native crash) would
      // otherwise leave its task, and the pool, waiting forever.
      worker.on('exit', (code) => {
        if (!running.has(worker)) return;
        const task = running.get(worker);
        const signal = stopSignal();
        failure ??=
          signal !== null
            ? new StoppedError(signal)
            : new Error(`a worker thread stopped unexpectedly (exit code ${code})${task === null || task === undefined ? '' : ` while working on task ${task + 1} of ${tasks.length}`}`);
        retire(worker);
      });
      dispatch(worker);
    }
    void (async () => {
      try {
        const run = options.handler(init);
        while (failure === null && next < tasks.length) {
          const index = next++;
          results[index] = await run(tasks[index]!, (rows) => onProgress(rows, false));
          onProgress(0, true);
        }
      } catch (error) {
        failure ??= error;
      }
      finish();
    })();
  });
}
