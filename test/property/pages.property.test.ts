// Property: any text from the data or the config (group values and group column names, the
// numerator and denominator names, chart titles and y titles, the dashboard's title, column
// headings and row titles) appears in describe's pages as text, never as markup: stripped of its
// well-formed tags the page holds no "<", no tag is a script, image, frame or other fetching or
// running element, no attribute is an event handler, and the text, unescaped, reads as given.
// Cohort values (the levels of the descriptive tables) never reach a page at all.

import { describe as group, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDescribe } from '../../src/describe/describe.js';
import { pageProblems } from '../../src/release/check/page-check.js';
import { tempDir } from '../helpers.js';

const ATTACKS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '</title><script>alert(1)</script>',
  '</style><iframe src="https://example.com">',
  '<!-- x --> <![CDATA[ x ]]>',
  '&lt;b&gt; &amp;amp; &#60;i&#62;',
  'javascript:alert(1)',
];
const PIECES = ['<', '>', '"', "'", '&', '/', '=', ' ', 'x', 'é', 'script', 'onerror', 'img', ';', '#', '`'];
/** Hostile text: a known attack, or a random mix of markup characters (with a letter, so it is never blank). */
const hostile = fc.oneof(fc.constantFrom(...ATTACKS), fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 12 }).map((parts) => `x${parts.join('')}`));

const scenario = fc.record({
  groups: fc.uniqueArray(hostile, { minLength: 1, maxLength: 3 }),
  groupColumn: hostile,
  numerator: hostile,
  denominator: hostile,
  title: hostile,
  yTitle: hostile,
  dashboardTitle: hostile,
  heading: hostile,
  rowTitle: hostile,
  level: hostile,
});

/** A tag as the pages write them: a name, then attributes with double-quoted values (or none). */
const TAG = /<\/?([a-zA-Z][\w:-]*)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*\/?>/g;
const BANNED = new Set(['script', 'img', 'iframe', 'frame', 'object', 'embed', 'link', 'base', 'image', 'video', 'audio', 'source', 'foreignobject', 'form', 'input', 'button']);

function decode(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name]!);
}

/** What is wrong with a page as markup, and its text with the tags removed and entities decoded. */
function inspect(page: string): { problems: string[]; text: string } {
  const problems: string[] = [];
  const body = page.replace(/<style>[^<]*<\/style>/, '<style></style>');
  for (const [, name, attributes] of body.matchAll(TAG)) {
    if (BANNED.has(name!.toLowerCase())) problems.push(`a <${name}> element`);
    for (const [, attribute] of attributes!.matchAll(/\s([\w:-]+)(?:="[^"]*")?/g)) if (/^on/i.test(attribute!)) problems.push(`an ${attribute} attribute on <${name}>`);
  }
  const rest = body.replace(/<!doctype html>/i, '').replace(/^<\?xml [^>]*\?>/, '').replace(TAG, '\n');
  if (rest.includes('<')) problems.push(`markup that is not a well-formed tag: ${rest.slice(rest.indexOf('<'), rest.indexOf('<') + 60)}`);
  problems.push(...pageProblems(page).map((p) => `line ${p.line}: ${p.problem}`));
  return { problems, text: decode(rest) };
}

group('describe pages (property)', () => {
  it('show any text from the data or the config as text, never as markup', async () => {
    const base = tempDir();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        fc.pre(new Set([s.groupColumn, s.numerator, s.denominator]).size === 3 && ![s.groupColumn, s.numerator, s.denominator].some((c) => c === 'value' || c === 'date'));
        const dir = join(base, String(run++));
        mkdirSync(join(dir, 'in'), { recursive: true });
        mkdirSync(join(dir, 'm'), { recursive: true });
        const cohort = [['patient_id', 'kind'], ...Array.from({ length: 20 }, (_, i) => [String(i), i % 2 ? `cohortlevel${s.level}` : 'plain'])];
        writeFileSync(join(dir, 'in', 'input_2020-01-01.csv'), `${Papa.unparse(cohort, { newline: '\n' })}\n`);
        const rows = [[s.groupColumn, s.numerator, s.denominator, 'value', 'date']];
        // Counts as "round" releases them (describe charts nothing else).
        s.groups.forEach((g, i) => ['2020-01-01', '2020-02-01'].forEach((date, m) => rows.push([g, String(10 * (i + m)), '100', String((i + m) / 10), date])));
        writeFileSync(join(dir, 'm', 'measure_x.csv'), `${Papa.unparse(rows, { newline: '\n' })}\n`);
        const config = {
          charts: { x: { title: s.title, y_title: s.yTitle } },
          dashboard: { title: s.dashboardTitle, columns: [s.heading], rows: [{ title: s.rowTitle, charts: ['x'] }] },
        };
        writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
        await runDescribe({ cohort: join(dir, 'in/*.csv'), measures: join(dir, 'm/*.csv'), tablesDir: join(dir, 't'), graphsDir: join(dir, 'g'), config: join(dir, 'config.json'), jobs: 1, progress: false });

        const shown = {
          'x.html': [s.title, s.yTitle, s.numerator, s.denominator, s.groupColumn, ...s.groups],
          'dashboard.html': [s.dashboardTitle, s.heading, s.rowTitle, s.title, ...s.groups],
          'x.svg': [s.title, s.yTitle],
        };
        expect(readdirSync(join(dir, 'g')).sort()).toEqual(['dashboard.html', 'x.html', 'x.svg', 'x.vl.json']);
        for (const [name, texts] of Object.entries(shown)) {
          const { problems, text } = inspect(readFileSync(join(dir, 'g', name), 'utf8'));
          expect(problems, name).toEqual([]);
          // Compared with white space collapsed: SVG text drops a trailing space.
          const squeeze = (t: string) => t.replace(/\s+/g, ' ').trim();
          for (const expected of texts) expect(squeeze(text), `${name} shows ${JSON.stringify(expected)}`).toContain(squeeze(expected));
          expect(text).not.toContain('cohortlevel');
        }
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 100 },
    );
  });
});
