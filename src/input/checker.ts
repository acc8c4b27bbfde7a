// Runs a shape over one parsed input file and turns what it rejects into one UserError in the one
// message style: `<file>[, line N]: <key path>: <problem>`. A shape reports through a Place (where
// it is in the input); the checker decides whether the first problem stops the check (JSON inputs)
// or every problem is collected and shown at once (project.yaml).

import { UserError } from '../errors.js';
import { formatKeyPath, type KeyPath } from './key-path.js';
import { showValue } from './show-value.js';

/** How a shape reads one value: what it accepts, in a researcher's words, and how. */
export interface Shape<T> {
  /** What a valid value is: "a column name", "true or false", "one of "round" and "none"". */
  readonly expected: string;
  /** The value, checked and converted; a problem is reported through `place`. */
  read(value: unknown, place: Place): T;
  /** The JSON Schema (draft-07) of a valid value, for editors that complete and check the file. */
  jsonSchema(): JsonSchema;
}

export type JsonSchema = { [keyword: string]: unknown };

export interface CheckOptions {
  /** The input file, named in every message. */
  file: string;
  /** The line of the value at `path` or, when it is absent, of the nearest value holding it. */
  lineOf?: (path: KeyPath) => number | undefined;
  /** Show every problem at once (project.yaml) rather than stopping at the first. */
  collect?: boolean;
  /** A key given no value (YAML's `needs:`) counts as absent, so its default applies. */
  nullIsAbsent?: boolean;
  /** What the failure means for the command, added to the message: "nothing was run". */
  outcome?: string;
  /** Where the checked value sits, when it is one part of the file. */
  path?: KeyPath;
}

export interface Problem {
  path: KeyPath;
  line: number | undefined;
  text: string;
}

/** More problems than this are summarised: the first ones are usually the cause of the rest. */
const MAX_SHOWN = 12;

/** Thrown up through the shapes when a value is rejected; its problem is already recorded. */
export class Rejected {}

/** A place in the input: the path to a value and the check it belongs to. */
export class Place {
  constructor(
    readonly checker: InputChecker,
    readonly path: KeyPath,
  ) {}

  at(...keys: Array<string | number>): Place {
    return new Place(this.checker, [...this.path, ...keys]);
  }

  /** A problem with the value here that does not stop the value being used. */
  report(problem: string): void {
    this.checker.record(this.path, problem);
  }

  /** A problem that rejects the value here. */
  fail(problem: string): never {
    this.checker.record(this.path, problem);
    throw new Rejected();
  }

  /** Rejects `value`: `expected <what>, got <value>[; <hint>]`. */
  expected(what: string, value: unknown, hint?: string): never {
    return this.fail(`expected ${what}, got ${showValue(value)}${hint === undefined ? '' : `; ${hint}`}`);
  }
}

export class InputChecker {
  readonly problems: Problem[] = [];

  constructor(readonly options: CheckOptions) {}

  /** Where the checked value sits: the top of the input, unless `options.path` says otherwise. */
  get root(): Place {
    return new Place(this, this.options.path ?? []);
  }

  /** Records a problem; unless collecting, the first one ends the check at once. */
  record(path: KeyPath, text: string): void {
    const problem = { path, line: this.options.lineOf?.(path), text };
    if (!this.options.collect) throw this.error([problem]);
    this.problems.push(problem);
  }

  /** Reads the whole input with `shape`, throwing one UserError for every problem found. */
  read<T>(value: unknown, shape: Shape<T>): T {
    let result: T | undefined;
    try {
      result = shape.read(value, this.root);
    } catch (error) {
      if (!(error instanceof Rejected)) throw error;
    }
    if (this.problems.length > 0) throw this.error(this.problems);
    return result as T;
  }

  private error(problems: readonly Problem[]): UserError {
    const { file, outcome } = this.options;
    const [first] = problems;
    if (problems.length === 1 && first !== undefined) {
      const text = describeProblem(first);
      // After a question ("did you mean ...?") the outcome is a sentence of its own.
      const then = outcome === undefined ? '' : text.endsWith('?') ? ` ${outcome[0]!.toUpperCase()}${outcome.slice(1)}` : `; ${outcome}`;
      return new UserError(`${text}${then}`, { file, line: first.line });
    }
    const lines = problems.slice(0, MAX_SHOWN).map((p) => `  ${p.line === undefined ? '' : `line ${p.line}: `}${describeProblem(p)}`);
    if (problems.length > MAX_SHOWN) lines.push(`  and ${problems.length - MAX_SHOWN} more`);
    return new UserError(`${problems.length} problems${outcome === undefined ? '' : `; ${outcome}`}:\n${lines.join('\n')}`, { file });
  }
}

/** Checks `value`, parsed from `options.file`, against `shape`. */
export function checkInput<T>(value: unknown, shape: Shape<T>, options: CheckOptions): T {
  return new InputChecker(options).read(value, shape);
}

/**
 * Reads every item, so that when collecting, one rejected item does not hide the problems of the
 * next; the whole is rejected if any item was.
 */
export function readEach<T, U>(items: Iterable<T>, read: (item: T) => U): U[] {
  const results: U[] = [];
  let rejected = false;
  for (const item of items) {
    try {
      results.push(read(item));
    } catch (error) {
      if (!(error instanceof Rejected)) throw error;
      rejected = true;
    }
  }
  if (rejected) throw new Rejected();
  return results;
}

/**
 * A problem found after checking, when the input is compared with the data (a column no cohort
 * file has), in the same style.
 */
export function inputError(file: string | undefined, path: KeyPath, problem: string): UserError {
  return new UserError(describeProblem({ path, line: undefined, text: problem }), { file });
}

function describeProblem({ path, text }: Problem): string {
  return path.length === 0 ? text : `${formatKeyPath(path)}: ${text}`;
}
