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

  it("has every option of every command documented in that command's section of the README", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const command of ['join-ethnicity', 'measures', 'describe', 'generate-dummy', 'run']) {
      const section = readmeSection(readme, `### analyse ${command}`);
      const help = (await cli([command, '--help'])).stdout;
      const options = [...help.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]!).filter((o) => o !== '--help');
      expect(options.length).toBeGreaterThan(0);
      // Whole option names only: "--cohort" is not documented by "--cohort-dir".
      for (const option of options) expect(section, `${command} ${option}`).toMatch(new RegExp(`${option}(?![a-z-])`));
    }
  });

  it('finds a section of the README by its heading, up to the next heading of its level or above', () => {
    const readme = '# t\n## A\n### analyse x\ntext --one\n```sh\n# a comment\n```\n#### sub\n--two\n### analyse y\n--three\n## B\n';
    expect(readmeSection(readme, '### analyse x')).toBe('### analyse x\ntext --one\n```sh\n# a comment\n```\n#### sub\n--two\n');
    expect(readmeSection(readme, '### analyse y')).toBe('### analyse y\n--three\n');
    expect(() => readmeSection(readme, '### analyse z')).toThrow('no "### analyse z" heading');
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

/** The README's text from `heading` up to the next heading of the same level or above. */
function readmeSection(readme: string, heading: string): string {
  const lines = readme.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no ${JSON.stringify(heading)} heading in the README`);
  const level = heading.indexOf(' ');
  // A "# comment" inside a fenced code block is not a heading.
  let fenced = false;
  const end = lines.findIndex((line, i) => {
    if (line.startsWith('```')) fenced = !fenced;
    return i > start && !fenced && /^#+ /.test(line) && line.indexOf(' ') <= level;
  });
  return `${lines.slice(start, end < 0 ? undefined : end).join('\n')}\n`;
}
