// Bundles Vega and Vega-Lite (scripts/charting-entry.js) into one module,
// dist/describe/charting-bundle.js, as part of `npm run build`. Imported as some hundred
// modules, they take about 120 ms to load on every describe run; as one file, about 45.
// Optional: where esbuild is missing or fails, this says so in one line and describe imports
// the packages themselves (src/describe/render-svg.ts), with the same charts.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('./charting-entry.js', import.meta.url));
const outfile = fileURLToPath(new URL('../dist/describe/charting-bundle.js', import.meta.url));
try {
  const { build } = await import('esbuild');
  await build({ entryPoints: [entry], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'error', legalComments: 'eof' });
} catch (error) {
  rmSync(outfile, { force: true });
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  process.stderr.write(`analyse: Vega was not bundled (${reason}); describe will import it as separate modules, about 80 ms slower, with the same charts\n`);
}
