// `analyse run` stopped by a signal (Ctrl-C, SIGTERM): the signal is passed on to the running
// action, which is waited for and recorded as killed (in its log and metadata/manifest.json);
// no further action starts; then the process exits 130 or 143. A second signal kills the action
// outright (SIGKILL), for an action that does not stop.

import type { ChildProcess } from 'node:child_process';
import { onRepeatedSignal, onStop } from '../io/interrupt.js';
import { signalAction } from './execute.js';

export class RunStopper {
  private child: ChildProcess | null = null;
  private signal: NodeJS.Signals | null = null;
  private release!: () => void;
  private readonly finished = new Promise<void>((resolve) => (this.release = resolve));
  private readonly forget: Array<() => void>;

  constructor() {
    this.forget = [
      onStop(async (signal) => {
        this.signal = signal;
        if (this.child !== null) signalAction(this.child, signal);
        await this.finished;
        // Let the caller print its summary (synchronously, after its await) before the process exits.
        await new Promise((resolve) => setImmediate(resolve));
      }),
      onRepeatedSignal(() => (this.child === null ? undefined : signalAction(this.child, 'SIGKILL'))),
    ];
  }

  /** The signal `analyse run` was stopped by, or null. */
  get stoppedBy(): NodeJS.Signals | null {
    return this.signal;
  }

  /** The action now running (null between actions); a signal that came first is passed on at once. */
  running(child: ChildProcess | null): void {
    this.child = child;
    if (child !== null && this.signal !== null) signalAction(child, this.signal);
  }

  /** The run has recorded everything: stopping may go on. */
  finish(): void {
    for (const forget of this.forget) forget();
    this.release();
  }
}
