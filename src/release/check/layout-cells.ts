// The cells of the known layouts, row by row: a measure file's numerator and denominator (counts
// that must fit the rule), its value (numerator / denominator of those counts, never more) and
// its interval and standardised columns (numbers from the counts, not counts, and blank where
// value is);
// a descriptive statistics table's count and missing rows (counts), its statistic names (only
// describe's own) and its percentages (none where the count is blank, or it gives the count back);
// a deciles table's percentiles (1 to 99: the 0th and 100th are the lowest and highest group's value).

import { quote } from '../../errors.js';
import type { RowView } from '../../csv/scanner.js';
import { numberOfText } from '../../csv/cell-number.js';
import type { MeasureFields } from '../../layouts/measure-file.js';
import { COUNT_STATISTICS, STATISTICS } from '../../layouts/descriptive-table.js';
import { HIGHEST_PERCENTILE, LOWEST_PERCENTILE } from '../../layouts/deciles-table.js';
import { CountCells, MAX_CELLS_REPORTED } from '../count-cells.js';
import type { Findings } from './findings.js';

/** A value this far (relatively) from numerator / denominator was not computed from the released counts. */
export const VALUE_TOLERANCE = 1e-3;

export interface LayoutCells {
  add(row: RowView): void;
  /** Problems and warnings, once every row was added. */
  findings(): Findings;
}

export class MeasureCells implements LayoutCells {
  private readonly problems: string[] = [];
  private readonly warnings: string[] = [];

  constructor(
    private readonly names: readonly string[],
    private readonly fields: MeasureFields,
    private readonly counts: CountCells,
  ) {}

  add(row: RowView): void {
    const { numerator, denominator, value } = this.fields;
    const [n, d, v] = [row.text(numerator), row.text(denominator), row.text(value)];
    this.counts.add(n, row.lineOfField(numerator), this.names[numerator]!);
    this.counts.add(d, row.lineOfField(denominator), this.names[denominator]!);
    this.addExtras(row, v === '');
    if (v === '') return;
    const where = `line ${row.lineOfField(value)}, column ${quote(this.names[value]!)}`;
    const ratio = Number(n) / Number(d);
    if (n === '' || d === '' || !Number.isFinite(ratio)) {
      if (this.problems.length < MAX_CELLS_REPORTED) this.problems.push(`${where}: ${quote(v)} is given where a count is blank or the denominator is 0, so it could give a hidden count away`);
    } else if (Math.abs(Number(v) - ratio) > VALUE_TOLERANCE * Math.abs(ratio) || Number.isNaN(Number(v))) {
      if (this.warnings.length < MAX_CELLS_REPORTED) this.warnings.push(`${where}: ${quote(v)} is not numerator / denominator (${ratio}), so it may come from counts that were not released`);
    }
  }

  /** Interval and standardised cells: numbers, and none where value is blank (they are worked out from the same counts). */
  private addExtras(row: RowView, valueBlank: boolean): void {
    for (const field of this.fields.extras) {
      const text = row.text(field);
      if (text === '' || this.problems.length >= MAX_CELLS_REPORTED) continue;
      const where = `line ${row.lineOfField(field)}, column ${quote(this.names[field]!)}`;
      if (numberOfText(text) === null) this.problems.push(`${where}: ${quote(text)} is not a number (an interval or standardised rate, worked out from the counts)`);
      else if (valueBlank) this.problems.push(`${where}: ${quote(text)} is given where the value is blank, so it could give a hidden count away`);
    }
  }

  findings(): Findings {
    return { problems: this.problems, warnings: this.warnings };
  }
}

export class TableCells implements LayoutCells {
  private readonly problems: string[] = [];
  private unknown = 0;
  /** The last count row: its variable and level (and date), and whether its value is blank. */
  private lastCount: { key: string; blank: boolean } | null = null;

  constructor(
    private readonly fields: { statistic: number; value: number },
    private readonly counts: CountCells,
  ) {}

  add(row: RowView): void {
    const { statistic: statisticField, value: valueField } = this.fields;
    const statistic = row.text(statisticField);
    const value = row.text(valueField);
    // What a percentage is of: the row's cells before `statistic` (date, variable, type, level).
    const key = Array.from({ length: statisticField }, (_, i) => row.text(i)).join('\u0000');
    if ((COUNT_STATISTICS as readonly string[]).includes(statistic)) {
      this.counts.add(value, row.lineOfField(valueField), 'value');
      this.lastCount = { key, blank: value === '' };
      return;
    }
    if (statistic === 'percent') {
      if (value !== '' && this.lastCount?.key === key && this.lastCount.blank && this.problems.length < MAX_CELLS_REPORTED) {
        this.problems.push(`line ${row.lineOfField(valueField)}, column "value": the percent ${quote(value)} is given where its count is blank, so it gives the count back`);
      }
      return;
    }
    if (!(STATISTICS as readonly string[]).includes(statistic) && this.unknown++ < MAX_CELLS_REPORTED) {
      this.problems.push(`line ${row.lineOfField(statisticField)}, column "statistic": ${quote(statistic)} is not a statistic that may be released (${STATISTICS.join(', ')})`);
    }
  }

  findings(): Findings {
    return { problems: this.problems, warnings: [] };
  }
}

export class DecilesCells implements LayoutCells {
  private readonly problems: string[] = [];

  constructor(private readonly fields: { percentile: number }) {}

  add(row: RowView): void {
    const field = this.fields.percentile;
    const text = row.text(field);
    const percentile = /^\d+$/.test(text) ? Number(text) : NaN;
    if (percentile >= LOWEST_PERCENTILE && percentile <= HIGHEST_PERCENTILE) return;
    if (this.problems.length < MAX_CELLS_REPORTED) {
      this.problems.push(
        `line ${row.lineOfField(field)}, column "percentile": ${quote(text)} is not a whole percentile from ${LOWEST_PERCENTILE} to ${HIGHEST_PERCENTILE} ` +
          '(the 0th and 100th are the lowest and highest group\'s own value)',
      );
    }
  }

  findings(): Findings {
    return { problems: this.problems, warnings: [] };
  }
}
