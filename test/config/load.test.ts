import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectSettings, resolveSettings, redactSettings, scrubSecrets, secretsIn } from '../../src/config/load.js';
import { renderConfigurationDoc } from '../../src/config/docs.js';
import { parseDurationSec } from '../../src/config/duration.js';
import { UserError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

const keys = ['rate', 'durationSec', 'scale', 'seed', 'databaseUrl', 'quiet'] as const;
const emptyDir = () => tempDir('cfg');

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof UserError, `expected a UserError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('expected a UserError');
}

test('defaults apply when nothing is given', () => {
  const r = resolveSettings({ command: 'run', argv: [], keys, env: {}, cwd: emptyDir() });
  assert.equal(r.settings.rate, 1000);
  assert.equal(r.settings.durationSec, 30);
  assert.equal(r.settings.scale, 'small');
  assert.equal(r.sources.rate, 'default');
});

test('precedence is flag > env > file > default', () => {
  const cwd = emptyDir();
  writeFileSync(join(cwd, 'ledger-bench.config.json'), JSON.stringify({ rate: 10, duration: '2m', seed: 5, scale: 'medium' }));
  const env = { LEDGER_BENCH_RATE: '20', LEDGER_BENCH_SEED: '6' };
  const r = resolveSettings({ command: 'run', argv: ['--rate', '30'], keys, env, cwd });
  assert.equal(r.settings.rate, 30);
  assert.equal(r.sources.rate, 'flag');
  assert.equal(r.settings.seed, 6);
  assert.equal(r.sources.seed, 'env');
  assert.equal(r.settings.durationSec, 120);
  assert.equal(r.sources.durationSec, 'file');
  assert.equal(r.settings.scale, 'medium');
});

test('flag forms: --x=v, --x v, booleans and --no-x', () => {
  const r = resolveSettings({ command: 'run', argv: ['--rate=5', '--duration', '500ms', '--quiet'], keys, env: {}, cwd: emptyDir() });
  assert.equal(r.settings.rate, 5);
  assert.equal(r.settings.durationSec, 0.5);
  assert.equal(r.settings.quiet, true);
  const n = resolveSettings({ command: 'run', argv: ['--no-quiet'], keys, env: { LEDGER_BENCH_QUIET: '1' }, cwd: emptyDir() });
  assert.equal(n.settings.quiet, false);
});

test('every problem is reported at once, each naming its source and a fix', () => {
  const cwd = emptyDir();
  writeFileSync(join(cwd, 'ledger-bench.config.json'), JSON.stringify({ seed: 'x', rrate: 1 }));
  const problems = problemsOf(() =>
    resolveSettings({ command: 'run', argv: ['--rate', 'fast', '--scale', 'huge', '--bogus'], keys, env: { DATABASE_URL: 'mysql://x' }, cwd }),
  );
  assert.equal(problems.length, 6, problems.join('\n'));
  const all = problems.join('\n');
  assert.match(all, /--rate expected a number, got "fast".*e\.g\. --rate 1000/);
  assert.match(all, /--scale expected one of tiny, small, medium, large, got "huge"/);
  assert.match(all, /unknown option --bogus: run `ledger-bench run --help`/);
  assert.match(all, /env DATABASE_URL expected a postgres:\/\/ or postgresql:\/\/ URL/);
  assert.match(all, /ledger-bench.config.json: "seed" expected a number/);
  assert.match(all, /unknown key "rrate" \(did you mean "rate"\?\)/);
});

test('a mistyped flag gets a suggestion; a missing value is explained', () => {
  const problems = problemsOf(() => resolveSettings({ command: 'run', argv: ['--duraton', '5s', '--rate'], keys, env: {}, cwd: emptyDir() }));
  assert.match(problems.join('\n'), /--duraton \(did you mean --duration\?\)/);
  assert.match(problems.join('\n'), /--rate needs a value, e.g. --rate 1000/);
  // No near spelling, but one flag of the command names the same thing more precisely.
  const probe = problemsOf(() => resolveSettings({ command: 'capacity', argv: ['--warmup', '5s'], keys: ['stepSec', 'stepWarmupSec'], env: {}, cwd: emptyDir() }));
  assert.match(probe.join('\n'), /unknown option --warmup \(did you mean --step-warmup\?\)/);
});

test('a config file named explicitly must exist, and must be JSON', () => {
  const cwd = emptyDir();
  assert.match(problemsOf(() => resolveSettings({ command: 'run', argv: ['--config', 'nope.json'], keys, env: {}, cwd }))[0]!, /config file nope.json does not exist/);
  writeFileSync(join(cwd, 'bad.json'), '{ rate: 1 }');
  assert.match(problemsOf(() => resolveSettings({ command: 'run', argv: ['--config', 'bad.json'], keys, env: {}, cwd }))[0]!, /bad.json: not valid JSON/);
});

test('--help wins over bad input so users can read the help', () => {
  const r = resolveSettings({ command: 'run', argv: ['--rate', 'x', '--help'], keys, env: {}, cwd: emptyDir() });
  assert.equal(r.help, true);
});

test('secrets are redacted', () => {
  const r = redactSettings({ databaseUrl: 'postgres://u:secret@h/db', rate: 1 });
  assert.equal(r.databaseUrl, '<redacted>');
  assert.equal(r.rate, 1);
});

test('durations', () => {
  assert.equal(parseDurationSec('30s'), 30);
  assert.equal(parseDurationSec('2m'), 120);
  assert.equal(parseDurationSec('250ms'), 0.25);
  assert.equal(parseDurationSec('1h'), 3600);
  assert.equal(parseDurationSec('7'), 7);
  assert.equal(parseDurationSec('soon'), undefined);
});

test('docs/configuration.md is generated from the option catalogue and current', () => {
  const onDisk = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  assert.equal(onDisk, renderConfigurationDoc(), 'run `npm run docs:config` to regenerate');
});

test('collectSettings returns every problem and leaves a bad value at its default', () => {
  const { resolved, problems } = collectSettings({ command: 'run', argv: ['--rate', '-5', '--seed', '9'], keys, env: {}, cwd: emptyDir() });
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /--rate must be at least/);
  assert.equal(resolved.settings.rate, 1000);
  assert.equal(resolved.sources.rate, 'default');
  assert.equal(resolved.settings.seed, 9);
});

test('secretsIn finds the URL password (raw and percent-decoded); scrubSecrets removes it from any text', () => {
  const settings = { databaseUrl: 'postgres://me:p%40ss-W0rd@db:5432/postgres', rate: 5 };
  const secrets = secretsIn(settings);
  assert.deepEqual(secrets.sort(), ['p%40ss-W0rd', 'p@ss-W0rd'].sort());
  const line = 'error: connect to postgres://me:p%40ss-W0rd@db/x failed; password "p@ss-W0rd" rejected';
  assert.equal(scrubSecrets(line, secrets), 'error: connect to postgres://me:***@db/x failed; password "***" rejected');
  assert.deepEqual(secretsIn({ databaseUrl: 'postgres://me@db/postgres' }), [], 'no password, nothing to hide');
  assert.deepEqual(secretsIn({ databaseUrl: '' }), []);
});
