import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, cli, tempDir } from './helpers.js';

const COMMANDS = ['join-ethnicity', 'measures', 'describe', 'generate-dummy', 'run', 'check'];

/** The example command lines of a command's help, each as the shell splits it into arguments (after "analyse"). */
function examples(help: string): string[][] {
  const section = help.split(/\nExamples?:\n/)[1] ?? '';
  const lines = section.split(/\n(?= {2}analyse )/).filter((text) => text.trim().startsWith('analyse '));
  return lines.map((line) => {
    const words = spawnSync('bash', ['-c', `analyse() { printf '%s\\0' "$@"; }\n${line}`], { encoding: 'utf8' });
    return words.stdout.split('\0').slice(0, -1);
  });
}

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

  it('gives every command an example in its help that pastes into a shell as it is', async () => {
    for (const command of COMMANDS) {
      const found = examples((await cli([command, '--help'])).stdout);
      expect(found.length, command).toBeGreaterThan(0);
      for (const args of found) {
        expect(args[0], args.join(' ')).toBe(command);
        // Run in an empty folder: the inputs are missing, but the command line itself must be right.
        const result = await cli(args, tempDir());
        expect(result.stderr, args.join(' ')).not.toMatch(/unknown option|too many arguments|required option|missing required argument|unknown command/);
        expect(result.stderr, args.join(' ')).toMatch(/: file not found|matches no file|no such file or folder/);
      }
    }
  });

  it('names an unknown option as such, with the option it resembles, before any missing one', async () => {
    const result = await cli(['measures', '--definition', 'defs.json', '--cohort', 'input_*.csv', '--output-dir', 'out']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("analyse: error: unknown option '--definition'\n(Did you mean --definitions?)\n(run with --help for usage)\n");
    const missing = await cli(['measures', '--cohort', 'input_*.csv', '--output-dir', 'out']);
    expect(missing.stderr).toBe("analyse: error: required option '--definitions <file.json>' not specified\n(run with --help for usage)\n");
  });

  it('says that a glob must be quoted when the shell has turned it into extra arguments', async () => {
    const result = await cli(['measures', '--definitions', 'defs.json', '--cohort', 'input_2020-01-01.csv', 'input_2020-02-01.csv', 'input_2020-03-01.csv', '--output-dir', 'out']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "analyse: error: too many arguments for 'measures'. Expected 0 arguments but got 2.\n" +
        'analyse: a glob such as output/input_*.csv must be quoted, as in --cohort "output/input_*.csv": unquoted, the shell expands it into many file names.\n' +
        '(run with --help for usage)\n',
    );
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
