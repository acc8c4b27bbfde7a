import { describe, expect, it } from 'vitest';
import { pageProblems } from '../../../src/release/check/page-check.js';

const GOOD_PAGE =
  '<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'"><style>a{color:red}</style></head>' +
  '<body><a href="other.html">x</a><a href="https://example.org/">y</a><svg><path clip-path="url(#clip1)"/><use href="#p"/>' +
  '<a xlink:href="https://example.org/">z</a><image href="data:image/png;base64,AAAA"/></svg></body></html>';

const problems = (html: string) => pageProblems(html).map((p) => `line ${p.line}: ${p.problem}`);

describe('pageProblems(html)', () => {
  it('passes a self-contained page: inline style, links, fragments and data: URIs', () => {
    expect(problems(GOOD_PAGE)).toEqual([]);
  });

  it('finds everything that would load from outside the page, with its line', () => {
    const cases: Array<[string, string]> = [
      ['<link rel="stylesheet" href="style.css">', 'line 1: loads from outside the page: a <link> element: <link rel="stylesheet" href="style.css">'],
      ['<p>\n<img src="chart.png">', 'line 2: loads "chart.png" from outside the page (src= on <img>)'],
      ['<iframe src="other.html"></iframe>', 'line 1: loads from outside the page: a <iframe> element: <iframe src="other.html">'],
      ['<div style="background: url(https://example.com/a.png)"></div>', 'line 1: loads "https://example.com/a.png" from outside the page (CSS url()) (in the style of <div>)'],
      ['<style>\n@import "x.css";</style>', 'line 1: loads from outside the page: a CSS @import'],
      ['<svg><image href="https://example.com/a.png"/></svg>', 'line 1: loads "https://example.com/a.png" from outside the page (href= on <image>)'],
      ['<svg><use xlink:href="sprites.svg#a"/></svg>', 'line 1: loads "sprites.svg#a" from outside the page (xlink:href= on <use>)'],
      ['<video poster="p.jpg"></video>', 'line 1: loads "p.jpg" from outside the page (poster= on <video>)'],
      ['<img srcset="/etc/passwd 1x">', 'line 1: loads "/etc/passwd 1x" from outside the page (srcset= on <img>)'],
      ['<meta http-equiv="refresh" content="0; url=https://example.com">', 'line 1: loads from outside the page: a meta refresh: <meta http-equiv="refresh" content="0; url=https://example.com">'],
      ['<object data="x.pdf"></object>', 'line 1: loads from outside the page: a <object> element: <object data="x.pdf">'],
    ];
    for (const [html, problem] of cases) expect(problems(html), html).toContain(problem);
  });

  it('finds everything that would run script, however it is spelt', () => {
    const cases: Array<[string, string]> = [
      ['<script>fetch("x")</script>', 'line 1: runs script: a <script> element: <script>'],
      ['<SCRIPT type="module">', 'line 1: runs script: a <script> element: <SCRIPT type="module">'],
      ['<svg><svg:script>alert(1)</svg:script></svg>', 'line 1: runs script: a <script> element: <svg:script>'],
      ['<img src="data:," onerror="alert(1)">', 'line 1: runs script: an onerror= attribute on <img>'],
      ['<svg onload=alert(1)>', 'line 1: runs script: an onload= attribute on <svg>'],
      ['<a href="javascript:alert(1)">x</a>', 'line 1: runs script: a javascript: URL in href= on <a>'],
      ['<a href="&#106;ava&#x73;cript&colon;alert(1)">x</a>', 'line 1: runs script: a javascript: URL in href= on <a>'],
      ['<a href="java\tscript:alert(1)">x</a>', 'line 1: runs script: a javascript: URL in href= on <a>'],
      ['<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>', 'line 1: runs script: a javascript: URL in values= on <animate>'],
      ['<div style="width: expression(alert(1))">', 'line 1: runs script: a CSS expression, binding or behavior (in the style of <div>)'],
    ];
    for (const [html, problem] of cases) expect(problems(html), html).toContain(problem);
  });

  it('reads attributes as attributes: markup-like text inside a quoted value is neither a load nor a script', () => {
    expect(problems('<svg><g aria-label="Title &lt;img src=&quot;https://example.com&quot;&gt; href=x onload=y" role="img"><path d="M0,0"/></g></svg>')).toEqual([]);
    expect(problems('<svg><g aria-label=\'a src="x" onerror="y"\'></g></svg>')).toEqual([]);
    expect(problems('<p>a javascript: URL, a script tag and url(x) written as text are just text</p>')).toEqual([]);
    expect(problems('<path aria-label="javascript:alert(1)" role="graphics-symbol"/>')).toEqual([]);
  });

  it('reports a start tag whose attributes do not parse, as a browser might read it otherwise', () => {
    expect(problems('<g aria-label="a" "src=x">')).toEqual(['line 1: a start tag whose attributes do not parse, which a browser might read otherwise: <g aria-label="a" "src=x">']);
    expect(problems('<g data-x=1 src=x.png>')).toEqual(['line 1: loads "x.png" from outside the page (src= on <g>)']);
  });
});
