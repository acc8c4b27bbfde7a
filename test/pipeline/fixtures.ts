// Tiny projects for `analyse run`: a project.yaml and a small Node script (tool.mjs) whose
// subcommands stand in for real actions: write CSVs, copy files, count cohort rows, fail, record argv and cwd.

import { tempDir } from '../helpers.js';

export const TOOL = `
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
const [command, ...args] = process.argv.slice(2);
const write = (path, text) => { mkdirSync(dirname(path), { recursive: true }); writeFileSync(path, text); };
switch (command) {
  case 'csv': { // csv <path> <rows> [header]: a table of <rows> rows
    const [path, rows, header = 'group,count'] = args;
    const cells = header.split(',').length;
    let text = header + '\\n';
    for (let i = 0; i < Number(rows); i++) text += Array.from({ length: cells }, (_, c) => c === 0 ? 'g' + i : String(i)).join(',') + '\\n';
    write(path, text);
    console.log('wrote ' + path);
    break;
  }
  case 'csvs': { // csvs <dir> <n>: files f_1.csv .. f_<n>.csv
    for (let i = 1; i <= Number(args[1]); i++) write(join(args[0], 'f_' + i + '.csv'), 'group,count\\na,' + i + '\\n');
    break;
  }
  case 'count': { // count <cohort dir> <out>: rows per cohort file, an aggregate
    const files = readdirSync(args[0]).filter((f) => f.endsWith('.csv')).sort();
    write(args[1], 'file,rows\\n' + files.map((f) => f + ',' + (readFileSync(join(args[0], f), 'utf8').trim().split('\\n').length - 1)).join('\\n') + '\\n');
    break;
  }
  case 'big': write(args[0], 'x'.repeat(Number(args[1]))); break;
  case 'copy': for (let i = 0; i < args.length; i += 2) write(args[i + 1], readFileSync(args[i], 'utf8')); break; // copy <from> <to> ...: files as they are
  case 'argv': write(args[0], JSON.stringify({ argv: args.slice(1), cwd: process.cwd() })); break;
  case 'wait': { // wait <pid file> [ignore-term]: records its pid, then runs until killed
    if (args[1] === 'ignore-term') process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
    console.log('waiting');
    write(args[0], String(process.pid));
    setInterval(() => {}, 1000);
    break;
  }
  case 'fail': console.log('starting'); console.error('something went wrong: ' + args[1]); process.exit(Number(args[0]));
  default: throw new Error('unknown tool command ' + command);
}
`;

export const SCHEMA = JSON.stringify({
  index_date: '2020-01-01',
  population: { care_home: false },
  variables: { sex: { category: { ratios: { F: 0.5, M: 0.5 } } }, flag: { bool: true, incidence: 0.3 } },
});

/** A project folder with project.yaml (`expectations` added when `withExpectations`), tool.mjs and schema.json. */
export function projectDir(actionsYaml: string, files: Record<string, string> = {}): string {
  return tempDir({
    'project.yaml': `version: '3.0'\nexpectations:\n  population_size: 200\nactions:\n${actionsYaml}`,
    'tool.mjs': TOOL,
    'schema.json': SCHEMA,
    ...files,
  });
}
