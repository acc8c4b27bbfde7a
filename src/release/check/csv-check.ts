// Checks one CSV, streaming: no patient_id column and at most 5,000 rows; the cells of a known
// layout (the counts of cohort-extractor and ehrQL measure files and descriptive statistics tables
// against the rule, the percentiles of deciles tables); warnings for the columns of any other CSV, and for cells a spreadsheet would run.

import { isUserError, quote } from '../../errors.js';
import { readCsvFile } from '../../csv/read-file.js';
import type { RowView } from '../../csv/scanner.js';
import { measureFields } from '../../layouts/measure-file.js';
import { ehrqlMeasureFields } from '../../layouts/ehrql-measures.js';
import { statisticFields } from '../../layouts/descriptive-table.js';
import { decilesTableFields } from '../../layouts/deciles-table.js';
import { CountCells } from '../count-cells.js';
import { MAX_RELEASE_CSV_ROWS } from '../limits.js';
import type { ReleasePattern } from '../patterns.js';
import { ColumnWarnings, FORMULA_START } from './column-warnings.js';
import type { Findings } from './findings.js';
import { DecilesCells, MeasureCells, TableCells, type LayoutCells } from './layout-cells.js';

/** Formula cells reported per column. */
const MAX_FORMULAS_REPORTED = 5;

export async function checkCsv(path: string, rule: ReleasePattern | 'any'): Promise<Findings> {
  const found: Findings = { problems: [], warnings: [] };
  const counts = new CountCells({ rule, skipEmpty: true });
  let names: string[] = [];
  let layout: LayoutCells | null = null;
  let columns: ColumnWarnings[] | null = null;
  const formulas = new Map<number, number>();

  const onRow = (row: RowView) => {
    for (let f = 0; f < names.length; f++) {
      const text = row.text(f);
      if (FORMULA_START.test(text)) {
        const seen = formulas.get(f) ?? 0;
        formulas.set(f, seen + 1);
        if (seen < MAX_FORMULAS_REPORTED) {
          found.warnings.push(`line ${row.lineOfField(f)}, column ${quote(names[f]!)}: ${quote(text)} starts with "${text[0]}", so a spreadsheet would run it as a formula`);
        }
      }
      columns?.[f]!.add(text, row.lineOfField(f));
    }
    layout?.add(row);
  };

  let rows = 0;
  try {
    rows = (
      await readCsvFile(path, {
        header(header) {
          names = header;
          const patient = header.find((name) => name.trim().toLowerCase() === 'patient_id');
          if (patient !== undefined) found.problems.push(`line 1, column ${quote(patient)}: a patient_id column holds patient-level data`);
          const table = statisticFields(header);
          const measure = ehrqlMeasureFields(header) ?? measureFields(path, header);
          const deciles = decilesTableFields(header);
          if (table !== null) layout = new TableCells(table, counts);
          else if (measure !== null) layout = new MeasureCells(header, measure, counts);
          else if (deciles !== null) layout = new DecilesCells(deciles);
          else columns = header.map((name) => new ColumnWarnings(name));
        },
        row: onRow,
      })
    ).rows;
  } catch (error) {
    if (!isUserError(error)) throw error;
    const where = error.location.line === undefined ? '' : `line ${error.location.line}: `;
    found.problems.push(`${where}not a CSV file that can be checked: ${error.reason}`);
    return found;
  }
  if (rows > MAX_RELEASE_CSV_ROWS) found.problems.push(`it has ${rows.toLocaleString('en-GB')} data rows, over the ${MAX_RELEASE_CSV_ROWS.toLocaleString('en-GB')}-row limit`);
  for (const problem of counts.problems()) found.problems.push(`line ${problem.line}, column ${quote(problem.column)}: ${problem.reason}`);
  const cells = (layout as LayoutCells | null)?.findings();
  found.problems.push(...(cells?.problems ?? []));
  found.warnings.push(...(cells?.warnings ?? []));
  for (const column of (columns as ColumnWarnings[] | null) ?? []) found.warnings.push(...column.warnings());
  found.problems = byLine(found.problems);
  found.warnings = byLine(found.warnings);
  return found;
}

/**
 * Findings in line order; those about the whole file (no line) after. The sort is stable. Each
 * finding once: a numerator that is also the denominator (population / population) is two
 * columns of one name, and its cells would otherwise be reported twice in the same words.
 */
function byLine(findings: readonly string[]): string[] {
  const lineOf = (finding: string) => Number(/^line (\d+)/.exec(finding)?.[1] ?? Infinity);
  return [...new Set(findings)].sort((a, b) => lineOf(a) - lineOf(b));
}
