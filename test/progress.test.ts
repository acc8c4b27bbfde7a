import { describe, expect, it } from 'vitest';
import { createProgress, formatCount, formatDuration } from '../src/progress.js';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: () => string } {
  let text = '';
  const stream = { isTTY, write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WriteStream;
  return { stream, written: () => text };
}

describe('createProgress', () => {
  it('draws files done and rows per second on a terminal, then clears the line', () => {
    const { stream, written } = fakeStream(true);
    const progress = createProgress({ label: 'join-ethnicity', totalFiles: 2, stream, interval: 0 });
    progress.update(1500, 1);
    progress.update(3000, 2);
    progress.stop();
    expect(written()).toMatch(/join-ethnicity: 1\/2 files, 1,500 rows, [\d,]+ rows\/s/);
    expect(written()).toMatch(/2\/2 files, 3,000 rows/);
    expect(written().endsWith('\r\x1b[K')).toBe(true);
  });

  it('stays silent when stderr is not a terminal (logs, pipelines)', () => {
    const { stream, written } = fakeStream(false);
    const progress = createProgress({ label: 'x', totalFiles: 1, stream, interval: 0 });
    progress.update(10, 1);
    progress.stop();
    expect(written()).toBe('');
  });
});

describe('formatCount and formatDuration', () => {
  it('group thousands and pick a unit', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect([0, 7, 999, 1000, 999.5, 12345.4, -1234, 2 ** 53 - 1].map(formatCount)).toEqual(['0', '7', '999', '1,000', '1,000', '12,345', '-1,234', '9,007,199,254,740,991']);
    expect(formatDuration(450.4)).toBe('450 ms');
    expect(formatDuration(1234)).toBe('1.23 s');
  });
});
