// What scripts/bundle-charting.js bundles: Vega and Vega-Lite, as describe's charts use them.
export * as vega from 'vega';
export * as vegaLite from 'vega-lite';
