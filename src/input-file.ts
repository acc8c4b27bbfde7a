// The small files a researcher writes by hand (measure definitions, describe config, dummy-data
// schemas, project.yaml): unreadable files and JSON syntax errors become messages naming the
// file, line and column, in the same words for every command.

import { readFile } from 'node:fs/promises';
import { UserError } from './errors.js';
import { jsonErrorOffset } from './json-error-offset.js';

/**
 * The text of an input file, without a byte-order mark. `what` names it in messages
 * ("definitions", "config"); `hint` says how to give another one.
 */
export async function readInputText(file: string, what: string, hint?: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).replace(/^\ufeff/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${what} file not found${hint === undefined ? '' : ` (${hint})`}`, { file });
    if (code === 'EISDIR') throw new UserError(`is a folder, expected a ${what} file`, { file });
    if (code === 'EACCES') throw new UserError(`permission denied: cannot read the ${what} file`, { file });
    throw error;
  }
}

/** Parses JSON, reporting a syntax error at its line and column; `expected` says what an empty file should have held. */
export function parseJson(text: string, file: string, expected: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    if (text.trim() === '') throw new UserError(`the file is empty: expected ${expected}`, { file });
    const offset = jsonErrorOffset(text);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const reason = error.message
      .replace(/ in JSON at position \d+.*$/s, '')
      // V8 quotes the text (or a cut-off excerpt, "..."...) for some mistakes: never repeated here.
      .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '')
      // The unexpected character may be a line end: shown escaped, the message stays one line.
      .replace(/[\n\r\t]/g, (c) => JSON.stringify(c).slice(1, -1));
    throw new UserError(`not valid JSON at column ${column}: ${reason}`, { file, line });
  }
}

/** A JSON input file, read and parsed. */
export async function readJsonInput(file: string, what: string, expected: string): Promise<unknown> {
  return parseJson(await readInputText(file, what), file, expected);
}
