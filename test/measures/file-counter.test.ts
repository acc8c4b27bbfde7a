// The counter tallies rows of 0/1 counts by group and flag pattern, and adds other rows directly;
// whichever way a row goes, the sums, group sizes and flags are those of a plain count. These
// files are large enough to make the tallies grow (new values and patterns in mid-file), mix rows
// with counts above 1 in, and go past what the tallies can hold (too many count columns, too many
// groups), where every row is added directly.

import { describe, expect, it } from 'vitest';
import { checkDefinitions } from '../../src/measures/definitions.js';
import { planMeasures } from '../../src/measures/plan.js';
import { chunksOf } from '../csv/corpus.js';
import { COUNT_PATHS, countChunks, type CountPath } from './count-chunks.js';

type Measure = { id: string; numerator: string; denominator: string; group_by?: string[] };

/** A small deterministic generator (mulberry32), so a failure is reproducible. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per measure and group: [numerator, denominator, rows]; and per count column whether it is a flag. */
function counted(csv: string, defs: Measure[], path: CountPath) {
  const { measures } = checkDefinitions({ disclosure_control: 'none', measures: defs }, 'defs.json');
  const plan = planMeasures(measures);
  const counts = countChunks('c.csv', measures, plan, chunksOf(csv, 4096), path);
  const sums = new Map<string, number[]>();
  measures.forEach((measure, m) => {
    const grouping = plan.measures[m]!.grouping;
    counts.groups[grouping]!.forEach((values, i) => {
      sums.set(`${measure.id}|${values.join('|')}`, [counts.sums[m]!.numerators[i]!, counts.sums[m]!.denominators[i]!, counts.groupRows[grouping]![i]!]);
    });
  });
  return { rows: counts.rows, sums, flags: new Map(plan.countColumns.map((column, k) => [column, counts.flags[k]!])) };
}

/** The same, the obvious way: each row split at its commas and added to every measure. */
function naive(csv: string, defs: Measure[]) {
  const [header, ...lines] = csv.trimEnd().split('\n');
  const names = header!.split(',');
  const sums = new Map<string, number[]>();
  const flags = new Map<string, boolean>();
  for (const line of lines) {
    const cells = line.split(',');
    const cell = (name: string) => cells[names.indexOf(name)]!;
    const value = (name: string) => (name === 'population' ? 1 : Number(cell(name)));
    for (const name of names) if (name.startsWith('c')) flags.set(name, (flags.get(name) ?? true) && value(name) <= 1);
    for (const measure of defs) {
      const key = `${measure.id}|${(measure.group_by ?? []).map(cell).join('|')}`;
      const sum = sums.get(key) ?? [0, 0, 0];
      sum[2]! += 1;
      if (value(measure.denominator) > 0) {
        sum[0]! += value(measure.numerator);
        sum[1]! += value(measure.denominator);
      }
      sums.set(key, sum);
    }
  }
  const used = new Set(defs.flatMap((m) => [m.numerator, m.denominator]));
  return { rows: lines.length, sums, flags: new Map([...flags].filter(([name]) => used.has(name))) };
}

/**
 * A cohort file: group columns a, b (values drawn from a pool that grows through the file, so
 * new values keep coming), count columns c0 .. c<n-1>, mostly flags, a count above 1 in about
 * one row in `bigEvery`.
 */
function cohort(seed: number, rows: number, countColumns: number, bigEvery: number, values = (row: number) => 3 + Math.floor(row / 50)): string {
  const next = random(seed);
  const counts = Array.from({ length: countColumns }, (_, k) => `c${k}`);
  const lines = [['id', 'a', ...counts, 'b'].join(',')];
  for (let row = 0; row < rows; row++) {
    const pool = values(row);
    const cells = counts.map(() => (next() < 1 / bigEvery ? String(2 + Math.floor(next() * 5)) : next() < 0.3 ? '1' : next() < 0.05 ? '' : '0'));
    lines.push([row, `a${Math.floor(next() * pool)}`, ...cells, `b${Math.floor(next() * Math.min(pool, 7))}`].join(','));
  }
  return lines.join('\n') + '\n';
}

const byFlags = (flags: number): Measure[] =>
  Array.from({ length: flags }, (_, k): Measure[] => [
    { id: `m${k}_a`, numerator: `c${k}`, denominator: 'population', group_by: ['a'] },
    { id: `m${k}_ab`, numerator: `c${k}`, denominator: 'population', group_by: ['a', 'b'] },
  ]).flat();

describe.each(COUNT_PATHS)('the %s count path: tallied and direct rows count alike', (path) => {
  it('counts flags by one and two columns while values and patterns keep appearing', () => {
    const csv = cohort(1, 6000, 6, Infinity);
    const defs = [...byFlags(6), { id: 'all', numerator: 'c0', denominator: 'population' }];
    const result = counted(csv, defs, path);
    expect(result).toEqual(naive(csv, defs));
    expect([...result.flags.values()]).toEqual([true, true, true, true, true, true]);
  });

  it('adds rows with a count above 1 directly, between tallied rows, and finds the columns that are not flags', () => {
    const csv = cohort(2, 6000, 5, 40);
    const defs: Measure[] = [...byFlags(3), { id: 'ratio', numerator: 'c3', denominator: 'c4', group_by: ['b', 'a'] }];
    const result = counted(csv, defs, path);
    expect(result).toEqual(naive(csv, defs));
    expect([...result.flags.values()]).toEqual([false, false, false, false, false]);
  });

  it('tallies a flag denominator: numerators count only in rows whose denominator is 1', () => {
    const csv = cohort(3, 3000, 4, Infinity);
    const defs: Measure[] = [
      { id: 'n1', numerator: 'c0', denominator: 'c1', group_by: ['a'] },
      { id: 'n2', numerator: 'c2', denominator: 'c1', group_by: ['a'] },
      { id: 'n3', numerator: 'c3', denominator: 'population', group_by: ['a'] },
    ];
    expect(counted(csv, defs, path)).toEqual(naive(csv, defs));
  });

  it('adds every row directly with more count columns than the tallies take', () => {
    const csv = cohort(4, 3000, 17, Infinity);
    const defs = byFlags(17);
    expect(counted(csv, defs, path)).toEqual(naive(csv, defs));
  });

  it('goes on row by row once the groups outgrow the tallies in mid-file', () => {
    // Pairs of about 3,000 by 3,000 values at the end: more tallies than are kept.
    let line = 0;
    const csv = cohort(5, 6000, 2, Infinity, (row) => (row < 3000 ? 4 : 4000)).replace(/,b(\d)\n/g, (_, d: string) => `,b${d}${line++ < 3000 ? '' : line % 1000}\n`);
    const defs = byFlags(2);
    expect(counted(csv, defs, path)).toEqual(naive(csv, defs));
  });
});
