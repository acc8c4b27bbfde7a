// The small files a researcher writes by hand (measure definitions, describe config, dummy-data
// schemas, project.yaml): unreadable files and JSON syntax errors become messages naming the
// file, line and column, in the same words for every command.

import { readInputFile, readOptionalInputFile } from '../io/input-file.js';
import { parseJson } from './parse-json.js';

/**
 * The text of an input file, without a byte-order mark. `what` names it in messages
 * ("definitions", "config"); `hint` says how to give another one. A missing file, a folder or a
 * named pipe is refused in the words of io/input-file.ts, the same for every input.
 */
export async function readInputText(file: string, _what: string, hint?: string): Promise<string> {
  return (await readInputFile(file, hint)).replace(/^\ufeff/, '');
}

/** The text of an input file that may be absent: null when there is no such file. */
export async function readOptionalInputText(file: string, _what: string): Promise<string | null> {
  return (await readOptionalInputFile(file))?.replace(/^\ufeff/, '') ?? null;
}

/** A JSON input file, read and parsed. */
export async function readJsonInput(file: string, what: string, expected: string): Promise<unknown> {
  return parseJson(await readInputText(file, what), file, expected);
}
