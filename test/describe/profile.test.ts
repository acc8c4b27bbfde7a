import { describe, expect, it } from 'vitest';
import { BlockGaveUp, CsvReader } from '../../src/csv/reader.js';
import { compiledPaths } from '../../src/csv/compiled.js';
import { createFileProfiler, type FileProfile } from '../../src/describe/profile-file.js';
import { NumericAccumulator, MAX_EXACT_VALUES } from '../../src/describe/numeric-accumulator.js';
import { nearestRank } from '../../src/describe/quartiles.js';
import { RELATIVE_ACCURACY, ValueSketch } from '../../src/describe/value-sketch.js';
import { MAX_TRACKED_LEVELS } from '../../src/describe/column-types.js';
import { inferType } from '../../src/describe/variable-plan.js';
import { releasedCount, releasedPercent } from '../../src/release/statistics.js';
import { roundCount } from '../../src/release/rules.js';
import { UserError } from '../../src/errors.js';
import { CHUNKINGS, chunksOf, invalidCases, validCases } from '../csv/corpus.js';
import type { ConfiguredType } from '../../src/describe/column-types.js';

/** The profile paths: `native` is the compiled one where it is built (read again by the JavaScript one where it gives up). */
const PATHS = ['javascript', 'native'] as const;
type ProfilePath = (typeof PATHS)[number];
/** How many times the compiled path gave up so far. */
let givenUp = 0;

function profileWith(chunks: Buffer[], types: Record<string, ConfiguredType>, native: boolean): FileProfile {
  const profiler = createFileProfiler({ path: 'c.csv', types: new Map(Object.entries(types)), excluded: ['patient_id'] }, native);
  const reader = new CsvReader('c.csv', profiler.handlers);
  for (const chunk of chunks) reader.push(chunk);
  return profiler.finish(reader.end().rows);
}

function profileBy(path: ProfilePath, csv: string, chunks: Buffer[] = [Buffer.from(csv)], types: Record<string, ConfiguredType> = {}): FileProfile {
  if (path === 'native') {
    try {
      return profileWith(chunks, types, true);
    } catch (error) {
      if (!(error instanceof BlockGaveUp)) throw error;
      givenUp++;
    }
  }
  return profileWith(chunks, types, false);
}

const profile = (csv: string, chunks?: Buffer[], types?: Record<string, ConfiguredType>) => profileBy('javascript', csv, chunks, types);

const EDGE_CSV =
  'patient_id,sex,code,when,score,note\r\n' +
  '1,F,"7",2020-01,1.5,"a, b"\r\n' +
  '2,"",0012,2020-02-03,-2,"multi\r\nline"\r\n' +
  '3,M,,2021-12,1e3,""""\r\n' +
  '4,F,abcdefg,,,\r\n';

describe.each(PATHS)('createFileProfiler, %s path', (path) => {
  const profile = (csv: string, chunks?: Buffer[], types?: Record<string, ConfiguredType>) => profileBy(path, csv, chunks, types);
  /** The compiled path reads a valid file of several columns itself. */
  const readItself = <T>(read: () => T): T => {
    const before = givenUp;
    const result = read();
    if (path === 'native' && compiledPaths() !== null) expect(givenUp).toBe(before);
    return result;
  };

  for (const { label, split } of CHUNKINGS) {
    it(`profiles quoted, empty and long values the same way in ${label}`, () => {
      expect(readItself(() => profile(EDGE_CSV, split(EDGE_CSV)))).toEqual(profileBy('javascript', EDGE_CSV));
    });
  }

  it('counts missing and present values, merging quoted and unquoted spellings of one value', () => {
    const { rows, columns } = readItself(() => profile(EDGE_CSV));
    expect(rows).toBe(4);
    const byName = Object.fromEntries(columns.map((c) => [c.name, c]));
    expect(Object.keys(byName)).toEqual(['sex', 'code', 'when', 'score', 'note']);
    expect(byName.sex).toMatchObject({ present: 3, missing: 1, levels: [['F', 2], ['M', 1]], numeric: null, years: null });
    expect(byName.code).toMatchObject({ present: 3, missing: 1, numeric: null });
    expect(byName.when).toMatchObject({ present: 3, missing: 1, numeric: null, years: [[2020, 2], [2021, 1]] });
    expect(byName.score!.numeric).toMatchObject({ count: 3, exact: true, distribution: [[-2, 1], [1.5, 1], [1000, 1]] });
    expect(byName.note!.levels).toEqual([['a, b', 1], ['multi\r\nline', 1], ['"', 1]]);
  });

  it('stops listing values past MAX_TRACKED_LEVELS, keeping numeric statistics exactly', () => {
    const n = MAX_TRACKED_LEVELS * 3;
    const csv = `patient_id,age,code\n${Array.from({ length: n }, (_, i) => `${i},${i % 1500},X${i}`).join('\n')}\n`;
    const { columns } = readItself(() => profile(csv));
    expect(columns).toEqual(profileBy('javascript', csv).columns);
    const [age, code] = columns;
    expect(age!.levels).toBeNull();
    expect(age!.numeric!.exact).toBe(true);
    expect(age!.numeric!.count).toBe(n);
    expect(age!.numeric!.distribution).toHaveLength(1500);
    expect(age!.numeric!.mean).toBeCloseTo(749.5, 9);
    expect(code).toMatchObject({ present: n, levels: null, numeric: null, years: null });
    expect(inferType([age!])).toBe('numeric');
    expect(inferType([code!])).toBe('text');
  });

  it('rejects more distinct values than it can list in a column configured categorical, naming the line', () => {
    const csv = `patient_id,code\n${Array.from({ length: MAX_TRACKED_LEVELS + 5 }, (_, i) => `${i},X${i}`).join('\n')}\n`;
    expect(() => profile(csv, undefined, { code: 'categorical' })).toThrow(UserError);
    expect(() => profile(csv, undefined, { code: 'categorical' })).toThrow(`c.csv, line ${MAX_TRACKED_LEVELS + 2}, column "code": more than ${MAX_TRACKED_LEVELS}`);
  });

  it('counts a one-byte value and the same byte quoted as two of the values it can list, as the JavaScript path does', () => {
    // The JavaScript path keys a short unquoted value apart from the same text quoted (the levels
    // merge them afterwards), so 1 and "1" after 999 other values pass MAX_TRACKED_LEVELS. The
    // compiled path's table of one-byte values must keep them apart too (it then hands the column
    // over, and the JavaScript path reports it); merged, it read the file without an error.
    const csv = `patient_id,code\n${Array.from({ length: MAX_TRACKED_LEVELS - 1 }, (_, i) => `${i},X${i}`).join('\n')}\na,1\nb,"1"\n`;
    const message = `c.csv, line ${MAX_TRACKED_LEVELS + 2}, column "code": more than ${MAX_TRACKED_LEVELS}`;
    expect(() => profile(csv, undefined, { code: 'categorical' })).toThrow(message);
    expect(() => profile(csv, chunksOf(csv, 64), { code: 'categorical' })).toThrow(message);
  });

  it('rejects a cell that is not UTF-8, short or long, naming line and column, rather than merge it with another value', () => {
    const latin1 = (text: string) => [Buffer.from(text, 'latin1')];
    // Read as UTF-8 with replacement, café and cafè would both be "caf\ufffd": one level.
    expect(() => profile('', latin1('patient_id,place\n1,caf\xe9\n2,caf\xe8\n'))).toThrow(
      'c.csv, line 2: the cell in column "place" is not valid UTF-8 text: "caf\\xE9"; save the file with UTF-8 encoding',
    );
    expect(() => profile('', latin1('patient_id,place\n1,Bogota\n2,"Bogot\xe1, D.C."\n'))).toThrow('c.csv, line 3: the cell in column "place" is not valid UTF-8 text: "Bogot\\xE1, D.C."');
  });

  it('rejects a header naming one column twice', () => {
    expect(() => profile('patient_id,a,a\n1,2,3\n')).toThrow('c.csv, line 1: the column "a" appears more than once');
  });
});

describe('inferType', () => {
  const column = (values: string[]) => profile(`patient_id,x\n${values.map((v, i) => `${i},${v}`).join('\n')}\n`).columns[0]!;
  it('calls 0/1 a flag, YYYY-MM[-DD] a date, numbers numeric, few strings categorical, many text', () => {
    expect(inferType([column(['0', '1', '', '1'])])).toBe('flag');
    expect(inferType([column(['0', '0'])])).toBe('flag');
    expect(inferType([column(['2020-01', '2020-02-29', ''])])).toBe('date');
    expect(inferType([column(['1', '2.5', '-3', '1e2'])])).toBe('numeric');
    expect(inferType([column(['65-74', '0', '90+'])])).toBe('categorical');
    expect(inferType([column(Array.from({ length: 51 }, (_, i) => `v${i}`))])).toBe('text');
    expect(inferType([column(['', ''])])).toBe('text');
  });
  it('calls whole numbers with at most 12 distinct values (not only 0 and 1) categorical: codes, never a mean', () => {
    expect(inferType([column(['1', '2', '3', '4', '5', ''])])).toBe('categorical');
    expect(inferType([column(Array.from({ length: 12 }, (_, i) => String(i)))])).toBe('categorical');
    expect(inferType([column(Array.from({ length: 13 }, (_, i) => String(i)))])).toBe('numeric');
    expect(inferType([column(['1', '2', '2.5'])])).toBe('numeric');
  });
  it('decides over all files: a flag in one month and a 2 in another is a code; 13 values over two months are numeric', () => {
    expect(inferType([column(['0', '1']), column(['2', '0'])])).toBe('categorical');
    expect(inferType([column(['0', '1', '2', '3', '4', '5', '6']), column(['7', '8', '9', '10', '11', '12'])])).toBe('numeric');
    expect(inferType([column(['2020-01']), column(['x'])])).toBe('categorical');
  });
});

describe('NumericAccumulator and ValueSketch', () => {
  it('keeps exact counts for few distinct values and a bounded sketch past MAX_EXACT_VALUES, quartiles within 1%', () => {
    const accumulator = new NumericAccumulator();
    const values: number[] = [];
    let seed = 7;
    for (let i = 0; i < 60_000; i++) {
      seed = (seed * 16807) % 2147483647;
      const value = 1 + (seed / 2147483647) * 999; // continuous, 1 to 1000
      values.push(value);
      accumulator.add(value);
    }
    const data = accumulator.toData();
    expect(data.exact).toBe(false);
    expect(data.distribution.length).toBeLessThan(MAX_EXACT_VALUES / 10);
    values.sort((a, b) => a - b);
    for (const q of [0.25, 0.5, 0.75]) {
      const truth = values[Math.ceil(q * values.length) - 1]!;
      const found = nearestRank(data.distribution, q)!;
      expect(Math.abs(found.value - truth) / truth).toBeLessThanOrEqual(RELATIVE_ACCURACY + 1e-9);
    }
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(data.mean).toBeCloseTo(mean, 6);
    expect(Math.sqrt(data.m2 / (data.count - 1))).toBeCloseTo(Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)), 6);
  });

  it('orders negative values, zero and positive values in the sketch', () => {
    const sketch = new ValueSketch();
    for (const v of [5, -5, 0, -100, 1e-12]) sketch.add(v);
    const values = sketch.distribution().map(([v]) => v);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(sketch.distribution().find(([v]) => v === 0)).toEqual([0, 2]);
  });
});

describe('nearestRank', () => {
  it('returns the value of the ceil(q*n)-th smallest and how many share it', () => {
    const distribution: Array<[number, number]> = [[1, 2], [2, 1], [3, 1]];
    expect(nearestRank(distribution, 0.25)).toEqual({ value: 1, shared: 2 });
    expect(nearestRank(distribution, 0.5)).toEqual({ value: 1, shared: 2 });
    expect(nearestRank(distribution, 0.75)).toEqual({ value: 2, shared: 1 });
    expect(nearestRank([], 0.5)).toBeNull();
  });
});

describe('disclosure rules', () => {
  it('rounds counts as the measures "round" rule: 7 or less to 0, then to the nearest 5', () => {
    expect([0, 1, 7, 8, 10, 12, 13, 17, 18, 1002].map(roundCount)).toEqual([0, 0, 0, 10, 10, 10, 15, 15, 20, 1000]);
    expect([0, 5, 7, 8].map(releasedCount)).toEqual([null, null, null, 10]);
  });
  it('computes percentages from released counts, blank when either is suppressed', () => {
    expect(releasedPercent(10, 30)).toBe('33.3');
    expect(releasedPercent(null, 30)).toBeNull();
    expect(releasedPercent(10, null)).toBeNull();
  });
});

describe('the compiled profile path over the CSV edge-case corpus', () => {
  for (const { label, split } of CHUNKINGS) {
    for (const testCase of validCases) {
      it(`profiles ${testCase.name} as the JavaScript path does, in ${label}`, () => {
        // Every column described: the patient key is excluded, and the corpus has none.
        const before = givenUp;
        expect(profileBy('native', '', split(testCase.csv))).toEqual(profileBy('javascript', '', [Buffer.from(testCase.csv)]));
        if (compiledPaths() !== null && testCase.rows[0]!.length > 1) expect(givenUp).toBe(before);
      });
    }
    for (const testCase of invalidCases) {
      it(`rejects ${testCase.name} on line ${testCase.line}, in ${label}`, () => {
        expect(() => profileBy('native', '', split(testCase.csv))).toThrow(testCase.message);
        try {
          profileBy('native', '', split(testCase.csv));
        } catch (error) {
          expect((error as UserError).location).toMatchObject({ file: 'c.csv', line: testCase.line });
        }
      });
    }
  }
});
