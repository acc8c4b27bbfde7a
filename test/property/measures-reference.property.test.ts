// Property: `measures` writes exactly what a naive reference computes on random cohorts, random
// definitions, all four disclosure rules and the group-size rule. The reference is written from the contract text
// (/work/shared/CONTRACT.md, "analyse measures"), not from the code: papaparse reads each cohort
// file, counts are summed per date and group, groups that fewer than min_group_size rows have on
// every date are left out, the rule is applied within each date to the rest, groups are sorted,
// value = String(numerator / denominator), and every output file is compared whole.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMeasures } from '../../src/measures/run-measures.js';
import { tempDir } from '../helpers.js';

type Rule = 'round' | 'midpoint6' | 'suppress' | 'none';

/** What the random cases reached, so the test can show it exercised the rules it claims to. */
const reached = { secondarySuppression: 0, blankCount: 0, zeroDenominator: 0, sameColumn: 0, emptyGroup: 0, twoDates: 0, largeSum: 0, leftOut: 0, keptBySomeDate: 0 };

/**
 * Group values: empty, differing only in case or in a space, with commas, quotes and newlines,
 * non-ASCII text, and a character above U+FFFF (a surrogate pair) beside one just below it, where
 * code-unit and code-point order disagree.
 */
const GROUP_VALUES = ['', 'a', 'A', 'a ', ' a', 'a,b', 'say "hi"', 'two\nlines', 'é', 'e\u0301', '日本', '\uff21', '😀', 'London', '10', '9'];
/** Count cells: mostly 0/1 flags and empties, sometimes larger, so sums land on 0, 1-5, 6-7 and far above. */
const COUNT_CELLS = ['0', '0', '1', '1', '1', '', '2', '3', '12', '250', '00', '1000000'];
const COLUMNS = ['g1', 'g2', 'n', 'd'] as const;
type Column = (typeof COLUMNS)[number];
type CohortRow = Record<Column, string>;

const cohortRow = fc.record({ g1: fc.constantFrom(...GROUP_VALUES), g2: fc.constantFrom(...GROUP_VALUES.slice(0, 6)), n: fc.constantFrom(...COUNT_CELLS), d: fc.constantFrom(...COUNT_CELLS) });

const cohortFile = fc.record({
  // Few rows of few groups, or many rows of many groups, so sums cover every disclosure case.
  rows: fc.array(cohortRow, { maxLength: 60 }),
  // Columns in any order, with an extra one, in each file.
  order: fc.shuffledSubarray([...COLUMNS, 'other'], { minLength: 5, maxLength: 5 }),
  quoteAll: fc.boolean(),
  crlf: fc.boolean(),
});

const rule = fc.constantFrom<Rule>('round', 'midpoint6', 'suppress', 'none');
const groupSize = fc.option(fc.constantFrom(0, 1, 3, 8), { nil: undefined });
const countColumn = fc.constantFrom('n', 'd', 'population');
const measure = fc.record({
  numerator: countColumn,
  denominator: countColumn,
  groupBy: fc.oneof(fc.constant(undefined), fc.constant('population'), fc.constant('g1'), fc.shuffledSubarray(['g1', 'g2'])),
  rule: fc.option(rule, { nil: undefined }),
  minGroupSize: groupSize,
});

const scenario = fc.record({
  files: fc.array(cohortFile, { minLength: 1, maxLength: 3 }),
  topRule: fc.option(rule, { nil: undefined }),
  topMinGroupSize: groupSize,
  measures: fc.array(measure, { minLength: 1, maxLength: 4 }),
});

// ---- the reference, from the contract ----

/** "round": 7 or less becomes 0, then the nearest multiple of 5. */
function roundRule(count: number): number {
  return count <= 7 ? 0 : Math.round(count / 5) * 5;
}

/** "suppress", within one date and one column: 1-5 blanked; if they add up to 5 or less, every cell equal to the smallest value above 5 too. */
function suppressRule(column: number[]): Array<number | null> {
  const small = column.filter((c) => c >= 1 && c <= 5);
  const above = column.filter((c) => c > 5);
  const alsoBlank = small.length > 0 && small.reduce((a, b) => a + b, 0) <= 5 && above.length > 0 ? Math.min(...above) : null;
  if (alsoBlank !== null) reached.secondarySuppression++;
  return column.map((c) => ((c >= 1 && c <= 5) || c === alsoBlank ? null : c));
}

/** "midpoint6": 0 stays 0; x becomes 6·⌈x/6⌉ − 3. */
function midpoint6Rule(count: number): number {
  return count === 0 ? 0 : 6 * Math.ceil(count / 6) - 3;
}

function disclose(rule: Rule, column: number[]): Array<number | null> {
  if (rule === 'round') return column.map(roundRule);
  if (rule === 'midpoint6') return column.map(midpoint6Rule);
  if (rule === 'suppress') return suppressRule(column);
  return column;
}

interface MeasureSpec {
  id: string;
  numerator: string;
  denominator: string;
  groupBy: string[];
  rule: Rule;
  /** Default 8, or 0 under "none". */
  minGroupSize: number;
}

/** The keys of the groups that at least minGroupSize rows have on some date. */
function sharedGroups(spec: MeasureSpec, dated: ReadonlyArray<{ rows: readonly Record<string, string>[] }>): Set<string> {
  const seen = new Set<string>();
  const kept = new Set<string>();
  for (const { rows } of dated) {
    const sizes = new Map<string, number>();
    for (const row of rows) {
      const key = JSON.stringify(spec.groupBy.map((column) => row[column]!));
      sizes.set(key, (sizes.get(key) ?? 0) + 1);
      seen.add(key);
    }
    for (const [key, size] of sizes) if (size >= spec.minGroupSize) kept.add(key);
  }
  if (kept.size < seen.size) reached.leftOut++;
  if (dated.length > 1 && kept.size > 0 && spec.minGroupSize > 1) reached.keptBySomeDate++;
  return kept;
}

/** One date's rows of one measure: group values, released numerator and denominator, value. */
function referenceRows(spec: MeasureSpec, rows: readonly Record<string, string>[], kept: ReadonlySet<string>): string[][] {
  const count = (row: Record<string, string>, column: string) => (column === 'population' ? 1 : Number(row[column] === '' ? 0 : row[column]));
  const sums = new Map<string, { group: string[]; numerator: number; denominator: number }>();
  for (const row of rows) {
    const group = spec.groupBy.map((column) => row[column]!);
    const key = JSON.stringify(group);
    if (!kept.has(key)) continue;
    const sum = sums.get(key) ?? { group, numerator: 0, denominator: 0 };
    sums.set(key, sum);
    if (count(row, spec.denominator) > 0) {
      sum.numerator += count(row, spec.numerator);
      sum.denominator += count(row, spec.denominator);
    }
  }
  const sorted = [...sums.values()].sort((a, b) => {
    for (let i = 0; i < a.group.length; i++) if (a.group[i] !== b.group[i]) return a.group[i]! < b.group[i]! ? -1 : 1;
    return 0;
  });
  const numerators = disclose(spec.rule, sorted.map((s) => s.numerator));
  const denominators = disclose(spec.rule, sorted.map((s) => s.denominator));
  return sorted.map((s, i) => {
    const [n, d] = [numerators[i]!, denominators[i]!];
    const value = n === null || d === null || d === 0 ? '' : String(n / d);
    if (n === null || d === null) reached.blankCount++;
    if (d === 0) reached.zeroDenominator++;
    if (s.group.includes('')) reached.emptyGroup++;
    if (s.numerator > 100_000) reached.largeSum++;
    return [...s.group, n === null ? '' : String(n), d === null ? '' : String(d), value];
  });
}

function csv(rows: string[][]): string {
  return `${Papa.unparse(rows, { newline: '\n' })}\n`;
}

/** Every file the contract says `measures` writes, with its content. */
function referenceOutputs(specs: MeasureSpec[], dated: Array<{ date: string; rows: Record<string, string>[] }>): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const spec of specs) {
    const header = [...spec.groupBy, spec.numerator, spec.denominator, 'value'];
    const combined: string[][] = [[...header, 'date']];
    const kept = sharedGroups(spec, dated);
    for (const { date, rows } of dated) {
      const table = referenceRows(spec, rows, kept);
      outputs[`measure_${spec.id}_${date}.csv`] = csv([header, ...table]);
      combined.push(...table.map((row) => [...row, date]));
    }
    outputs[`measure_${spec.id}.csv`] = csv(combined);
  }
  return outputs;
}

// ---- writing the random cohort ----

function cohortText(file: { rows: CohortRow[]; order: string[]; quoteAll: boolean; crlf: boolean }, index: number): string {
  const cell = (text: string) => (file.quoteAll || /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const lines = [file.order.map(cell), ...file.rows.map((row, r) => file.order.map((c) => cell(c === 'other' ? `x${index}.${r}` : row[c as Column])))];
  const eol = file.crlf ? '\r\n' : '\n';
  return lines.map((line) => line.join(',')).join(eol) + eol;
}

const DATES = ['2020-01-01', '2020-02-01', '2020-03-01'];

describe('measures (property)', () => {
  it('writes exactly the contract\'s reference output, per date and combined, under every disclosure rule', async () => {
    const base = tempDir();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const dir = join(base, String(run++));
        mkdirSync(join(dir, 'in'), { recursive: true });
        // Shuffled dates in the names: output is in date order whatever the file order.
        const dates = DATES.slice(0, s.files.length).reverse();
        s.files.forEach((file, i) => writeFileSync(join(dir, 'in', `input_${dates[i]}.csv`), cohortText(file, i)));
        // A file without a date is no monthly cohort file: skipped unread, however wrong.
        writeFileSync(join(dir, 'in', 'input_ethnicity.csv'), 'patient_id,"\n');
        const specs: MeasureSpec[] = s.measures.map((m, i) => ({
          id: `m${i}`,
          numerator: m.numerator,
          denominator: m.denominator,
          groupBy: m.groupBy === undefined || m.groupBy === 'population' ? [] : typeof m.groupBy === 'string' ? [m.groupBy] : m.groupBy,
          rule: m.rule ?? s.topRule ?? 'round',
          minGroupSize: m.minGroupSize ?? s.topMinGroupSize ?? ((m.rule ?? s.topRule ?? 'round') === 'none' ? 0 : 8),
        }));
        const definitions = {
          ...(s.topRule === undefined ? {} : { disclosure_control: s.topRule }),
          ...(s.topMinGroupSize === undefined ? {} : { min_group_size: s.topMinGroupSize }),
          measures: s.measures.map((m, i) => ({
            id: `m${i}`,
            numerator: m.numerator,
            denominator: m.denominator,
            ...(m.groupBy === undefined ? {} : { group_by: m.groupBy }),
            ...(m.rule === undefined ? {} : { disclosure_control: m.rule }),
            ...(m.minGroupSize === undefined ? {} : { min_group_size: m.minGroupSize }),
          })),
        };
        writeFileSync(join(dir, 'defs.json'), JSON.stringify(definitions));

        await runMeasures({ definitions: join(dir, 'defs.json'), cohort: join(dir, 'in', '*.csv'), outputDir: join(dir, 'out'), jobs: 1, progress: false });

        const dated = dates
          .map((date, i) => ({ date, rows: Papa.parse<Record<string, string>>(readFileSync(join(dir, 'in', `input_${date}.csv`), 'utf8'), { header: true, skipEmptyLines: true }).data, i }))
          .sort((a, b) => (a.date < b.date ? -1 : 1));
        expect(dated.map((d) => d.rows.length)).toEqual(dated.map((d) => s.files[d.i]!.rows.length));
        const expected = referenceOutputs(specs, dated);
        if (specs.some((m) => m.numerator === m.denominator)) reached.sameColumn++;
        if (dated.length > 1) reached.twoDates++;
        const written = Object.fromEntries(readdirSync(join(dir, 'out')).map((name) => [name, readFileSync(join(dir, 'out', name), 'utf8')]));
        expect(written).toEqual(expected);
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 300 },
    );
    for (const [what, times] of Object.entries(reached)) expect(times, what).toBeGreaterThan(5);
  });
});
