// The shell of every page describe writes: self-contained HTML whose Content-Security-Policy
// forbids loading anything (scripts, styles, images, fonts, frames) from outside the page.

import { NOT_FOR_RELEASE } from '../release/marker.js';

/** Escapes text for HTML content and attribute values. Every string from data or config goes through here. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Nothing may be fetched; only the page's own <style> applies. Links to other pages still work. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const STYLE = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --panel: #ffffff; --page: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem; background: var(--page); color: var(--ink); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.5rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
p.lead, nav, .note { color: var(--muted); margin: 0 0 1rem; }
a { color: #0969da; }
.grid { display: grid; gap: 1rem; align-items: start; }
.grid.auto { grid-template-columns: repeat(auto-fill, minmax(36rem, 1fr)); }
.column-heading { font-weight: 600; font-size: 1.05rem; padding: 0.25rem 0; border-bottom: 2px solid var(--rule); }
figure.chart { margin: 0; padding: 0.75rem; background: var(--panel); border: 1px solid var(--rule); border-radius: 6px; min-width: 0; }
figure.chart.empty { background: transparent; border-style: dashed; color: var(--muted); }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figure.chart figcaption { font-size: 0.85rem; color: var(--muted); margin-top: 0.25rem; }
details summary { cursor: pointer; color: var(--muted); font-size: 0.85rem; margin-top: 0.5rem; }
.table-scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.8rem; margin-top: 0.5rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); padding-bottom: 0.25rem; }
.not-for-release { margin: 0 0 1rem; padding: 0.5rem 0.75rem; background: #ffebe9; border: 2px solid #cf222e; color: #82071e; font-weight: 700; }
figure.chart p.note { font-size: 0.85rem; margin: 0.25rem 0 0; }
th, td { padding: 0.15rem 0.5rem; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; }
th[scope="row"], thead th:first-child { text-align: left; }
`;

export interface PageOptions {
  title: string;
  /** HTML, already escaped. */
  body: string;
  /** Mark the page NOT FOR RELEASE at its very top (describe --not-for-release). */
  notForRelease?: boolean;
}

export function htmlPage({ title, body, notForRelease = false }: PageOptions): string {
  const mark = notForRelease ? `<!-- ${NOT_FOR_RELEASE} -->\n` : '';
  const banner = notForRelease
    ? `<p class="not-for-release">${NOT_FOR_RELEASE}: these charts show counts that were not disclosure-controlled (describe --not-for-release). Keep them inside the secure environment.</p>\n`
    : '';
  return `<!doctype html>
${mark}<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${notForRelease ? `${NOT_FOR_RELEASE}: ` : ''}${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${banner}${body}
</body>
</html>
`;
}
