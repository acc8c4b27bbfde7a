// Property: whatever cohort `describe` is given, what it writes keeps the release rules: it passes
// the release scanner (counts blank or multiples of 5, no patient_id column, no CSV over 5,000
// rows), never describes the patient key, and every statistic is what the README's disclosure
// rules allow and no more, checked row by row against a reference computed from the raw cells:
// small counts blank, percentages from released counts, mean and sd only over 100 values and not
// when one value dominates them (the outlier attack),
// quartiles only where at least 8 patients share the value, text values never listed.

import { describe as group, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDescribe } from '../../src/describe/describe.js';
import { scanReleaseFolder } from '../safety/release-scanner.js';
import { tempDir } from '../helpers.js';
import { expectedLevels, expectedShape, expectedSummary, expectedType, rawCount, releasedCount, type RawFile, type Row } from './describe-reference.js';

const KINDS = ['flag', 'category', 'hostile', 'age', 'imd', 'spread', 'decimal', 'outlier', 'code', 'date', 'mixed'] as const;
type Kind = (typeof KINDS)[number];
const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'a,b', 'say "hi"', 'two\nlines', 'é', ' ', 'patient_id'];

/** A small deterministic generator, so a column of hundreds of cells costs one seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cell(kind: Kind, next: () => number): string {
  const pick = <T,>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  switch (kind) {
    case 'flag': return pick(['0', '1', '1']);
    case 'category': return pick(['PC', 'PN', 'U', 'NC']);
    case 'hostile': return pick(HOSTILE);
    case 'age': return String(65 + Math.floor(next() * 20)); // few values, each shared by many (more than 12, so numeric)
    case 'imd': return String(1 + Math.floor(next() * 5)); // codes: whole numbers, at most 12 values, so categorical
    case 'spread': return String(Math.floor(next() * 1e6)); // nearly every value one patient's
    case 'decimal': return (next() * 40).toFixed(1);
    case 'outlier': return next() < 0.005 ? String(Math.floor(1e5 + next() * 1e6)) : (20 + next() * 10).toFixed(1); // bmi, now and then a wild value
    case 'code': return `E02${String(Math.floor(next() * 1e6)).padStart(6, '0')}`;
    case 'date': return `20${15 + Math.floor(next() * 6)}-0${1 + Math.floor(next() * 9)}`;
    case 'mixed': return pick(['1', '2.5', 'x', '2020-01']);
  }
}

const column = fc.record({ kind: fc.constantFrom(...KINDS), missing: fc.constantFrom(0, 0, 0.1, 0.5, 1), seed: fc.integer() });
const scenario = fc.record({
  columns: fc.array(column, { minLength: 1, maxLength: 6 }),
  // Small files, whose counts are mostly blanked, and files over 100 rows, whose summaries show.
  rows: fc.array(fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 60, max: 260 })), { minLength: 1, maxLength: 3 }),
  key: fc.constantFrom('patient_id', 'pid'),
  quoteAll: fc.boolean(),
});

function parseTable(text: string): string[][] {
  return Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
}

const DATES = ['2020-01-01', '2020-02-01', '2020-03-01'];

group('describe (property)', () => {
  it('releases only what the disclosure rules allow, on any cohort', async () => {
    const base = tempDir();
    let run = 0;
    const reached = { blanked: 0, rounded: 0, mean: 0, dominated: 0, quartile: 0, quartileWithheld: 0, text: 0, hostileLevel: 0 };
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const dir = join(base, String(run++));
        mkdirSync(join(dir, 'in'), { recursive: true });
        mkdirSync(join(dir, 'm'), { recursive: true });
        const names = [s.key, ...(s.key === 'pid' ? ['patient_id'] : []), ...s.columns.map((_, i) => `c${i}`)];
        const raw: RawFile[] = s.rows.map((rows, f) => {
          const columns = new Map<string, string[]>();
          for (const name of names.filter((n) => n === s.key || n === 'patient_id')) columns.set(name, Array.from({ length: rows }, (_, r) => String(1000 * f + r)));
          s.columns.forEach((c, i) => {
            const next = random(c.seed + f);
            columns.set(`c${i}`, Array.from({ length: rows }, () => (next() < c.missing ? '' : cell(c.kind, next))));
          });
          const table = [names, ...Array.from({ length: rows }, (_, r) => names.map((n) => columns.get(n)![r]!))];
          writeFileSync(join(dir, 'in', `input_${DATES[f]}.csv`), `${Papa.unparse(table, { newline: '\n', quotes: s.quoteAll })}\n`);
          return { rows, columns };
        });
        writeFileSync(join(dir, 'm', 'measure_x.csv'), 'g,n,population,value,date\nPC,10,20,0.5,2020-01-01\n');
        const config = s.key === 'pid' ? join(dir, 'describe.json') : undefined;
        if (config) writeFileSync(config, JSON.stringify({ key: 'pid' }));

        const out = join(dir, 'out');
        await runDescribe({ cohort: join(dir, 'in/*.csv'), measures: join(dir, 'm/*.csv'), tablesDir: join(out, 't'), graphsDir: join(out, 'g'), config, jobs: 1, progress: false });
        expect(await scanReleaseFolder(out)).toEqual([]);

        const described = s.columns.map((_, i) => `c${i}`);
        const types = new Map(described.map((name) => [name, expectedType(raw, name)]));
        const tables = raw.map((_, f) => parseTable(readFileSync(join(out, 't', `descriptive_statistics_input_${DATES[f]}.csv`), 'utf8')));
        tables.forEach((table, f) => {
          const file = raw[f]!;
          expect(table[0]).toEqual(['variable', 'type', 'level', 'statistic', 'value']);
          const rows: Row[] = table.slice(1).map(([variable, type, level, statistic, value]) => ({ variable: variable!, type: type!, level: level!, statistic: statistic!, value: value! }));
          // Exactly the rows the README's table of types lists, in column order: no patient key.
          const shape = [['population', 'population', '', 'count'], ...described.flatMap((name) => expectedShape(types.get(name)!, expectedLevels(raw, name, types.get(name)!), 'full').map(([level, statistic]) => [name, types.get(name)!, level, statistic]))];
          expect(rows.map((r) => [r.variable, r.type, r.level, r.statistic])).toEqual(shape);
          const total = releasedCount(file.rows);
          rows.forEach((row, i) => {
            if (row.statistic === 'count' || row.statistic === 'missing') {
              const count = rawCount(file, row);
              expect(row.value, `${row.variable} ${row.level} ${row.statistic} of ${count}`).toBe(releasedCount(count));
              if (count > 0 && count <= 7) reached.blanked++;
              if (count > 7 && String(count) !== row.value) reached.rounded++;
              if (row.type === 'categorical' && HOSTILE.includes(row.level) && row.level !== ' ') reached.hostileLevel++;
            } else if (row.statistic === 'percent') {
              const of = rows[i - 1]!.value;
              expect(row.value).toBe(of === '' || total === '' ? '' : ((100 * Number(of)) / Number(total)).toFixed(1));
            } else {
              const expected = expectedSummary(file.columns.get(row.variable)!)[row.statistic as 'mean']!;
              if (typeof expected === 'number') {
                // Released to 4 significant figures.
                expect(Math.abs(Number(row.value) - expected)).toBeLessThanOrEqual(Math.abs(expected) * 5e-4 + 1e-9);
                reached.mean++;
              } else {
                expect(row.value, `${row.variable} ${row.statistic}`).toBe(expected);
                if (expected !== '' && row.statistic !== 'mean' && row.statistic !== 'sd') reached.quartile++;
                if (expected === '' && row.statistic === 'mean' && Number(releasedCount(rawCount(file, { ...row, statistic: 'count' })) || 0) >= 100) reached.dominated++;
              }
              if (row.statistic.startsWith('p') || row.statistic === 'median') {
                if (expected === '' && Number(releasedCount(rawCount(file, { ...row, statistic: 'count' })) || 0) >= 100) reached.quartileWithheld++;
              }
            }
          });
          // A text column's values are never listed, as levels or anywhere else.
          for (const name of described.filter((n) => types.get(n) === 'text')) {
            const values = new Set(raw.flatMap((r) => r.columns.get(name)!).filter((v) => v.length > 3));
            expect(rows.filter((r) => values.has(r.level) || values.has(r.value))).toEqual([]);
            if (values.size > 0) reached.text++;
          }
        });

        // The summary repeats, per date, rows of the file tables, with the same values.
        const summary = parseTable(readFileSync(join(out, 't', 'descriptive_statistics_summary.csv'), 'utf8'));
        expect(summary[0]).toEqual(['date', 'variable', 'type', 'level', 'statistic', 'value']);
        const expectedSummaryRows = raw.flatMap((_, f) => {
          const byKey = new Map(tables[f]!.slice(1).map((r) => [r.slice(0, 4).join('\u0000'), r[4]!]));
          const shape = [['population', 'population', '', 'count'], ...described.flatMap((name) => expectedShape(types.get(name)!, expectedLevels(raw, name, types.get(name)!), 'summary').map(([level, statistic]) => [name, types.get(name)!, level, statistic]))];
          return shape.map((key) => [DATES[f]!, ...key, byKey.get(key.join('\u0000'))!]);
        });
        expect(summary.slice(1)).toEqual(expectedSummaryRows);
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 100 },
    );
    for (const [what, times] of Object.entries(reached)) expect(times, what).toBeGreaterThan(0);
  });
});
