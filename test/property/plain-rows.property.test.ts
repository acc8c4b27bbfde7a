// Property: the compiled readers' plain-row way (delimiters listed from masks of 64-byte blocks,
// native/rows.h) reads what the JavaScript reader reads, or gives up, on hostile files: rows that
// start at every offset of a block (a first row of any length), rows longer than a block, a line
// feed at a block's last byte, CRLF, lone CRs, a CR at the buffer's end, blank lines, rows of one
// field more or less, quotes anywhere (in a wanted or unwanted field, at a row's start, in the
// middle of a cell), NUL bytes and one-byte values quoted and not; files of 1 to 5 columns and of
// 958 to 960 and 1,100 (where the list of delimiters moves from the stack to the heap); cut into
// chunks of 1 to 200 bytes (63, 64, 65, 127, 128, 129 among them) over work buffers of 16 to 4,096
// bytes, and read as byte ranges (a start and a limit anywhere). Measures' count path, describe's
// profile path and join-ethnicity's path each.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BlockGaveUp, CsvReader } from '../../src/csv/reader.js';
import { ByteBuffer } from '../../src/csv/byte-buffer.js';
import { compiledPaths } from '../../src/csv/compiled.js';
import { checkDefinitions, type MeasureDefinition } from '../../src/measures/definitions.js';
import { planMeasures } from '../../src/measures/plan.js';
import { CountRows } from '../../src/measures/count-rows.js';
import { FileCounter } from '../../src/measures/file-counter.js';
import { createFileProfiler } from '../../src/describe/profile-file.js';
import { KeyIndexWriter, type KeyIndexData } from '../../src/join/key-index.js';
import { NativeJoiner } from '../../src/join/native-joiner.js';
import { joinedByReader } from '../join/joined-by-reader.js';

/** `bytes` cut at these points (any, repeated or past the end). */
function cutAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  return [...points, bytes.length].map((point, i) => bytes.subarray(i === 0 ? 0 : points[i - 1], point));
}

function chunksOf(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

const CELL = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('0', '1', '1', '', 'A', 'b') },
  { weight: 3, arbitrary: fc.constantFrom('"1"', '""', '"A"', '"a,b"', '"x\ny"', '"x\r\ny"', '"q""q"', '""""') },
  { weight: 2, arbitrary: fc.constantFrom('x"y', '"', 'a\rb', '\r', '\0', 'a\0', 'é', '12', 'abcdefg') },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', '1', ' '), minLength: 1, maxLength: 140 }) },
);
const EOL = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('\n', '\r\n') }, { weight: 1, arbitrary: fc.constantFrom('\n\n', '\r\n\r\n', '\r', '\n\r\n', '\r\r\n') });

interface File {
  columns: number;
  bytes: Buffer;
}

/** A file of `columns` columns: a first row padded to any length, then rows of any cells, some of a field more or less. */
function fileOf(columns: number) {
  return fc
    .record({
      pad: fc.nat({ max: 130 }),
      rows: fc.array(fc.tuple(fc.array(CELL, { minLength: 1, maxLength: 6 }), fc.constantFrom(0, 0, 0, 0, 0, 0, 1, -1), EOL), { maxLength: 14 }),
      lastEol: fc.boolean(),
    })
    .map(({ pad, rows, lastEol }): File => {
      const names = Array.from({ length: columns }, (_, i) => `c${i}`);
      const lines = [names.join(','), Array.from({ length: columns }, (_, i) => (i === columns - 1 ? 'p'.repeat(pad) : '1')).join(',') + '\n'];
      rows.forEach(([cells, more, eol], r) => {
        const n = Math.max(1, columns + more);
        const row = Array.from({ length: n }, (_, i) => cells[(i + r) % cells.length]!);
        lines.push(row.join(',') + (r === rows.length - 1 && !lastEol ? '' : eol));
      });
      return { columns, bytes: Buffer.from(lines[0] + '\n' + lines.slice(1).join('')) };
    });
}

const COLUMNS = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(958, 959, 960, 1100) });
const FILE = COLUMNS.chain(fileOf);
const CHUNKING = fc.record({
  size: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.constantFrom(63, 64, 65, 127, 128, 129)),
  workSize: fc.constantFrom(16, 64, 100, 4096),
});

type Outcome<T> = { value: T } | { error: string } | 'gave up';

function attempt<T>(read: () => T): Outcome<T> {
  try {
    return { value: read() };
  } catch (error) {
    if (error instanceof BlockGaveUp) return 'gave up';
    return { error: (error as Error).message };
  }
}

/** Numerator the first column; grouped by the last (its CR) and by a middle one. */
function measuresOf(columns: number): MeasureDefinition[] {
  const last = `c${columns - 1}`;
  const middle = `c${Math.floor(columns / 2)}`;
  return checkDefinitions(
    {
      disclosure_control: 'none',
      measures: [
        { id: 'all', numerator: 'c0', denominator: 'population' },
        ...(columns > 1 ? [{ id: 'by_last', numerator: 'c0', denominator: 'population', group_by: [last] }] : []),
        ...(columns > 2 ? [{ id: 'by_both', numerator: 'c0', denominator: 'population', group_by: [middle, last] }] : []),
      ],
    },
    'defs.json',
  ).measures;
}

interface Range {
  from: number;
  limit: number;
}

function counted(file: File, chunks: readonly Buffer[], native: boolean, workSize: number, range: Range | null) {
  const measures = measuresOf(file.columns);
  const plan = planMeasures(measures);
  const rows = new CountRows('p.csv', measures, plan, new FileCounter(plan, 'p.csv'), native);
  const reader = new CsvReader('p.csv', rows, workSize);
  try {
    if (range !== null) {
      const header = file.bytes.subarray(0, file.bytes.indexOf(10) + 1);
      reader.push(header);
      reader.skipTo(range.from);
      reader.stopBefore(range.limit);
    }
    for (const chunk of chunks) if (!reader.push(chunk)) break;
    reader.end();
    const counts = rows.result();
    // Groups by value: their order is not part of the contract.
    const sums = new Map<string, number[]>();
    measures.forEach((measure, m) => {
      const g = plan.measures[m]!.grouping;
      counts.groups[g]!.forEach((values, i) => sums.set(`${measure.id} ${JSON.stringify(values)}`, [counts.sums[m]!.numerators[i]!, counts.sums[m]!.denominators[i]!]));
    });
    return { rows: counts.rows, sums, stoppedBefore: reader.stoppedBefore };
  } finally {
    reader.release();
  }
}

function profiledBy(chunks: readonly Buffer[], native: boolean, workSize: number) {
  const profiler = createFileProfiler({ path: 'p.csv', types: new Map(), excluded: [] }, native);
  const reader = new CsvReader('p.csv', profiler.handlers, workSize);
  try {
    for (const chunk of chunks) reader.push(chunk);
    return profiler.finish(reader.end().rows);
  } finally {
    reader.release();
  }
}

const SUFFIXES = [Buffer.from(',A'), Buffer.from(',B'), Buffer.from(',')];
const KEYS = Array.from({ length: 20 }, (_, i) => i);
function keyIndex(): KeyIndexData {
  const writer = new KeyIndexWriter({ integerKeys: KEYS.length, minInteger: 0, maxInteger: KEYS.length - 1, valueCount: 2 });
  KEYS.forEach((key) => writer.addInteger(key, key % 2));
  return writer.build().shareable;
}

/** The JavaScript reader's join (see joinedByReader): keys of KEYS alternate between the first two suffixes. */
function joinedByJavaScript(bytes: Buffer): Buffer {
  return joinedByReader(bytes, SUFFIXES, (key) => (key >= 0 && key < KEYS.length ? key % 2 : -1));
}

/** The compiled join, or null where it does not take the file (a file of one column: join-ethnicity reads it in JavaScript). */
function joinedNatively(chunks: readonly Buffer[], index: KeyIndexData, workSize: number): Buffer | null {
  const out = new ByteBuffer(16);
  let taken = true;
  const reader = new CsvReader(
    'c.csv',
    {
      header(names, _row, _bom, control) {
        control.readOnly([0]);
        const joiner = NativeJoiner.create(names.length, 0, index, SUFFIXES, () => out);
        if (joiner === null) {
          taken = false;
          control.stop();
        } else control.readBlocks(joiner);
      },
      row() {
        throw new Error('a row came to the JavaScript handler');
      },
    },
    workSize,
  );
  try {
    for (const chunk of chunks) reader.push(chunk);
    reader.end();
  } finally {
    reader.release();
  }
  return taken ? Buffer.from(out.bytes()) : null;
}

describe.skipIf(compiledPaths() === null)('the compiled plain-row reading against the JavaScript reader (property)', () => {
  it('counts hostile files as the JavaScript count path does, or gives up, cut anywhere around 64-byte blocks', () => {
    const reached = { compiled: 0 };
    fc.assert(
      fc.property(FILE, CHUNKING, fc.array(fc.nat(), { maxLength: 4 }), fc.boolean(), (file, { size, workSize }, cuts, bySize) => {
        const chunks = bySize ? chunksOf(file.bytes, size) : cutAt(file.bytes, cuts);
        const compiled = attempt(() => counted(file, chunks, true, workSize, null));
        if (compiled === 'gave up') return;
        reached.compiled++;
        expect(compiled).toEqual(attempt(() => counted(file, chunks, false, workSize, null)));
      }),
      { numRuns: 2500 },
    );
    expect(reached.compiled).toBeGreaterThan(500);
  });

  it('counts byte ranges of hostile files as the JavaScript count path does: a start and a limit anywhere', () => {
    const reached = { compiled: 0 };
    fc.assert(
      fc.property(FILE, CHUNKING, fc.nat(), fc.nat(), (file, { size, workSize }, skipAt, limitAt) => {
        const headerLength = file.bytes.indexOf(10) + 1;
        const body = file.bytes.length - headerLength;
        const from = headerLength + (skipAt % (body + 1));
        const range = { from, limit: limitAt % (file.bytes.length + 2) };
        const chunks = chunksOf(file.bytes.subarray(from), size);
        const compiled = attempt(() => counted(file, chunks, true, workSize, range));
        if (compiled === 'gave up') return;
        const javascript = attempt(() => counted(file, chunks, false, workSize, range));
        // As in native-paths.property.test.ts: the JavaScript path reads the row at the limit and may
        // find it malformed (the range began inside a quoted field); the compiled one stops before it.
        if (javascript !== 'gave up' && 'error' in javascript && 'value' in compiled && compiled.value.stoppedBefore >= 0) return;
        reached.compiled++;
        expect(compiled).toEqual(javascript);
      }),
      { numRuns: 2500 },
    );
    expect(reached.compiled).toBeGreaterThan(500);
  });

  it('profiles hostile files as the JavaScript profile path does, or gives up: one-byte values quoted and not kept apart as it keeps them', () => {
    const reached = { compiled: 0 };
    fc.assert(
      fc.property(FILE, CHUNKING, (file, { size, workSize }) => {
        const chunks = chunksOf(file.bytes, size);
        const compiled = attempt(() => profiledBy(chunks, true, workSize));
        if (compiled === 'gave up') return;
        reached.compiled++;
        expect(compiled).toEqual(attempt(() => profiledBy(chunks, false, workSize)));
      }),
      { numRuns: 1500 },
    );
    expect(reached.compiled).toBeGreaterThan(300);
  });

  it('joins hostile files as the JavaScript reader reads them, or gives up', () => {
    const index = keyIndex();
    const reached = { compiled: 0 };
    fc.assert(
      fc.property(FILE, CHUNKING, (file, { size, workSize }) => {
        const chunks = chunksOf(file.bytes, size);
        const compiled = attempt(() => joinedNatively(chunks, index, workSize));
        if (compiled === 'gave up' || ('value' in compiled && compiled.value === null)) return;
        const javascript = attempt(() => joinedByJavaScript(file.bytes));
        if ('error' in compiled || javascript === 'gave up' || 'error' in javascript) {
          expect(compiled).toEqual(javascript);
          return;
        }
        reached.compiled++;
        expect(compiled.value?.toString('latin1')).toBe(javascript.value.toString('latin1'));
      }),
      { numRuns: 2500 },
    );
    expect(reached.compiled).toBeGreaterThan(150);
  });
});

describe.skipIf(compiledPaths() === null)('the compiled plain-row reading at every offset of a block', () => {
  it('counts, profiles and joins rows of 63, 64 and 65 bytes after a first row of every length, whole and in chunks of 63 to 65 bytes', () => {
    const index = keyIndex();
    let compiledCounts = 0;
    for (let pad = 0; pad <= 130; pad++) {
      for (const eol of ['\n', '\r\n']) {
        // Each row is `1,<group>` + eol, of 63, 64 and 65 bytes in turn: line feeds at every bit of a block, 0 and 63 among them.
        const rows = [61, 62, 63, 61, 62, 63, 62].map((length, r) => `${r % 2},${String.fromCharCode(65 + r).repeat(length - 2 - eol.length + 1)}${eol}`);
        const bytes = Buffer.from(`c0,c1\n1,${'p'.repeat(pad)}\n${rows.join('')}`);
        const file = { columns: 2, bytes };
        for (const chunks of [[bytes], chunksOf(bytes, 63), chunksOf(bytes, 64), chunksOf(bytes, 65)]) {
          const compiled = attempt(() => counted(file, chunks, true, 64, null));
          expect(compiled).not.toBe('gave up');
          compiledCounts++;
          expect(compiled).toEqual(attempt(() => counted(file, chunks, false, 64, null)));
          expect(attempt(() => profiledBy(chunks, true, 64))).toEqual(attempt(() => profiledBy(chunks, false, 64)));
          expect(attempt(() => joinedNatively(chunks, index, 64))).toEqual(attempt(() => joinedByJavaScript(bytes)));
        }
      }
    }
    expect(compiledCounts).toBe(131 * 2 * 4);
  });

  it('reads rows of about 1 MiB as the JavaScript reader does: just under the longest row taken, and just over it', () => {
    for (const length of [(1 << 20) - 100, (1 << 20) + 100]) {
      const bytes = Buffer.from(`c0,c1\n1,${'x'.repeat(length)}\n0,y\n`);
      const file = { columns: 2, bytes };
      for (const chunks of [[bytes], chunksOf(bytes, 65536)]) {
        const compiled = attempt(() => counted(file, chunks, true, 4096, null));
        if (compiled !== 'gave up') expect(compiled).toEqual(attempt(() => counted(file, chunks, false, 4096, null)));
      }
    }
  });
});
