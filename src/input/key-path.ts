// Where a value sits in a hand-written input, written the way a researcher reads the file:
// `measures[2].group_by`, `dashboard.rows[0].charts[1]`, `variables["a b"]`.

import { quote } from '../errors.js';

/** Keys and list indexes (from 0) from the top of the input down to one value. */
export type KeyPath = ReadonlyArray<string | number>;

/** A key shown bare after a dot; any other key is quoted in brackets. */
const PLAIN_KEY = /^[A-Za-z0-9_$-]+$/;

/** `measures[2].group_by`; the empty path (the whole input) is the empty string. */
export function formatKeyPath(path: KeyPath): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (PLAIN_KEY.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${quote(key)}]`;
  }
  return text;
}
