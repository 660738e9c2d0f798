// `npm test` (after the build): runs every compiled test file of every workspace with node's test
// runner, prints the spec report, and ends with one line "N passed, N failed" for CI to read.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const testDirectories = [
  'infra/platform/dist/test',
  ...fs.readdirSync(path.join(root, 'infra/simulators')).map((name) => `infra/simulators/${name}/dist/test`),
  ...fs.readdirSync(path.join(root, 'subgraphs')).map((name) => `subgraphs/${name}/dist/test`),
  'gateway/dist/test',
  'test/dist',
];

function testFiles(directory) {
  if (!fs.existsSync(directory)) return [];
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'bench' ? [] : testFiles(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

const only = process.argv.slice(2);
const files = testDirectories
  .flatMap((directory) => testFiles(path.join(root, directory)))
  .filter((file) => only.length === 0 || only.some((pattern) => file.includes(pattern)));
if (files.length === 0) {
  console.error('no test files found: run the build first (npm test does)');
  process.exit(1);
}
const summaryReporter = path.join(root, 'test', 'summary-reporter.mjs');
const child = spawn(
  process.execPath,
  [
    '--test',
    '--test-timeout=600000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${summaryReporter}`,
    '--test-reporter-destination=stdout',
    ...files,
  ],
  { stdio: 'inherit', cwd: root },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
