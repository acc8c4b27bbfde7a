// Builds the measures' compiled count path (native/count.c) with node-gyp, as `npm ci` installs
// the package. It is optional: where there is no compiler, or the build fails, this says so and
// measures counts in JavaScript (about twice as slow), with the same results.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const candidates = [process.env.npm_config_node_gyp, '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'].filter(Boolean);
const gyp = candidates.find((path) => existsSync(path));
const args = gyp === undefined ? null : [gyp, 'rebuild'];
if (process.env.npm_config_nodedir === undefined && existsSync('/usr/include/node/node_api.h')) args?.push('--nodedir=/usr');
const run = args === null ? { status: 1, error: new Error('node-gyp was not found') } : spawnSync(process.execPath, args, { encoding: 'utf8' });
if (run.status !== 0) {
  if (run.stderr) process.stderr.write(run.stderr.split('\n').filter((line) => !line.startsWith('gyp info')).join('\n'));
  const why = run.error?.message ?? `node-gyp exited with ${run.status}`;
  process.stderr.write(`analyse: the compiled count path was not built (${why}); analyse measures will count in JavaScript, about twice as slowly, with the same results\n`);
}
