// How a command stops when told to (SIGINT from Ctrl-C, SIGTERM from a job runner, SIGHUP when
// the terminal closes): what is running is stopped (worker threads, an action of `analyse run`),
// then the temporary files, locks and empty folders the command made are removed, and the process
// exits 128 + the signal's number (130, 143, 129). Outputs stay as they were or complete: a set of
// renames runs synchronously, so a signal is only ever handled before it starts or after it ends.

export const SIGNAL_EXIT_CODES: ReadonlyMap<NodeJS.Signals, number> = new Map<NodeJS.Signals, number>([
  ['SIGHUP', 129],
  ['SIGINT', 130],
  ['SIGTERM', 143],
]);

/** Stops something still running (its promise settles once it has stopped). */
export type StopHook = (signal: NodeJS.Signals) => Promise<void> | void;

const stopHooks = new Set<StopHook>();
const repeatListeners = new Set<(signal: NodeJS.Signals) => void>();
/** Cleanups with their stage: stage 0 runs first (temporaries, locks), stage 1 after it (empty folders). */
const cleanups = new Map<() => void, number>();
let stopping: { signal: NodeJS.Signals; stopped: Promise<never> } | null = null;
let installed = false;

/** The failure of work cut short by a signal (worker threads stopped); never shown to the user. */
export class StoppedError extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`stopped by ${signal}`);
    this.name = 'StoppedError';
  }
}

export interface SignalHandling {
  /** Told once, as stopping begins (e.g. to print a line). */
  onSignal?(signal: NodeJS.Signals): void;
  /** Ends the process; default process.exit. */
  exit?(code: number): never;
}

/** Handles SIGINT, SIGTERM and SIGHUP for this process from now on (once; later calls do nothing). */
export function installSignalHandlers(handling: SignalHandling = {}): void {
  if (installed) return;
  installed = true;
  const exit = handling.exit ?? ((code: number) => process.exit(code));
  for (const signal of SIGNAL_EXIT_CODES.keys()) {
    process.on(signal, () => {
      if (stopping !== null) {
        // Ctrl-C reaches a whole process group, and `analyse run` passes signals on too: a
        // repeat does not cut the cleanup short; listeners may escalate (run kills its action).
        for (const listener of repeatListeners) listener(signal);
        return;
      }
      handling.onSignal?.(signal);
      stopping = { signal, stopped: stop(signal, exit) };
    });
  }
}

async function stop(signal: NodeJS.Signals, exit: (code: number) => never): Promise<never> {
  await Promise.allSettled([...stopHooks].map(async (hook) => hook(signal)));
  // A temporary file or folder whose creation is still under way would appear after the cleanups.
  await Promise.allSettled([...creating]);
  runCleanups();
  return exit(SIGNAL_EXIT_CODES.get(signal)!);
}

/** Creations of files and folders under way (asynchronous open or mkdir), which a stop waits for. */
const creating = new Set<Promise<void>>();

/**
 * Marks an asynchronous call that creates a file or folder the cleanups remove (a temporary, an
 * output folder): a stop waits until it has settled, so nothing it makes appears after them.
 */
export function creation<T>(operation: Promise<T>): Promise<T> {
  const settled = operation.then(
    () => {},
    () => {},
  );
  creating.add(settled);
  void settled.then(() => creating.delete(settled));
  return operation;
}

/** Registers a hook run when a signal arrives; returns its removal. */
export function onStop(hook: StopHook): () => void {
  stopHooks.add(hook);
  return () => void stopHooks.delete(hook);
}

/** Registers a listener for signals arriving while the command is already stopping. */
export function onRepeatedSignal(listener: (signal: NodeJS.Signals) => void): () => void {
  repeatListeners.add(listener);
  return () => void repeatListeners.delete(listener);
}

/**
 * Registers a synchronous cleanup (remove temporaries, release locks), run when the command is
 * stopped or fails; those of stage 1 run after every one of stage 0. Returns its removal.
 */
export function onCleanup(cleanup: () => void, stage: 0 | 1 = 0): () => void {
  cleanups.set(cleanup, stage);
  return () => void cleanups.delete(cleanup);
}

/** Runs every registered cleanup, by stage; one that fails does not keep the others from running. */
export function runCleanups(): void {
  const ordered = [...cleanups].sort((a, b) => a[1] - b[1]).map(([cleanup]) => cleanup);
  for (const cleanup of ordered) {
    try {
      cleanup();
    } catch {
      /* best effort: the process is ending */
    }
  }
}

/** The signal being handled, or null. */
export function stopSignal(): NodeJS.Signals | null {
  return stopping?.signal ?? null;
}

/** When stopping: a promise that never settles (the process exits once cleanup is done); else null. */
export function whenStopped(): Promise<never> | null {
  return stopping?.stopped ?? null;
}
