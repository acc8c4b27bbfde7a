// Checks a folder of outputs meant for release (moderately_sensitive) against the rules every
// such output must keep, independently of the code that wrote them: file types and sizes, no
// patient_id column, no CSV over 5,000 rows, counts rounded to multiples of 5, and no page that
// would fetch anything from outside itself. Reusable by any stage's tests.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Papa from 'papaparse';

export interface ReleaseRules {
  /** File name endings allowed. */
  extensions: readonly string[];
  maxBytes: number;
  /** Data rows (not counting the header). */
  maxCsvRows: number;
  /** Statistics whose values are counts of patients, so must be blank or a multiple of `countMultiple`. */
  countStatistics: readonly string[];
  countMultiple: number;
  /** When set, every `statistic` cell must be one of these. */
  statistics?: readonly string[];
}

export const RELEASE_RULES: ReleaseRules = {
  extensions: ['.csv', '.html', '.json'],
  maxBytes: 16 * 1024 * 1024,
  maxCsvRows: 5000,
  countStatistics: ['count', 'missing'],
  countMultiple: 5,
  statistics: ['count', 'missing', 'percent', 'mean', 'sd', 'p25', 'median', 'p75'],
};

/** Every problem found under `dir`, as "relative/path: problem"; empty when all is well. */
export function scanReleaseFolder(dir: string, rules: ReleaseRules = RELEASE_RULES): string[] {
  const problems: string[] = [];
  for (const path of filesUnder(dir)) {
    const name = relative(dir, path);
    const report = (problem: string) => problems.push(`${name}: ${problem}`);
    if (!rules.extensions.some((ext) => path.toLowerCase().endsWith(ext))) report(`file type not allowed (only ${rules.extensions.join(', ')})`);
    const { size } = statSync(path);
    if (size > rules.maxBytes) report(`${size} bytes, over the ${rules.maxBytes}-byte limit`);
    const lower = path.toLowerCase();
    if (lower.endsWith('.csv')) scanCsv(readFileSync(path, 'utf8'), rules, report);
    else if (lower.endsWith('.html')) for (const fetch of fetchesOfPage(readFileSync(path, 'utf8'))) report(`the page would fetch ${fetch}`);
    else if (lower.endsWith('.json')) {
      try {
        JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        report('not valid JSON');
      }
    }
  }
  return problems;
}

function scanCsv(text: string, rules: ReleaseRules, report: (problem: string) => void): void {
  const parsed = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { skipEmptyLines: true });
  const [header = [], ...rows] = parsed.data;
  if (header.some((name) => name.trim().toLowerCase() === 'patient_id')) report('has a patient_id column');
  if (rows.length > rules.maxCsvRows) report(`${rows.length} rows, over the ${rules.maxCsvRows}-row limit`);
  const statistic = header.indexOf('statistic');
  const value = header.indexOf('value');
  if (statistic < 0 || value < 0) return;
  rows.forEach((row, i) => {
    const line = i + 2;
    const name = row[statistic] ?? '';
    const cell = row[value] ?? '';
    if (rules.statistics && !rules.statistics.includes(name)) report(`line ${line}: statistic ${JSON.stringify(name)} is not one of ${rules.statistics.join(', ')}`);
    if (rules.countStatistics.includes(name) && cell !== '' && !(/^\d+$/.test(cell) && Number(cell) % rules.countMultiple === 0)) {
      report(`line ${line}: ${name} ${JSON.stringify(cell)} is not blank or a multiple of ${rules.countMultiple}`);
    }
  });
}

/**
 * What a page would load from elsewhere, found statically: any script, stylesheet, frame,
 * embedded object or media element, any src/srcset/poster/data/background attribute, an href
 * other than on a link (<a>) or to a fragment, CSS url() other than a fragment or data: URI,
 * @import, and a meta refresh. Attributes are read as attributes, so text inside a quoted value
 * (a tooltip reading `src="x"`) is not mistaken for one; a start tag whose attributes do not
 * parse is reported, since a browser might read it otherwise.
 */
export function fetchesOfPage(html: string): string[] {
  const found: string[] = [];
  for (const match of html.matchAll(/<(script|link|iframe|frame|object|embed|img|image|video|audio|source|track|portal|base)\b[^>]*>/gi)) found.push(`a <${match[1]!.toLowerCase()}> element: ${match[0].slice(0, 80)}`);
  for (const [tag, element] of html.matchAll(/<([a-z][\w:-]*)(?:"[^"]*"|'[^']*'|[^'">])*>/gi)) {
    const parsed = START_TAG.exec(tag);
    if (parsed === null) {
      found.push(`a start tag whose attributes do not parse: ${tag.slice(0, 80)}`);
      continue;
    }
    for (const [, name, value = ''] of parsed[1]!.matchAll(ATTRIBUTE)) {
      const target = value.replace(/^["']|["']$/g, '');
      if (/^(src|srcset|poster|data|background)$/i.test(name!)) found.push(`${name}=${value} on <${element}>`);
      else if (/^(xlink:)?href$/i.test(name!) && element!.toLowerCase() !== 'a' && !target.startsWith('#')) found.push(`${name}=${value} on <${element}>`);
    }
  }
  for (const match of html.matchAll(/url\(\s*(["']?)([^"')]*)\1\s*\)/gi)) {
    const target = match[2]!.replaceAll('&quot;', '').trim();
    if (!target.startsWith('#') && !target.startsWith('data:')) found.push(`url(${match[2]})`);
  }
  if (/@import/i.test(html)) found.push('a CSS @import');
  if (/<meta[^>]+http-equiv\s*=\s*["']?refresh/i.test(html)) found.push('a meta refresh');
  return found;
}

/** A start tag: its name, then attributes with quoted, unquoted or no values. */
const START_TAG = /^<[a-z][\w:-]*((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>$/i;
const ATTRIBUTE = /\s([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g;

function filesUnder(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}
