// Reads a definitions file: turns unreadable files and JSON syntax errors into messages naming the
// file, line and column, then hands the parsed JSON to the checks in definitions.ts.

import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { checkDefinitions, type MeasureDefinitions } from './definitions.js';
import { jsonErrorOffset } from './json-error-offset.js';

export async function loadDefinitions(file: string): Promise<MeasureDefinitions> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError('definitions file not found', { file });
    if (code === 'EISDIR') throw new UserError('is a folder, expected a definitions file (.json)', { file });
    if (code === 'EACCES') throw new UserError('permission denied: cannot read the definitions file', { file });
    throw error;
  }
  return checkDefinitions(parseJson(text.replace(/^\ufeff/, ''), file), file);
}

/** Parses JSON, reporting a syntax error at its line and column. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    if (text.trim() === '') throw new UserError('the file is empty: expected a JSON object with a "measures" list', { file });
    const offset = jsonErrorOffset(text);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const reason = error.message.replace(/ in JSON at position \d+.*$/s, '').replace(/, (\.\.\.)?".*" is not valid JSON$/s, '');
    throw new UserError(`not valid JSON at column ${column}: ${reason}`, { file, line });
  }
}
