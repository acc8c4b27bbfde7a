import { describe, expect, it } from 'vitest';
import { creation, installSignalHandlers, onCleanup, onStop } from '../../src/io/interrupt.js';

describe('installSignalHandlers: stopping on a signal', () => {
  it('stops what runs, waits for files and folders still being created, then cleans up and exits 143', async () => {
    const events: string[] = [];
    let exited: (code: number) => void = () => {};
    const exit = new Promise<number>((resolve) => (exited = resolve));
    installSignalHandlers({ exit: ((code: number) => exited(code)) as (code: number) => never });
    let finishOpen: () => void = () => {};
    // A temporary file whose open is still under way when the signal comes.
    void creation(new Promise<void>((resolve) => (finishOpen = resolve))).then(() => events.push('temporary created'));
    onStop(() => void events.push('workers stopped'));
    onCleanup(() => void events.push('temporaries removed'));

    process.emit('SIGTERM', 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Without waiting for the open, the cleanup would run now and the file would appear after it.
    expect(events).toEqual(['workers stopped']);
    finishOpen();
    expect(await exit).toBe(143);
    expect(events).toEqual(['workers stopped', 'temporary created', 'temporaries removed']);
  });
});
