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

export async function renderSvg(spec: TopLevelSpec): Promise<RenderedChart> {
  // Imported here: Vega is large, and only describe needs it.
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
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
