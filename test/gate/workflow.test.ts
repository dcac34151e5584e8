/**
 * The example PR-gate workflow parses as YAML, runs on pull requests with Node 20,
 * uploads the reports, and every flag its gate step passes is one `gate` accepts.
 * It gates the PR's HEAD against its base commit by git ref, with the history fetched.
 * The YAML parser is the one already in node_modules (a dependency of a dependency);
 * without it the parse is skipped, never faked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gateCommand } from '../../src/cli/commands/gate.js';
import { OPTIONS } from '../../src/config/options.js';

const file = fileURLToPath(new URL('../../.github/workflows/perf-gate.yml', import.meta.url));
const text = readFileSync(file, 'utf8');

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; if?: string };

test('perf-gate.yml is valid YAML: pull_request, Node 20, npm ci, the gate, reports uploaded', async (t) => {
  let yaml: { parse(s: string): unknown };
  try {
    yaml = (await import('yaml')) as unknown as { parse(s: string): unknown };
  } catch {
    t.skip('no YAML parser in node_modules');
    return;
  }
  const wf = yaml.parse(text) as { on: Record<string, unknown>; jobs: Record<string, { steps: Step[] }> };
  assert.ok('pull_request' in wf.on);
  const steps = wf.jobs.gate!.steps;
  assert.equal(steps.find((s) => s.uses?.startsWith('actions/setup-node'))!.with!['node-version'], 20);
  assert.ok(steps.some((s) => s.run?.startsWith('npm ci')));
  const gate = steps.find((s) => /ledger-bench\.js gate/.test(s.run ?? ''))!;
  // The PR's merge commit against its base commit, by git ref: the base must be fetched.
  assert.match(gate.run!, /--base "\$BASE_SHA:\$GATE_VARIANT" --head "HEAD:\$GATE_VARIANT"/);
  assert.equal((wf.jobs.gate as unknown as { env: Record<string, string> }).env.BASE_SHA, '${{ github.event.pull_request.base.sha }}');
  assert.equal(steps.find((s) => s.uses?.startsWith('actions/checkout'))!.with!['fetch-depth'], 0, 'full history, so the base commit resolves');
  const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
  assert.equal(upload.if, 'always()');
  assert.equal(upload.with!.path, 'reports/gate/');
});

test('every flag of the workflow\'s gate step is a gate option', () => {
  const gateStep = text.slice(text.indexOf('ledger-bench.js gate'), text.indexOf('- name: Upload'));
  const flags = [...gateStep.matchAll(/--([a-z-]+)/g)].map((m) => m[1]!);
  assert.ok(flags.length >= 8, flags.join(' '));
  const allowed = new Set(gateCommand.keys.map((k) => OPTIONS[k].flag));
  for (const f of flags) assert.ok(allowed.has(f), `--${f} is not an option of gate`);
});
