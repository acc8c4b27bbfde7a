import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, cli } from './helpers.js';

describe('analyse (CLI)', () => {
  it('lists every command in its help', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['join-ethnicity', 'measures', 'describe', 'generate-dummy', 'run']) expect(result.stdout).toContain(command);
    expect(result.stdout).toMatch(/Exit codes: 0 success; 2 /);
  });

  it('has every option of every command documented in the README', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const command of ['join-ethnicity', 'measures', 'describe', 'generate-dummy', 'run']) {
      expect(readme).toContain(`### analyse ${command}`);
      const help = (await cli([command, '--help'])).stdout;
      const options = [...help.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]!).filter((o) => o !== '--help');
      expect(options.length).toBeGreaterThan(0);
      for (const option of options) expect(readme, `${command} ${option}`).toContain(option);
    }
  });

  it('exits 2 for an unknown command', async () => {
    const result = await cli(['nosuch']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'nosuch'/);
  });

  it('ends quietly when its output is closed early (analyse --help | head -1)', async () => {
    const child = spawn(process.execPath, [BIN, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });
});
