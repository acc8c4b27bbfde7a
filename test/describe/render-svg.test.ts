// Describe's charts are drawn with Vega and Vega-Lite from the one-module bundle the build makes
// (scripts/bundle-charting.js), or, where there is none, from the packages' own modules: the
// same SVG either way.

import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { loadCharting, renderSvg } from '../../src/describe/render-svg.js';
import { ROOT } from '../helpers.js';

const SPEC: TopLevelSpec = {
  width: 300,
  height: 120,
  data: { values: [
    { date: '2021-01-01', value: 0.2, group: 'F' },
    { date: '2021-02-01', value: 0.25, group: 'F' },
    { date: '2021-01-01', value: 0.1, group: 'M' },
    { date: '2021-02-01', value: 0.3, group: 'M' },
  ] },
  mark: { type: 'line', point: true },
  encoding: {
    x: { field: 'date', type: 'temporal', title: 'Month' },
    y: { field: 'value', type: 'quantitative', title: 'Rate' },
    color: { field: 'group', type: 'nominal' },
  },
};

describe('the charting modules', () => {
  it('are bundled into one module by the build, which describe imports', async () => {
    const bundle = join(ROOT, 'dist', 'describe', 'charting-bundle.js');
    if (!existsSync(bundle)) {
      console.warn('dist/describe/charting-bundle.js is not there (esbuild failed when the build ran?): only the packages\' own modules are tested');
      return;
    }
    const [vega, vegaLite] = await loadCharting();
    expect(typeof vega.View).toBe('function');
    expect(typeof vegaLite.compile).toBe('function');
    // Not the packages' own modules: the bundle's copy.
    expect(vega).not.toBe(await import('vega'));
  });

  it('come from the packages themselves when there is no bundle, and draw the same SVG', async () => {
    const missing = new URL('file:///nonexistent/charting-bundle.js');
    const [vega, vegaLite] = await loadCharting(missing);
    expect(vega).toBe(await import('vega'));
    expect(vegaLite).toBe(await import('vega-lite'));
    const fromBundle = await renderSvg(SPEC);
    const fromPackages = await renderSvg(SPEC, loadCharting(missing));
    expect(fromBundle.svg).toMatch(/^<svg/);
    expect(fromBundle.svg).toContain('Rate');
    expect(fromPackages).toEqual(fromBundle);
  });

  it('fail as loudly as before when the bundle is there but broken', async () => {
    // Only a missing bundle falls back: any other failure to import it is a bug to report.
    await expect(loadCharting(new URL('data:text/javascript,throw new Error("broken bundle")'))).rejects.toThrow('broken bundle');
  });
});
