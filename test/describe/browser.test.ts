// Opens the dashboard in a real browser (Debian's headless Chromium) with every request but the
// page itself blocked and recorded: each chart must be drawn, and nothing may leave the page.

import { describe as group, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { runDescribe } from '../../src/describe/describe.js';
import { ROOT, writeFiles } from '../helpers.js';
import { writeStudyFixture } from './study-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

const WORK = join(ROOT, 'test/.tmp/browser');

async function launch(name: string): Promise<BrowserContext> {
  const profile = join(WORK, `profile-${name}`);
  rmSync(profile, { recursive: true, force: true });
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
    offline: true,
  });
}

/** Opens `path`, allowing only the page itself; returns every other URL the page asked for, and problems it reported. */
async function openOffline(context: BrowserContext, path: string) {
  const page = await context.newPage();
  const url = pathToFileURL(path).href;
  const requested = new Set<string>();
  const problems: string[] = [];
  await page.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    requested.add(route.request().url());
    return route.abort();
  });
  page.on('request', (request) => {
    if (request.url() !== url) requested.add(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, requested: [...requested].sort(), problems };
}

group.skipIf(!hasChromium)('dashboard in headless Chromium', () => {
  it('draws every chart as SVG with its lines, and fetches nothing', async () => {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    const study = writeStudyFixture(WORK, { patients: 200, months: 25 });
    const graphs = join(WORK, 'output/describe/graphs');
    await runDescribe({
      cohort: study.cohortGlob,
      measures: study.measuresGlob,
      tablesDir: join(WORK, 'output/describe/tables'),
      graphsDir: graphs,
      config: join(ROOT, 'analysis/describe.json'),
      jobs: 1,
      progress: false,
    });
    const context = await launch('dashboard');
    try {
      const { page, requested, problems } = await openOffline(context, join(graphs, 'dashboard.html'));
      const charts = await page.$$eval('figure.chart:not(.empty)', (figures) =>
        figures.map((figure) => {
          const svg = figure.querySelector('svg');
          const lines = [...figure.querySelectorAll('path[aria-roledescription="line mark"]')];
          const box = svg?.getBoundingClientRect();
          return {
            id: figure.getAttribute('data-measure'),
            width: box?.width ?? 0,
            lines: lines.filter((line) => (line.getAttribute('d') ?? '').startsWith('M') && line.getBoundingClientRect().width > 0).length,
            bands: [...figure.querySelectorAll('path[aria-roledescription="area mark"]')].filter((band) => band.getBoundingClientRect().height > 0).length,
            table: figure.querySelectorAll('table tbody tr').length,
            tooltips: figure.querySelectorAll('path[aria-roledescription="point"] > title').length,
          };
        }),
      );
      expect(charts.map((c) => c.id).sort()).toEqual([...study.measureIds].sort());
      for (const chart of charts) {
        expect(chart.width, chart.id!).toBeGreaterThan(200);
        // A deciles chart (prescribing by practice) has a line per decile; by care home type: 2 lines at
        // least; by age band or region: 5; age-standardised: one, over its band.
        if (chart.id!.endsWith('_practice')) expect(chart.lines, chart.id!).toBe(9);
        else expect(chart.lines, chart.id!).toBeGreaterThanOrEqual(chart.id!.endsWith('_all') ? 2 : chart.id!.endsWith('_std') ? 1 : 5);
        if (chart.id!.endsWith('_std')) expect(chart.bands, chart.id!).toBe(1);
        expect(chart.table, chart.id!).toBe(25);
        expect(chart.tooltips, chart.id!).toBeGreaterThanOrEqual(25 * chart.lines);
      }
      // Care homes on the left and control on the right, in one row.
      const first = await page.$$eval('section.row', (rows) => [...rows[0]!.querySelectorAll('figure.chart')].map((f) => f.getAttribute('data-measure')));
      expect(first).toEqual(['ad_prescribing_rate_all', 'control_ad_prescribing_rate_all']);
      expect(requested).toEqual([]);
      expect(problems).toEqual([]);

      await page.screenshot({ path: join(ROOT, 'test/.tmp/dashboard.png') });
      if (process.env.UPDATE_DOCS_SCREENSHOT) copyFileSync(join(ROOT, 'test/.tmp/dashboard.png'), join(ROOT, 'docs/dashboard.png'));
    } finally {
      await context.close();
    }
  });

  it('would catch a page that fetches: the harness records and blocks every other request', async () => {
    const dir = join(WORK, 'fetching');
    writeFiles(dir, { 'page.html': '<!doctype html><img src="https://example.com/a.png"><link rel="stylesheet" href="style.css"><p>x</p>' });
    const context = await launch('fetching');
    try {
      const { requested } = await openOffline(context, join(dir, 'page.html'));
      expect(requested).toEqual(['https://example.com/a.png', pathToFileURL(join(dir, 'style.css')).href].sort());
    } finally {
      await context.close();
    }
  });

  it('shows hostile group names and titles as text: no script runs, nothing is fetched', async () => {
    const dir = join(WORK, 'hostile');
    rmSync(dir, { recursive: true, force: true });
    writeFiles(dir, {
      'in/input_2020-01-01.csv': 'patient_id,sex\n1,F\n',
      'm/measure_x.csv':
        'group,n,population,value,date\n' +
        '"<script>alert(1)</script>",10,100,0.1,2020-01-01\n"<script>alert(1)</script>",20,100,0.2,2020-02-01\n' +
        '"<img src=x onerror=alert(2)>",30,100,0.3,2020-01-01\n"<img src=x onerror=alert(2)>",30,100,0.3,2020-02-01\n',
      'c.json': JSON.stringify({ charts: { x: { title: '<iframe src="https://example.com"></iframe>' } } }),
    });
    await runDescribe({ cohort: join(dir, 'in/*.csv'), measures: join(dir, 'm/*.csv'), tablesDir: join(dir, 't'), graphsDir: join(dir, 'g'), config: join(dir, 'c.json'), jobs: 1, progress: false });
    const context = await launch('hostile');
    try {
      for (const name of ['x.html', 'dashboard.html']) {
        const { page, requested, problems } = await openOffline(context, join(dir, 'g', name));
        expect(await page.$$('script, img, iframe')).toHaveLength(0);
        const headers = await page.$$eval('thead th', (cells) => cells.map((c) => c.textContent));
        const groups = await page.$$eval('td.group', (cells) => [...new Set(cells.map((c) => c.textContent))]);
        if (name === 'dashboard.html') expect(headers).toEqual(['Date', '<script>alert(1)</script>', '<img src=x onerror=alert(2)>']);
        // The measure's own page: a row per date and group, with its counts.
        else expect([headers, groups]).toEqual([['Date', 'group', 'n', 'population', 'Value (%)'], ['<script>alert(1)</script>', '<img src=x onerror=alert(2)>']]);
        expect(requested).toEqual([]);
        expect(problems).toEqual([]);
      }
    } finally {
      await context.close();
    }
  });
});
