// Reads a definitions file: turns unreadable files and JSON syntax errors into messages naming the
// file, line and column, then hands the parsed JSON to the checks in definitions.ts.

import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { checkDefinitions, type MeasureDefinitions } from './definitions.js';
import { parseJson } from '../parse-json.js';

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
  return checkDefinitions(parseJson(text, file, 'a JSON object with a "measures" list'), file);
}
