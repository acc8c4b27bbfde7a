// What a released count looks like under each rule, so a file can be recognised as released (or
// not) from its cells alone: describe refuses measure files whose counts fit no pattern, and
// check and run test the count cells of every file whose layout says which cells are counts.

import { MIDPOINT6_STEP, ROUND_ZERO_AT_OR_BELOW, SMALL_NUMBER_THRESHOLD } from './rules.js';

/** The rules whose output can be released, each recognisable by its counts. */
export type ReleasePattern = 'round' | 'midpoint6' | 'suppress';

/** In order of preference when a file fits several: the one whose 0 means the least is assumed. */
export const RELEASE_PATTERNS: readonly ReleasePattern[] = ['round', 'midpoint6', 'suppress'];

const ROUND_MULTIPLE = 5;
const WHOLE_NUMBER = /^\d+$/;

/** What each pattern allows, for messages. */
export function describePattern(pattern: ReleasePattern): string {
  switch (pattern) {
    case 'round':
      return `0, or a multiple of ${ROUND_MULTIPLE} above ${ROUND_ZERO_AT_OR_BELOW}`;
    case 'midpoint6':
      return `0, or ${MIDPOINT6_STEP / 2} more than a multiple of ${MIDPOINT6_STEP}`;
    case 'suppress':
      return `empty, 0, or above ${SMALL_NUMBER_THRESHOLD}`;
  }
}

/** Whether a count cell's text is a count `pattern` could have released. */
export function fitsPattern(pattern: ReleasePattern, text: string): boolean {
  if (text === '') return pattern === 'suppress';
  if (!WHOLE_NUMBER.test(text)) return false;
  const count = BigInt(text);
  if (count === 0n) return true;
  switch (pattern) {
    case 'round':
      return count > BigInt(ROUND_ZERO_AT_OR_BELOW) && count % BigInt(ROUND_MULTIPLE) === 0n;
    case 'midpoint6':
      return count % BigInt(MIDPOINT6_STEP) === BigInt(MIDPOINT6_STEP / 2);
    case 'suppress':
      return count > BigInt(SMALL_NUMBER_THRESHOLD);
  }
}

/** The patterns a cell fits, in preference order. */
export function patternsOf(text: string): ReleasePattern[] {
  return RELEASE_PATTERNS.filter((pattern) => fitsPattern(pattern, text));
}

/** What a released 0 can stand for under `pattern`, for a note beside a chart; null where 0 is a true 0. */
export function meaningOfZero(pattern: ReleasePattern | null): string | null {
  return pattern === 'round' ? `0 to ${ROUND_ZERO_AT_OR_BELOW}` : null;
}
