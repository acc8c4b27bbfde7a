// What no CSV tool can beat: reading the bytes, and copying them with a sync to disk per file.

import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

function filesOf(glob) {
  const dir = dirname(glob);
  const pattern = new RegExp(`^${basename(glob).replaceAll('.', '\\.').replaceAll('*', '.*')}$`);
  return readdirSync(dir).filter((n) => pattern.test(n)).sort().map((n) => join(dir, n));
}

/** fs.readFile of every file in turn, doing nothing with the bytes. */
export async function plainRead({ cohort }) {
  let bytes = 0;
  for (const file of filesOf(cohort)) bytes += (await readFile(file)).length;
  return { rows: 0, bytes };
}

/** Every file read whole, written to `outputDir` and synced to disk, one after another. */
export async function plainCopy({ cohort, outputDir }) {
  mkdirSync(outputDir, { recursive: true });
  let bytes = 0;
  for (const file of filesOf(cohort)) {
    const content = await readFile(file);
    const fd = openSync(join(outputDir, basename(file)), 'w');
    for (let offset = 0; offset < content.length; ) offset += writeSync(fd, content, offset);
    fsyncSync(fd);
    closeSync(fd);
    bytes += content.length;
  }
  return { rows: 0, bytes };
}
