import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ROOT } from '../helpers/cli.js';
import { FAILURE_SEMANTICS } from '../../src/cli/failure-semantics.js';
import { exitLine } from '../../src/cli/exit-line.js';

const flat = (text: string) => text.replace(/\s+/g, ' ');

test('failure semantics: the same words in docs/exit-codes.md and in --help of the binary, run, compare and bench', async () => {
  const doc = readFileSync(join(ROOT, 'docs', 'exit-codes.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Failure semantics'));
  assert.ok(doc.includes('## Failure semantics'), 'docs/exit-codes.md has the section');
  for (const term of ['error:', 'retry:', 'drop:', 'lost connection:', 'partial:', 'exit codes:']) {
    assert.ok(FAILURE_SEMANTICS.some((item) => item.startsWith(term)), `the text defines ${term}`);
  }
  for (const code of ['0 ok', '1 failure', '2 bad input', '99 ', '130 interrupted']) {
    assert.ok(FAILURE_SEMANTICS.some((item) => item.includes(code)), `exit code ${code} is described`);
  }
  for (const item of FAILURE_SEMANTICS) assert.ok(flat(section).includes(flat(item)), `docs/exit-codes.md lacks: ${item}`);
  for (const args of [['--help'], ['run', '--help'], ['compare', '--help'], ['bench', '--help']]) {
    const h = await cli(args);
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, /Failure semantics:/);
    for (const item of FAILURE_SEMANTICS) assert.ok(flat(h.stdout).includes(flat(item)), `${args.join(' ')} lacks: ${item}`);
  }
});

test('the exit line names the code and its meaning; an unexpected failure says why, on one short line', () => {
  assert.equal(exitLine('run', 0), 'ledger-bench run: exit 0 (ok)');
  assert.equal(exitLine('compare', 1), 'ledger-bench compare: exit 1 (failed)');
  assert.equal(exitLine('seed', 2), 'ledger-bench seed: exit 2 (bad input)');
  assert.equal(exitLine('bench', 99), 'ledger-bench bench: exit 99 (a budget or gate failed)');
  assert.equal(exitLine('run', 130), 'ledger-bench run: exit 130 (interrupted)');
  assert.equal(exitLine('db', 3, undefined, { 3: 'stopped' }), 'ledger-bench db: exit 3 (stopped)');
  assert.equal(exitLine(undefined, 2, 'no command given'), 'ledger-bench: exit 2 (bad input: no command given)');
  assert.equal(exitLine('run', 1, 'boom\n    at x (y.ts:1:2)'), 'ledger-bench run: exit 1 (failed: boom)');
  const long = exitLine('run', 1, 'x'.repeat(500));
  assert.ok(long.length < 200 && long.endsWith('...)'), long);
});
