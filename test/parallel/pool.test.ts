import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runPool, startWorkers } from '../../src/parallel/pool.js';
import { MachineError, UserError } from '../../src/errors.js';
import { ROOT, tempDir } from '../helpers.js';

/** A worker module: a task is a number (returned doubled) or a word saying how to fail. */
const WORKER = `
import { serveTasks } from '${pathToFileURL(join(ROOT, 'dist/parallel/protocol.js')).href}';
import { MachineError, UserError } from '${pathToFileURL(join(ROOT, 'dist/errors.js')).href}';
serveTasks(() => async (task) => {
  if (task === 'exit') process.exit(3);
  if (task === 'user') throw new UserError('a bad cell', { file: 'in.csv', line: 3 });
  if (task === 'disk') throw new MachineError('out/a.csv', 'cannot write: no space left on the device (ENOSPC)', 'ENOSPC');
  return task * 2;
});
`;

/** The pool's first task goes to the worker thread; this thread takes the next ones, doubling numbers. */
function pool(tasks: Array<number | string>) {
  const dir = tempDir({ 'worker.mjs': WORKER });
  return runPool<null, number | string, number>({
    worker: pathToFileURL(join(dir, 'worker.mjs')),
    handler: () => async (task) => {
      if (typeof task !== 'number') throw new Error(`task ${task} was meant for the worker thread`);
      return task * 2;
    },
    init: null,
    tasks,
    jobs: 2,
    progress: null,
  });
}

describe('runPool across worker threads', () => {
  it('returns results in task order', async () => {
    expect(await pool([1, 2, 3, 4, 5])).toEqual([2, 4, 6, 8, 10]);
  });

  it('fails the task of a worker that exits without an error message, instead of waiting for it forever', async () => {
    await expect(pool(['exit', 2, 3])).rejects.toThrow('a worker thread stopped unexpectedly (exit code 3) while working on task 1 of 3');
  });

  it("keeps the kind of a failure, so its exit code: a researcher's mistake, or the machine's", async () => {
    const user = await pool(['user', 1]).catch((e: unknown) => e);
    expect(user).toBeInstanceOf(UserError);
    expect((user as UserError).message).toBe('in.csv, line 3: a bad cell');
    const disk = await pool(['disk', 1]).catch((e: unknown) => e);
    expect(disk).toBeInstanceOf(MachineError);
    expect((disk as MachineError).message).toBe('out/a.csv: cannot write: no space left on the device (ENOSPC)');
  });
});

/** A worker module that returns its init data with each task, and whether it was started before it had them. */
const INIT_WORKER = `
import { workerData } from 'node:worker_threads';
import { serveTasks, INIT_LATER } from '${pathToFileURL(join(ROOT, 'dist/parallel/protocol.js')).href}';
serveTasks((init) => async (task) => \`\${init.name}:\${task}:\${workerData === INIT_LATER ? 'started early' : 'made by the pool'}\`);
`;

describe('workers started before their init data', () => {
  it('get it as their first message and serve the tasks with it, beside this thread', async () => {
    const worker = pathToFileURL(join(tempDir({ 'worker.mjs': INIT_WORKER }), 'worker.mjs'));
    const started = startWorkers(worker, 2);
    try {
      const results = await runPool<{ name: string }, number, string>({
        worker,
        started,
        handler: (init) => async (task) => `${init.name}:${task}:this thread`,
        init: { name: 'late' },
        tasks: [1, 2, 3, 4],
        jobs: 2,
        progress: null,
      });
      // The first task goes to the worker thread: the one started early.
      expect(results[0]).toBe('late:1:started early');
      expect(results.map((r) => r.split(':').slice(0, 2).join(':'))).toEqual(['late:1', 'late:2', 'late:3', 'late:4']);
      // The pool took the one started worker: none is left.
      const left = started.take(worker, { name: 'left' });
      void left?.terminate();
      expect(left).toBeNull();
    } finally {
      started.close();
    }
  });

  it('are ended when no pool takes them (a stage that failed before its pool), and leave nothing running', async () => {
    const worker = pathToFileURL(join(tempDir({ 'worker.mjs': INIT_WORKER }), 'worker.mjs'));
    const started = startWorkers(worker, 3);
    started.close();
    // Nothing is left to take: a pool makes its own worker, given its init data at once.
    const results = await runPool<{ name: string }, number, string>({
      worker,
      started,
      handler: (init) => async (task) => `${init.name}:${task}:this thread`,
      init: { name: 'fresh' },
      tasks: [1, 2],
      jobs: 2,
      progress: null,
    });
    expect(results[0]).toBe('fresh:1:made by the pool');
  });

  it('are not taken by a pool of another worker module', async () => {
    const dir = tempDir({ 'worker.mjs': INIT_WORKER, 'other.mjs': INIT_WORKER });
    const started = startWorkers(pathToFileURL(join(dir, 'other.mjs')), 2);
    try {
      expect(started.take(pathToFileURL(join(dir, 'worker.mjs')), { name: 'x' })).toBeNull();
    } finally {
      started.close();
    }
  });
});
