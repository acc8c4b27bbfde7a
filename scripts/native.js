// Builds the compiled paths of join-ethnicity, measures and describe (native/*.c) with node-gyp, as `npm ci`
// installs the package. They are optional: where there is no compiler, or the build fails, this
// says so in one line (node-gyp's own output goes to build/native-build.log), and the commands
// read their files in JavaScript (about half as fast), with the same results.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

const candidates = [process.env.npm_config_node_gyp, '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'].filter(Boolean);
const gyp = candidates.find((path) => existsSync(path));
const args = gyp === undefined ? null : [gyp, 'rebuild'];
if (process.env.npm_config_nodedir === undefined && existsSync('/usr/include/node/node_api.h')) args?.push('--nodedir=/usr');
const run = args === null ? { status: 1, error: new Error('node-gyp was not found'), stdout: '', stderr: '' } : spawnSync(process.execPath, args, { encoding: 'utf8' });
if (run.status !== 0) {
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  mkdirSync('build', { recursive: true });
  writeFileSync('build/native-build.log', output);
  // The first line that says what went wrong: node-gyp's error, or the compiler's.
  const cause = /gyp ERR! stack Error: (.+)/.exec(output)?.[1] ?? /error: (.+)/.exec(output)?.[1] ?? run.error?.message ?? `node-gyp exited with ${run.status}`;
  process.stderr.write(
    `analyse: the compiled paths were not built (${cause.trim()}; see build/native-build.log); analyse join-ethnicity, measures and describe will read files in JavaScript, about half as fast, with the same results\n`,
  );
}
