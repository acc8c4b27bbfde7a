// Renders a Vega-Lite spec to an SVG string in Node, with no browser and no network: Vega's
// headless view. Each point gets an SVG <title>, so hovering shows its value with no script.

import type { View, ViewOptions } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { estimateTextWidth } from './text-width.js';

type VegaLogger = NonNullable<ViewOptions['logger']>;

export interface RenderedChart {
  svg: string;
  /** Vega-Lite's and Vega's warnings (a generated spec should have none). */
  warnings: string[];
}

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

/** Vega and Vega-Lite in one module, which `npm run build` makes (scripts/bundle-charting.js). */
const BUNDLE = new URL('./charting-bundle.js', import.meta.url);

/**
 * Vega and Vega-Lite, imported here as only describe's charts need them: from the bundle the
 * build made (about 45 ms), else as the packages' own modules (about 120 ms).
 */
export async function loadCharting(bundle: URL = BUNDLE): Promise<[Vega, VegaLite]> {
  try {
    const bundled = (await import(bundle.href)) as { vega: Vega; vegaLite: VegaLite };
    return [bundled.vega, bundled.vegaLite];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return Promise.all([import('vega'), import('vega-lite')]);
  }
}

export async function renderSvg(spec: TopLevelSpec, charting: Promise<[Vega, VegaLite]> = loadCharting()): Promise<RenderedChart> {
  const [vega, vegaLite] = await charting;
  (vega as unknown as { textMetrics: { width: typeof estimateTextWidth } }).textMetrics.width = estimateTextWidth;
  const warnings: string[] = [];
  const logger: VegaLogger = {
    level: () => 0,
    error(...args: unknown[]) {
      throw new Error(`Vega: ${args.map(String).join(' ')}`);
    },
    warn(...args: unknown[]) {
      warnings.push(args.map(String).join(' '));
      return this;
    },
    info() {
      return this;
    },
    debug() {
      return this;
    },
  };
  const compiled = vegaLite.compile(spec, { logger });
  const view: View = new vega.View(vega.parse(compiled.spec), { renderer: 'none', logger });
  try {
    const svg = await view.toSVG();
    return { svg: addPointTitles(svg), warnings };
  } finally {
    view.finalize();
  }
}

/**
 * Vega writes each point's description as its aria-label (already escaped for an attribute,
 * which is also safe as text); copying it into a <title> child makes it the hover tooltip.
 */
function addPointTitles(svg: string): string {
  return svg.replace(/<path aria-label="([^"]*)"( role="graphics-symbol" aria-roledescription="point"[^>]*?)\/>/g, '<path aria-label="$1"$2><title>$1</title></path>');
}
