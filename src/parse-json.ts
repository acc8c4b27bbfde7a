// Parses the JSON files a researcher writes (measure definitions, the describe config, dummy
// schemas), reporting a syntax error by file, line and column in one line, never by quoting the
// file back (V8's messages for some mistakes hold the whole text and no position).

import { UserError } from './errors.js';
import { jsonErrorOffset } from './json-error-offset.js';

/** The parsed JSON of `text` (read from `file`; a byte-order mark is allowed); `expected` says what an empty file should have held. */
export function parseJson(text: string, file: string, expected: string): unknown {
  const body = text.replace(/^\ufeff/, '');
  try {
    return JSON.parse(body);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    if (body.trim() === '') throw new UserError(`the file is empty: expected ${expected}`, { file });
    const offset = jsonErrorOffset(body);
    const before = body.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const reason = error.message
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '')
      // The unexpected character may be a line end: shown escaped, the message stays one line.
      .replace(/[\n\r\t]/g, (c) => JSON.stringify(c).slice(1, -1));
    throw new UserError(`not valid JSON at column ${column}: ${reason}`, { file, line });
  }
}
