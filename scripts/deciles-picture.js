// Renders the study's deciles chart for the README (docs/deciles.png) in headless Chromium, as
// the browser tests do: run `npm run pipeline` first, then `node scripts/deciles-picture.js`.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = new URL('..', import.meta.url).pathname;
const PAGE = join(ROOT, 'output/graphs/ap_prescribing_rate_practice.html');
const PICTURE = join(ROOT, 'docs/deciles.png');
const CHROMIUM = '/usr/bin/chromium';

if (!existsSync(PAGE)) throw new Error(`${PAGE} not found: run npm run pipeline first`);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'], offline: true });
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 }, deviceScaleFactor: 1.5 });
  await page.goto(pathToFileURL(PAGE).href);
  // Vega sizes the SVG for its guess at the title's width, wider than Chromium draws it: keep the chart.
  const box = await (await page.$('figure.chart svg')).boundingBox();
  await page.screenshot({ path: PICTURE, clip: { x: box.x, y: box.y, width: Math.min(box.width, 640), height: box.height } });
  console.log(`wrote ${PICTURE}`);
} finally {
  await browser.close();
}
