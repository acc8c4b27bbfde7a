// Splits a `run:` line into words as a POSIX shell would for quoting only: spaces separate words,
// '...' is literal, "..." allows \" \\ \$ \` escapes, a backslash outside quotes escapes the next
// character. There is no shell: no variables, globs, pipes or redirections.

export class TokenizeError extends Error {}

export function tokenize(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new TokenizeError(`unterminated ' quote starting at character ${i + 1}`);
      word += line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) j++;
        word += line[j];
      }
      if (j >= line.length) throw new TokenizeError(`unterminated " quote starting at character ${i + 1}`);
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new TokenizeError('a backslash at the end of the line escapes nothing');
      word += line[++i];
    } else {
      word += c;
    }
  }
  if (inWord) words.push(word);
  return words;
}
