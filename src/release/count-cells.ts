// Tests the count cells of one file against the released-count patterns: either one rule given
// (`analyse check --rule`), or any one pattern, the same for every count of the file (describe,
// and `analyse run`, which must not fail a study that uses "midpoint6" or "suppress" throughout).

import { quote } from '../errors.js';
import { RELEASE_PATTERNS, describePattern, fitsPattern, type ReleasePattern } from './patterns.js';

/** A count cell that breaks the rule, where it is. */
export interface CountProblem {
  line: number;
  column: string;
  text: string;
  reason: string;
}

/** Cells reported per column; the rest are counted in one more problem. */
export const MAX_CELLS_REPORTED = 20;

export interface CountCellsOptions {
  /** One rule every count must fit, or `any`: every count must fit the same one, whichever it is. */
  rule: ReleasePattern | 'any';
  /** Empty cells hide a value, so cannot give one away: skip them (check, run) or test them as the patterns say (describe). */
  skipEmpty: boolean;
}

interface Violations {
  total: number;
  /** The first few, per column, each with its place among all the cells added. */
  shown: Map<string, Array<CountProblem & { order: number }>>;
  /** Per column, how many were not kept. */
  more: Map<string, number>;
}

export class CountCells {
  private readonly candidates: readonly ReleasePattern[];
  private readonly violations = new Map<ReleasePattern, Violations>();
  /** Cells that fit no pattern at all: reported whatever pattern the rest fit. */
  private readonly misfits: Violations = emptyViolations();
  private added = 0;

  constructor(private readonly options: CountCellsOptions) {
    this.candidates = options.rule === 'any' ? RELEASE_PATTERNS : [options.rule];
    for (const pattern of this.candidates) this.violations.set(pattern, emptyViolations());
  }

  add(text: string, line: number, column: string): void {
    if (text === '' && this.options.skipEmpty) return;
    const order = this.added++;
    let fitsAny = false;
    for (const pattern of this.candidates) {
      if (fitsPattern(pattern, text)) fitsAny = true;
      else record(this.violations.get(pattern)!, { line, column, text, reason: '', order });
    }
    if (!fitsAny && this.options.rule === 'any') record(this.misfits, { line, column, text, reason: '', order });
  }

  /** The first pattern every count fits (a file of no counts fits the first); null if none does. */
  pattern(): ReleasePattern | null {
    return this.candidates.find((pattern) => this.violations.get(pattern)!.total === 0) ?? null;
  }

  /** What breaks the rule: nothing when a pattern fits every count. */
  problems(): CountProblem[] {
    if (this.pattern() !== null) return [];
    const rule = this.options.rule;
    if (rule !== 'any') return listed(this.violations.get(rule)!, (text) => `${quote(text)} is not a count released under "${rule}" (${describePattern(rule)})`);
    if (this.misfits.total > 0) {
      const all = RELEASE_PATTERNS.map((p) => `"${p}" (${describePattern(p)})`).join(', ');
      return listed(this.misfits, (text) => `${quote(text)} is not a released count: it fits none of the patterns ${all}`);
    }
    // Every cell fits some pattern, but no one pattern fits them all: the best fit names the odd ones out.
    const best = RELEASE_PATTERNS.reduce((a, b) => (this.violations.get(b)!.total < this.violations.get(a)!.total ? b : a));
    return listed(
      this.violations.get(best)!,
      (text) => `${quote(text)} breaks "${best}" (${describePattern(best)}), which the file's other counts fit; every count of a file must fit one released pattern`,
    );
  }
}

function emptyViolations(): Violations {
  return { total: 0, shown: new Map(), more: new Map() };
}

function record(violations: Violations, problem: CountProblem & { order: number }): void {
  violations.total++;
  const shown = violations.shown.get(problem.column) ?? [];
  if (shown.length < MAX_CELLS_REPORTED) {
    shown.push(problem);
    violations.shown.set(problem.column, shown);
  } else violations.more.set(problem.column, (violations.more.get(problem.column) ?? 0) + 1);
}

/** The problems in the order their cells were added (line by line, column by column). */
function listed(violations: Violations, reason: (text: string) => string): CountProblem[] {
  const problems: Array<CountProblem & { order: number }> = [];
  for (const [column, shown] of violations.shown) {
    for (const { order, ...cell } of shown) problems.push({ ...cell, reason: reason(cell.text), order });
    const more = violations.more.get(column);
    if (more !== undefined) {
      const last = shown[shown.length - 1]!;
      problems.push({ line: last.line, column, text: '', reason: `and ${more} more count${more === 1 ? '' : 's'} like these after this line`, order: last.order + 0.5 });
    }
  }
  return problems.sort((a, b) => a.order - b.order).map(({ order: _order, ...problem }) => problem);
}
