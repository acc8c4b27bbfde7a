// JSON from a hand-written file: a syntax error becomes a message naming the line and column
// where the text stops being valid JSON (JSON.parse gives a position for some mistakes and none
// for others, so the position is found here).

import { UserError } from '../errors.js';

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

/** The offset of the first character at which `text` cannot be valid JSON (text.length if it ends too soon). */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (at: number): never => {
    throw new Stop(at);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (text[i] !== char) fail(i);
      i++;
    }
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail(i);
      const char = text[i]!;
      if (char === '"') return void i++;
      if (char < ' ') fail(i);
      if (char === '\\') {
        const escape = text[i + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(i);
          i += 6;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) i += 2;
        else fail(i);
      } else i++;
    }
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail(i);
    i += match![0].length;
  };
  const value = (): void => {
    space();
    const char = text[i];
    if (char === undefined) fail(i);
    if (char === '{') return list('}', true);
    if (char === '[') return list(']', false);
    if (char === '"') return string();
    if (char === 't') return literal('true');
    if (char === 'f') return literal('false');
    if (char === 'n') return literal('null');
    return number();
  };
  const list = (close: string, isObject: boolean): void => {
    i++;
    space();
    if (text[i] === close) return void i++;
    for (;;) {
      if (isObject) {
        space();
        if (text[i] !== '"') fail(i);
        string();
        space();
        if (text[i] !== ':') fail(i);
        i++;
      }
      value();
      space();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === close) return void i++;
      fail(i);
    }
  };
  try {
    value();
    space();
    return i < text.length ? i : text.length;
  } catch (error) {
    if (error instanceof Stop) return error.offset;
    throw error;
  }
}

class Stop {
  constructor(readonly offset: number) {}
}
