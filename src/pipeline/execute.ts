// Runs one action as its own process in the project folder, without a shell, streaming everything
// it prints into its log. `analyse` at the start of a run line is this program, wherever it is
// installed; `node` is the Node.js running it.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AtomicFile } from '../io/atomic-file.js';

const ANALYSE_BIN = fileURLToPath(new URL('../../bin/analyse.js', import.meta.url));

export interface Execution {
  /** Exit code, or null when the process was killed by a signal or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Why the process could not start (e.g. the command was not found). */
  startError: string | null;
  durationMs: number;
  /** The last lines the process printed, to show when it fails. */
  tail: string;
}

/** How much of the end of an action's output is kept in memory for the terminal. */
const TAIL_CHARS = 4000;

/** The executable and arguments for a run line's words. */
export function resolveCommand(command: readonly string[]): { file: string; args: string[] } {
  const [first, ...rest] = command;
  if (first === 'analyse') return { file: process.execPath, args: [ANALYSE_BIN, ...rest] };
  if (first === 'node') return { file: process.execPath, args: rest };
  return { file: first!, args: rest };
}

/** Sends `signal` to every process of the action (its process group); none left is no error. */
export function signalAction(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group has ended already.
  }
}

/** Runs the command; `onStart` is given the process, so a signal to `analyse run` can be passed on to it. */
export async function execute(command: readonly string[], cwd: string, log: AtomicFile, onStart?: (child: ChildProcess) => void): Promise<Execution> {
  const started = performance.now();
  const { file, args } = resolveCommand(command);
  // Writes are chained so the log keeps the order in which output arrived.
  let writing: Promise<void> = Promise.resolve();
  let tail = '';
  const append = (chunk: Buffer) => {
    writing = writing.then(() => log.write(chunk));
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_CHARS);
  };
  const result = await new Promise<Omit<Execution, 'durationMs' | 'tail'>>((resolveResult) => {
    // Its own process group, so a stop reaches every process of the action (a shell script's
    // children too), and whatever the action leaves running when it ends is ended with it, as
    // when an OpenSAFELY action's container stops.
    const child = spawn(file, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    onStart?.(child);
    child.on('exit', () => signalAction(child, 'SIGKILL'));
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    child.on('error', (error: NodeJS.ErrnoException) => {
      // "python:latest python x.py" is how OpenSAFELY names a docker image; here programs run directly.
      const image = /^[a-z0-9_.-]+:[a-z0-9_.-]+$/i.test(command[0]!) ? ' (an OpenSAFELY image name? analyse run runs programs directly, such as "analyse ..." or "node ...")' : '';
      const why = error.code === 'ENOENT' ? `command not found: ${command[0]}${image}` : `could not start ${command[0]}: ${error.message}`;
      resolveResult({ exitCode: null, signal: null, startError: why });
    });
    child.on('close', (exitCode, signal) => resolveResult({ exitCode, signal, startError: null }));
  });
  await writing;
  return { ...result, durationMs: performance.now() - started, tail };
}
