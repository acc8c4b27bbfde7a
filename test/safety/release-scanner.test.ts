import { describe, expect, it } from 'vitest';
import { fetchesOfPage, scanReleaseFolder } from './release-scanner.js';
import { tempDir } from '../helpers.js';

const GOOD_TABLE = 'variable,type,level,statistic,value\npopulation,population,,count,100\nsex,categorical,F,count,\nsex,categorical,F,percent,\nage,numeric,,mean,80.1\n';
const GOOD_PAGE = '<!doctype html><html><head><style>a{color:red}</style></head><body><a href="other.html">x</a><a href="https://example.org/">y</a><svg><path clip-path="url(#clip1)"/><use href="#p"/></svg></body></html>';

describe('scanReleaseFolder', () => {
  it('passes aggregate tables, self-contained pages and JSON', () => {
    const dir = tempDir({ 't/table.csv': GOOD_TABLE, 'g/page.html': GOOD_PAGE, 'g/spec.vl.json': '{"$schema": "https://vega.github.io/schema/vega-lite/v6.json"}' });
    expect(scanReleaseFolder(dir)).toEqual([]);
  });

  it('fails a patient_id column, a count not a multiple of 5, an unknown statistic and too many rows', () => {
    const dir = tempDir({
      'a.csv': 'Patient_ID,age\n1,70\n',
      'b.csv': 'variable,type,level,statistic,value\nsex,categorical,F,count,12\nsex,categorical,,missing,3\nage,numeric,,max,103\n',
      'c.csv': `x\n${'1\n'.repeat(5001)}`,
    });
    expect(scanReleaseFolder(dir)).toEqual([
      'a.csv: has a patient_id column',
      'b.csv: line 2: count "12" is not blank or a multiple of 5',
      'b.csv: line 3: missing "3" is not blank or a multiple of 5',
      'b.csv: line 4: statistic "max" is not one of count, missing, percent, mean, sd, p25, median, p75',
      'c.csv: 5001 rows, over the 5000-row limit',
    ]);
  });

  it('fails a disallowed file type, an oversized file and invalid JSON', () => {
    const dir = tempDir({ 'plot.png': 'x', 'big.csv': `x\n${'1'.repeat(16 * 1024 * 1024)}\n`, 'bad.json': '{' });
    expect(scanReleaseFolder(dir)).toEqual([
      'bad.json: not valid JSON',
      `big.csv: ${16 * 1024 * 1024 + 3} bytes, over the ${16 * 1024 * 1024}-byte limit`,
      'plot.png: file type not allowed (only .csv, .html, .json)',
    ]);
  });
});

describe('fetchesOfPage', () => {
  it('finds scripts, stylesheets, images, frames, CSS urls, imports and external hrefs', () => {
    const cases = [
      '<script src="https://cdn.plot.ly/plotly.js"></script>',
      '<script>fetch("x")</script>',
      '<link rel="stylesheet" href="style.css">',
      '<img src="chart.png">',
      '<iframe src="other.html"></iframe>',
      '<div style="background: url(https://example.com/a.png)"></div>',
      '<style>@import "x.css";</style>',
      '<svg><image href="https://example.com/a.png"/></svg>',
      '<svg><use xlink:href="sprites.svg#a"/></svg>',
      '<video poster="p.jpg"></video>',
      '<meta http-equiv="refresh" content="0; url=https://example.com">',
    ];
    for (const html of cases) expect(fetchesOfPage(html), html).not.toEqual([]);
    expect(fetchesOfPage(GOOD_PAGE)).toEqual([]);
  });

  it('reads attributes as attributes: markup-like text inside a quoted value is no fetch, a tag that does not parse is reported', () => {
    expect(fetchesOfPage('<svg><g aria-label="Title &lt;img src=&quot;https://example.com&quot;&gt; href=x" role="img"><path d="M0,0"/></g></svg>')).toEqual([]);
    expect(fetchesOfPage('<svg><g aria-label=\'a src="x"\'></g></svg>')).toEqual([]);
    expect(fetchesOfPage('<g aria-label="a" "src=x">')).toEqual(['a start tag whose attributes do not parse: <g aria-label="a" "src=x">']);
    expect(fetchesOfPage('<g data-x=1 src=x.png>')).toEqual(['src=x.png on <g>']);
  });
});
