// The small files a researcher writes by hand (measure definitions, describe config, dummy-data
// schemas, project.yaml): unreadable files and JSON syntax errors become messages naming the
// file, line and column, in the same words for every command.

import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { parseJson } from './parse-json.js';

/**
 * The text of an input file, without a byte-order mark. `what` names it in messages
 * ("definitions", "config"); `hint` says how to give another one.
 */
export async function readInputText(file: string, what: string, hint?: string): Promise<string> {
  const text = await readOptionalInputText(file, what);
  if (text === null) throw new UserError(`${what} file not found${hint === undefined ? '' : ` (${hint})`}`, { file });
  return text;
}

/** The text of an input file that may be absent: null when there is no such file. */
export async function readOptionalInputText(file: string, what: string): Promise<string | null> {
  try {
    return (await readFile(file, 'utf8')).replace(/^\ufeff/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR') throw new UserError(`is a folder, expected a ${what} file`, { file });
    if (code === 'EACCES') throw new UserError(`permission denied: cannot read the ${what} file`, { file });
    throw error;
  }
}

/** A JSON input file, read and parsed. */
export async function readJsonInput(file: string, what: string, expected: string): Promise<unknown> {
  return parseJson(await readInputText(file, what), file, expected);
}
