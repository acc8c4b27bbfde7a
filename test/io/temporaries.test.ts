import { describe, expect, it } from 'vitest';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { OWNER_TAG } from '../../src/io/owner.js';
import { STALE_AFTER_MS, removeStaleTemporaries, temporaryName } from '../../src/io/temporaries.js';
import { deadPid, listFiles, tempDir } from '../helpers.js';

const OTHER_TAG = OWNER_TAG === '00000000' ? '11111111' : '00000000';

function age(path: string, ms: number): void {
  const then = new Date(Date.now() - ms);
  utimesSync(path, then, then);
}

describe('temporaryName(target)', () => {
  it('is hidden, in the target folder, and names this machine, pid namespace and process', () => {
    expect(temporaryName('/data/out/measure_a.csv')).toMatch(new RegExp(`^/data/out/\\.measure_a\\.csv\\.${OWNER_TAG}-${process.pid}\\.[0-9a-f]{8}\\.analyse-tmp$`));
  });
});

describe('removeStaleTemporaries(dir)', () => {
  it('removes those of a dead process of this machine and pid namespace at once', async () => {
    const dir = tempDir({ [`.a.csv.${OWNER_TAG}-${deadPid()}.abcd1234.analyse-tmp`]: 'half', 'a.csv': 'kept' });
    await removeStaleTemporaries(dir);
    expect(listFiles(dir)).toEqual(['a.csv']);
  });

  it('keeps those of a live process, this one included (its worker threads share its pid)', async () => {
    const live = `.a.csv.${OWNER_TAG}-${process.pid}.abcd1234.analyse-tmp`;
    const parent = `.b.csv.${OWNER_TAG}-${process.ppid}.abcd1234.analyse-tmp`;
    const dir = tempDir({ [live]: 'being written', [parent]: 'being written' });
    age(join(dir, live), 2 * STALE_AFTER_MS);
    await removeStaleTemporaries(dir);
    expect(listFiles(dir)).toEqual([live, parent].sort());
  });

  it('keeps a recent one of another machine or pid namespace, whose pid means nothing here, and removes it once untouched for long', async () => {
    // A pid that is dead here may be a live process in another container sharing the folder.
    const foreign = `.a.csv.${OTHER_TAG}-${deadPid()}.abcd1234.analyse-tmp`;
    const older = '.b.csv.12345.abcd1234.analyse-tmp';
    const dir = tempDir({ [foreign]: 'being written', [older]: 'an older version named temporaries so' });
    await removeStaleTemporaries(dir);
    expect(listFiles(dir)).toEqual([older, foreign].sort());
    age(join(dir, foreign), STALE_AFTER_MS + 60_000);
    age(join(dir, older), STALE_AFTER_MS + 60_000);
    await removeStaleTemporaries(dir);
    expect(listFiles(dir)).toEqual([]);
  });

  it('looks only at temporaries of the targets named by a prefix, and at nothing else', async () => {
    const dead = deadPid();
    const dir = tempDir({ [`.a.csv.${OWNER_TAG}-${dead}.1.analyse-tmp`]: '', [`.b.csv.${OWNER_TAG}-${dead}.1.analyse-tmp`]: '', '.hidden': '', 'x.analyse-tmp': '' });
    await removeStaleTemporaries(dir, '.a.csv.');
    expect(listFiles(dir)).toEqual(['.b.csv.' + `${OWNER_TAG}-${dead}.1.analyse-tmp`, '.hidden', 'x.analyse-tmp'].sort());
  });
});
