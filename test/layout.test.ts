import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

// The floors of docs in ../shared/LAYOUT.md: a module imports only from its own floor or below.
const FLOORS: Array<[number, RegExp]> = [
  [1, /^src\/(errors|progress|dates)\.ts$/],
  [2, /^src\/(csv|io|input|parallel)\//],
  [3, /^src\/layouts\//],
  [4, /^src\/release\//],
  [5, /^src\/(join|measures|describe|dummy|pipeline|check)\//],
  [6, /^src\/cli\.ts$/],
];

function floorOf(path: string): number {
  const floor = FLOORS.find(([, pattern]) => pattern.test(path));
  if (floor === undefined) throw new Error(`${path} is on no floor of the layout`);
  return floor[0];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/g;

describe('the layout of src/', () => {
  const files = sourceFiles(join(ROOT, 'src')).map((path) => relative(ROOT, path));

  it('puts every module on a floor', () => {
    for (const file of files) expect(() => floorOf(file)).not.toThrow();
  });

  it('has no module importing from a floor above its own', () => {
    const upward: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const match of text.matchAll(IMPORT)) {
        const target = relative(ROOT, resolve(ROOT, dirname(file), match[1] ?? match[2]!)).replace(/\.js$/, '.ts');
        if (floorOf(target) > floorOf(file)) upward.push(`${file} imports ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('lets only cli.ts know commander', () => {
    const users = files.filter((file) => /from 'commander'/.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(users).toEqual(['src/cli.ts']);
  });
});
