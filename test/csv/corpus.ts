// The CSV edge cases every reader in analyse must get right. Valid cases list the rows expected
// (header first); invalid ones the line and a fragment of the message. Shared by the scanner,
// reader and join tests, and run over whole strings and over tiny chunks.

export interface ValidCase {
  name: string;
  csv: string | Buffer;
  rows: string[][];
  /** Whether papaparse agrees (it differs on blank lines and a few lenient cases). */
  papaparseAgrees?: boolean;
}

export interface InvalidCase {
  name: string;
  csv: string | Buffer;
  line: number;
  message: RegExp;
}

export const validCases: ValidCase[] = [
  { name: 'LF line ends', csv: 'a,b\n1,2\n3,4\n', rows: [['a', 'b'], ['1', '2'], ['3', '4']] },
  { name: 'CRLF line ends', csv: 'a,b\r\n1,2\r\n3,4\r\n', rows: [['a', 'b'], ['1', '2'], ['3', '4']] },
  { name: 'a UTF-8 byte-order mark', csv: '\ufeffa,b\n1,2\n', rows: [['a', 'b'], ['1', '2']] },
  { name: 'a byte-order mark and CRLF', csv: '\ufeffa,b\r\n1,2\r\n', rows: [['a', 'b'], ['1', '2']] },
  { name: 'no newline at the end', csv: 'a,b\n1,2', rows: [['a', 'b'], ['1', '2']] },
  { name: 'a header only', csv: 'a,b\n', rows: [['a', 'b']] },
  { name: 'a header only, without newline', csv: 'a,b', rows: [['a', 'b']] },
  { name: 'a comma inside quotes', csv: 'a,b\n"x,y",2\n', rows: [['a', 'b'], ['x,y', '2']] },
  { name: 'doubled quotes inside quotes', csv: 'a,b\n"say ""hi""",2\n', rows: [['a', 'b'], ['say "hi"', '2']] },
  { name: 'a field that is one quote', csv: 'a\n""""\n', rows: [['a'], ['"']] },
  { name: 'a newline inside quotes', csv: 'a,b\n"line 1\nline 2",2\n', rows: [['a', 'b'], ['line 1\nline 2', '2']] },
  { name: 'CRLF inside quotes', csv: 'a,b\r\n"line 1\r\nline 2",2\r\n', rows: [['a', 'b'], ['line 1\r\nline 2', '2']] },
  { name: 'empty cells', csv: 'a,b,c\n,,\n1,,3\n', rows: [['a', 'b', 'c'], ['', '', ''], ['1', '', '3']] },
  { name: 'quoted empty cells', csv: 'a,b\n"",""\n', rows: [['a', 'b'], ['', '']] },
  { name: 'a quoted last field without newline', csv: 'a,b\n1,"x"', rows: [['a', 'b'], ['1', 'x']] },
  { name: 'quoted header names', csv: '"patient_id","a,b"\n1,2\n', rows: [['patient_id', 'a,b'], ['1', '2']] },
  { name: 'non-ASCII text', csv: 'région,名前\nÎle-de-France,日本語 ✓\n', rows: [['région', '名前'], ['Île-de-France', '日本語 ✓']] },
  { name: 'spaces kept as they are', csv: 'a,b\n x ,"y "\n', rows: [['a', 'b'], [' x ', 'y ']] },
  { name: 'a lone CR inside a field is data', csv: 'a,b\nx\ry,2\n', rows: [['a', 'b'], ['x\ry', '2']] },
  { name: 'a quote inside an unquoted field is data', csv: 'a,b\nx"y,2\n', rows: [['a', 'b'], ['x"y', '2']] },
  {
    name: 'blank lines between and after rows are skipped',
    csv: 'a,b\n1,2\n\n3,4\n\n',
    rows: [['a', 'b'], ['1', '2'], ['3', '4']],
    papaparseAgrees: false,
  },
  { name: 'a blank line in a one-column file is an empty cell', csv: 'a\n1\n\n2\n', rows: [['a'], ['1'], [''], ['2']] },
  { name: 'a long field', csv: `a,b\n${'x'.repeat(5000)},"${'y,'.repeat(3000)}"\n`, rows: [['a', 'b'], ['x'.repeat(5000), 'y,'.repeat(3000)]] },
  { name: 'a replacement character written in the file is text like any other', csv: 'a,b\n\ufffd,"x\ufffd"\n', rows: [['a', 'b'], ['\ufffd', 'x\ufffd']] },
  { name: 'four-byte UTF-8 characters', csv: 'a,b\n😀,"𝔸,😀"\n', rows: [['a', 'b'], ['😀', '𝔸,😀']] },
];

export const invalidCases: InvalidCase[] = [
  { name: 'an empty file', csv: '', line: 1, message: /empty/ },
  { name: 'a file holding only a byte-order mark', csv: '\ufeff', line: 1, message: /empty/ },
  { name: 'an empty header line', csv: '\na,b\n1,2\n', line: 1, message: /header line is empty/ },
  { name: 'a short ragged row', csv: 'a,b,c\n1,2,3\n4,5\n', line: 3, message: /expected 3 fields.*found 2/ },
  { name: 'a long ragged row', csv: 'a,b\n1,2,3\n', line: 2, message: /expected 2 fields.*found 3/ },
  { name: 'a ragged row after a quoted newline', csv: 'a,b\n"x\ny",1\n2\n', line: 4, message: /expected 2 fields/ },
  { name: 'a ragged last row without newline', csv: 'a,b\n1,2\n3', line: 3, message: /expected 2 fields/ },
  { name: 'an unterminated quote', csv: 'a,b\n1,2\n3,"open\n4,5\n', line: 3, message: /unterminated quote/ },
  { name: 'text after a closing quote', csv: 'a,b\n"x"y,2\n', line: 2, message: /after the closing quote/ },
  {
    name: 'an unterminated quote opened after a quoted newline, on the line it opens',
    csv: 'a,b\n"x\ny","open\n1,2\n',
    line: 3,
    message: /unterminated quote.*field 2 opens a quote on this line.*end of the file \(line 4\)/,
  },
  {
    name: 'a quote closed lines later and followed by text, on the line it opens',
    csv: 'a,b\n1,"open\n2,3\n4,"5",6\n',
    line: 2,
    message: /quoted field 2 that opens on this line runs to line 4, where "5" follows its closing quote/,
  },
  { name: 'a cell that is Latin-1, not UTF-8', csv: Buffer.from('a,b\n1,2\ncaf\xe9,3\n', 'latin1'), line: 3, message: /column "a" is not valid UTF-8 text: "caf\\xE9"/ },
  { name: 'a quoted cell ending in a cut UTF-8 sequence', csv: Buffer.concat([Buffer.from('a,b\n"x'), Buffer.of(0xc3), Buffer.from('",1\n')]), line: 2, message: /column "a" is not valid UTF-8 text: "x\\xC3"/ },
  { name: 'a header name that is not UTF-8', csv: Buffer.from('a,r\xe9gion\n1,2\n', 'latin1'), line: 1, message: /field 2 of the header is not valid UTF-8 text: "r\\xE9gion"/ },
];

/** `text` as chunks of `size` bytes (a multi-byte character may be split, as a stream would). */
export function chunksOf(text: string | Buffer, size: number): Buffer[] {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

/** Whole input, then chunks of 1 to 7 bytes. */
export const CHUNKINGS: Array<{ label: string; split(text: string | Buffer): Buffer[] }> = [
  { label: 'whole', split: (text) => [typeof text === 'string' ? Buffer.from(text) : text] },
  ...[1, 2, 3, 4, 5, 6, 7].map((size) => ({ label: `${size}-byte chunks`, split: (text: string | Buffer) => chunksOf(text, size) })),
];
