// Whether a page (HTML or SVG) is self-contained and inert, found statically: anything it would
// load from outside itself (a script, stylesheet, image, font, frame or refresh, by URL or by
// file path) or any script it would run (a script element, an on* handler, a javascript: URL, a
// CSS expression) is a problem. Links to other pages (<a href>) are fine: they load only when
// followed. Attributes are read as attributes, with entities decoded, so text inside a quoted
// value (a tooltip reading `src="x"`) is not mistaken for one, and `&#106;avascript:` is seen
// for what it is; a start tag whose attributes do not parse is reported, as a browser might read
// it otherwise. What cannot be told apart is reported: this errs on the side of a problem.

export interface PageProblem {
  line: number;
  problem: string;
}

/** Elements that load or run something by being there. */
const LOADING_ELEMENTS = /<(?:[\w-]+:)?(script|link|iframe|frame|frameset|object|embed|applet|base|portal|handler)(?![\w-])[^>]*>?/gi;
/** Any tag: its name and its attribute text, skipping over quoted values. */
const TAG = /<([a-zA-Z][\w:.-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>/g;
const ATTRIBUTES = /^(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*\/?$/;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g;
/** Attributes whose value is fetched as the page loads. */
const FETCHING = new Set(['src', 'srcset', 'poster', 'data', 'background', 'lowsrc', 'dynsrc', 'codebase', 'archive', 'manifest', 'icon']);
/** Attributes whose value a browser may follow as a URL (SVG animations can set an href: values, to, from, by). */
const URL_VALUED = new Set([...FETCHING, 'href', 'xlink:href', 'action', 'formaction', 'ping', 'cite', 'values', 'to', 'from', 'by']);
const STYLE_BLOCK = /<style\b[^>]*>([\s\S]*?)(?:<\/style\s*>|$)/gi;

export function pageProblems(text: string): PageProblem[] {
  const lines = lineStarts(text);
  const found = new Map<string, PageProblem>();
  const report = (at: number, problem: string) => {
    const line = lineAt(lines, at);
    found.set(`${line}\u0000${problem}`, { line, problem });
  };

  for (const match of text.matchAll(LOADING_ELEMENTS)) {
    const element = match[1]!.toLowerCase();
    const what = element === 'script' || element === 'handler' ? 'runs script' : 'loads from outside the page';
    report(match.index, `${what}: a <${element}> element: ${shorten(match[0])}`);
  }
  for (const match of text.matchAll(TAG)) {
    const element = match[1]!.toLowerCase().replace(/^[\w-]+:/, '');
    const attributeText = match[2]!;
    if (!ATTRIBUTES.test(attributeText)) {
      report(match.index, `a start tag whose attributes do not parse, which a browser might read otherwise: ${shorten(match[0])}`);
      continue;
    }
    for (const [, rawName, rawValue] of attributeText.matchAll(ATTRIBUTE)) {
      const name = rawName!.toLowerCase();
      const value = rawValue === undefined ? '' : decodeEntities(rawValue.replace(/^["']|["']$/g, ''));
      const problem = attributeProblem(element, name, value);
      if (problem !== null) report(match.index, problem);
    }
    if (element === 'meta' && /http-equiv\s*=\s*["']?\s*refresh/i.test(attributeText)) report(match.index, `loads from outside the page: a meta refresh: ${shorten(match[0])}`);
  }
  for (const match of text.matchAll(STYLE_BLOCK)) {
    for (const problem of cssProblems(match[1]!)) report(match.index, problem);
  }
  return [...found.values()].sort((a, b) => a.line - b.line);
}

function attributeProblem(element: string, name: string, value: string): string | null {
  if (name.startsWith('on')) return `runs script: an ${name}= attribute on <${element}>`;
  // Browsers ignore whitespace and control characters inside a URL scheme ("java\tscript:").
  const compact = value.replace(/[\s\p{Cc}]/gu, '').toLowerCase();
  if (URL_VALUED.has(name) && (compact.startsWith('javascript:') || compact.startsWith('vbscript:'))) return `runs script: a ${compact.split(':')[0]}: URL in ${name}= on <${element}>`;
  if (name === 'style') {
    const problems = cssProblems(value);
    return problems.length > 0 ? `${problems[0]} (in the style of <${element}>)` : null;
  }
  const outside = compact !== '' && !compact.startsWith('#') && !compact.startsWith('data:');
  if (FETCHING.has(name) && outside) return `loads ${quoted(value)} from outside the page (${name}= on <${element}>)`;
  // A link (<a>, or <area>) loads only when followed; any other element's href is fetched.
  if ((name === 'href' || name === 'xlink:href') && element !== 'a' && element !== 'area' && outside) {
    return `loads ${quoted(value)} from outside the page (${name}= on <${element}>)`;
  }
  return null;
}

/** What a stylesheet would load or run. */
function cssProblems(css: string): string[] {
  const problems: string[] = [];
  const text = decodeEntities(css);
  for (const match of text.matchAll(/url\(\s*(["']?)([^"')]*)\1\s*\)/gi)) {
    const target = match[2]!.trim();
    if (!target.startsWith('#') && !target.toLowerCase().startsWith('data:')) problems.push(`loads ${quoted(target)} from outside the page (CSS url())`);
  }
  if (/@import/i.test(text)) problems.push('loads from outside the page: a CSS @import');
  if (/image-set\s*\(\s*["']/i.test(text)) problems.push('loads from outside the page: a CSS image-set()');
  if (/expression\s*\(|-moz-binding|behavior\s*:/i.test(text)) problems.push('runs script: a CSS expression, binding or behavior');
  return problems;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', tab: '\t', newline: '\n', sol: '/', lpar: '(', rpar: ')' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (entity, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED[body.toLowerCase()] ?? entity;
  });
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
}

function quoted(value: string): string {
  return JSON.stringify(shorten(value));
}
