// Checks one file as an output checker would before release: its type and size, then by type:
// a CSV's columns and cells, a page's (HTML, SVG) self-containment, and the NOT FOR RELEASE mark
// on any text.

import { open, readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MAX_RELEASE_BYTES, RELEASABLE_TYPES } from '../limits.js';
import { NOT_FOR_RELEASE } from '../marker.js';
import type { ReleasePattern } from '../patterns.js';
import { checkCsv } from './csv-check.js';
import type { Findings } from './findings.js';
import { pageProblems } from './page-check.js';

export interface CheckOptions {
  /** The rule every count must fit, or `any`: one pattern per file, whichever it is (analyse run). */
  rule: ReleasePattern | 'any';
}

export interface FileReport extends Findings {
  /** The file as the user named it (or as found under a folder they named). */
  path: string;
}

const PAGE_TYPES = ['.html', '.svg', '.svgz'];
const TEXT_TYPES = ['.csv', '.json', '.txt', '.md', '.log', ...PAGE_TYPES];
/** The mark is looked for this far into a file: describe writes it at the very top. */
const MARK_WITHIN = 4096;
/** A compressed SVG may not unpack to more than this. */
const MAX_UNPACKED_BYTES = 4 * MAX_RELEASE_BYTES;

export async function checkFile(file: string, shownAs: string, options: CheckOptions): Promise<FileReport> {
  const report: FileReport = { path: shownAs, problems: [], warnings: [] };
  const type = extname(file).toLowerCase();
  if (!RELEASABLE_TYPES.includes(type)) {
    const what = type === '' ? 'a file without an extension' : `${quoteType(type)} files`;
    report.problems.push(`${what} cannot be released (only ${RELEASABLE_TYPES.join(' ')})`);
    return report;
  }
  const { size } = await stat(file);
  if (size > MAX_RELEASE_BYTES) {
    report.problems.push(`it is ${(size / 2 ** 20).toFixed(2)} MiB, over the ${MAX_RELEASE_BYTES / 2 ** 20} MiB limit`);
    return report;
  }
  if (TEXT_TYPES.includes(type)) {
    const mark = await markLine(file, type);
    if (mark !== null) report.problems.push(`line ${mark}: marked ${NOT_FOR_RELEASE}`);
  }
  // An empty file holds nothing to release (and is no CSV to read).
  if (type === '.csv' && size > 0) {
    const found = await checkCsv(file, options.rule);
    report.problems.push(...found.problems);
    report.warnings.push(...found.warnings);
  } else if (PAGE_TYPES.includes(type)) {
    const text = await pageText(file, type, report);
    if (text !== null) for (const { line, problem } of pageProblems(text)) report.problems.push(`line ${line}: ${problem}`);
  } else if (type === '.json') {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      report.warnings.push('not valid JSON');
    }
    if (hasPatientKey(json)) report.problems.push('a patient_id field holds patient-level data');
  }
  return report;
}

/** Whether any object in the JSON has a patient_id key (records of patients, as a spec's data could be). */
function hasPatientKey(json: unknown): boolean {
  const stack = [json];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) stack.push(...(value as unknown[]));
    else {
      for (const [key, inner] of Object.entries(value)) {
        if (key.trim().toLowerCase() === 'patient_id') return true;
        stack.push(inner);
      }
    }
  }
  return false;
}

async function pageText(file: string, type: string, report: FileReport): Promise<string | null> {
  const bytes = await readFile(file);
  if (type !== '.svgz') return bytes.toString('utf8');
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_UNPACKED_BYTES }).toString('utf8');
  } catch {
    report.problems.push(`not a gzip-compressed SVG that unpacks to at most ${MAX_UNPACKED_BYTES / 2 ** 20} MiB, so it cannot be checked`);
    return null;
  }
}

/** The line within the first few KiB that carries the NOT FOR RELEASE mark, or null. */
async function markLine(file: string, type: string): Promise<number | null> {
  let head: string;
  if (type === '.svgz') {
    try {
      head = gunzipSync(await readFile(file), { maxOutputLength: MAX_UNPACKED_BYTES }).subarray(0, MARK_WITHIN).toString('utf8');
    } catch {
      return null;
    }
  } else {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(MARK_WITHIN);
      const { bytesRead } = await handle.read(buffer, 0, MARK_WITHIN, 0);
      head = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  }
  const at = head.indexOf(NOT_FOR_RELEASE);
  return at < 0 ? null : head.slice(0, at).split('\n').length;
}

function quoteType(type: string): string {
  return JSON.stringify(type);
}
