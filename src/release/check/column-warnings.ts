// Warnings for the columns of a CSV whose layout says nothing about which cells are counts (an R,
// Stata or Python script's table): small whole numbers, whole numbers that fit no released
// pattern, and columns whose values are nearly all distinct, as an identifier's would be.

import { quote } from '../../errors.js';
import { numberOfText } from '../../csv/cell-number.js';
import { CountCells } from '../count-cells.js';
import { ROUND_ZERO_AT_OR_BELOW } from '../rules.js';

/** A column needs at least this many values before its distinctness says anything. */
export const MIN_VALUES_FOR_IDENTIFIER = 20;
/** A column this share of whose values are distinct looks like an identifier. */
export const IDENTIFIER_SHARE = 0.9;
/** Distinct values remembered per column; past this the column is plainly an identifier's. */
const MAX_DISTINCT = 100_000;

const WHOLE = /^-?\d+$/;
/** Dates and months (YYYY-MM-DD, YYYY-MM): a column of them is a time axis, not an identifier. */
const DATE_LIKE = /^\d{4}-\d{2}(-\d{2})?$/;
/** Column names that say they hold an identifier: whole numbers there are ids, not counts. */
const IDENTIFIER_NAME = /(^|[_\s.-])(id|ids|identifier|key|patient|person|nhs|pseudo\w*)([_\s.-]|$)/i;

export class ColumnWarnings {
  private values = 0;
  private whole = true;
  private numeric = true;
  private dated = true;
  private small: { line: number; text: string } | null = null;
  private readonly counts = new CountCells({ rule: 'any', skipEmpty: true });
  private readonly distinct = new Set<string>();

  constructor(readonly name: string) {}

  add(text: string, line: number): void {
    if (text === '') return;
    this.values++;
    if (this.distinct.size < MAX_DISTINCT) this.distinct.add(text);
    if (this.dated && !DATE_LIKE.test(text)) this.dated = false;
    if (this.numeric && numberOfText(text) === null) this.numeric = false;
    if (!this.whole) return;
    if (!WHOLE.test(text)) {
      this.whole = false;
      return;
    }
    const value = Number(text);
    if (this.small === null && value >= 1 && value <= ROUND_ZERO_AT_OR_BELOW) this.small = { line, text };
    this.counts.add(text, line, this.name);
  }

  warnings(): string[] {
    const column = `column ${quote(this.name)}`;
    const out: string[] = [];
    const identifier = IDENTIFIER_NAME.test(this.name);
    // An id is no count: its small numbers say nothing, its distinctness everything.
    if (this.values > 0 && this.whole && !identifier) {
      const misfit = this.counts.problems()[0];
      if (this.small !== null) {
        out.push(`${column}: whole numbers from 1 to ${ROUND_ZERO_AT_OR_BELOW}, such as ${quote(this.small.text)} on line ${this.small.line}: a count this small can identify patients`);
      } else if (misfit !== undefined) {
        out.push(`${column}: whole numbers that fit no released pattern, such as ${quote(misfit.text)} on line ${misfit.line}`);
      }
    }
    const countable = !this.dated && (!this.numeric || (this.whole && identifier));
    if (countable && this.values >= MIN_VALUES_FOR_IDENTIFIER && this.distinct.size >= IDENTIFIER_SHARE * this.values) {
      out.push(`${column}: ${this.distinct.size >= MAX_DISTINCT ? 'at least ' : ''}${this.distinct.size} of its ${this.values} values are distinct, as an identifier's would be`);
    }
    return out;
  }
}

/** Cells that a spreadsheet would run as a formula. */
export const FORMULA_START = /^[=+@]/;
