// The one way a value from a hand-written input is shown in a message: its kind and the value
// itself, shortened so a large one cannot flood the terminal.

import { quote } from '../errors.js';

const MAX_SHOWN = 60;

/** `the number 3`, `the text "abc"`, `the list ["a",1]`, `the object {"a":1}`, `true`, `null`, `nothing`. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return `the text ${quote(value, MAX_SHOWN)}`;
  if (Array.isArray(value)) return `the list ${excerpt(value)}`;
  if (typeof value === 'object') return `the object ${excerpt(value)}`;
  return String(value);
}

function excerpt(value: object): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}
