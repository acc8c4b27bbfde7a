// Builds the compiled paths of measures and describe (native/*.c) with node-gyp, as `npm ci`
// installs the package. They are optional: where there is no compiler, or the build fails, this
// says so, and both commands read their files in JavaScript (about half as fast), with the same
// results.
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
  process.stderr.write(`analyse: the compiled paths were not built (${why}); analyse measures and describe will read files in JavaScript, about half as fast, with the same results\n`);
}
