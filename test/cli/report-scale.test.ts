/** `ledger-bench report` on a scale job's directory or scale.json (a fixture: no database): the scale reports, the budget judged as `scale` judges it, its exit codes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, hasStackTrace, lastLines } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { scaleFixture } from '../helpers/scale-fixture.js';
import { renderScaleMarkdown } from '../../src/report/scale-markdown.js';
import type { ScaleFile } from '../../src/result/scale-schema.js';

/** A scale job's --out holding only scale.json (and a result file, as the job writes one per run). */
function jobDir(f: ScaleFile | object): string {
  const dir = tempDir('report-scale');
  writeFileSync(join(dir, 'scale.json'), JSON.stringify(f, null, 2));
  mkdirSync(join(dir, 'tiny'));
  writeFileSync(join(dir, 'tiny', 'baseline--balance-lookup.json'), '{}');
  return dir;
}

test('report SCALE-OUT: the scale reports from scale.json, the budget judged as scale judges it (0, 99 on a fail or an undecided point, --inconclusive pass), --out', async () => {
  const f = scaleFixture();
  const dir = jobDir(f);
  const r = await cli(['report', dir]);
  assert.equal(r.code, 0, r.stderr);
  // The same Markdown `scale` writes: the title, the status, ..., the budget met on the judged variant's 6 points.
  assert.equal(r.stdout, renderScaleMarkdown(f));
  assert.match(r.stdout, /^# ledger-bench scale: how each query grows with the data\n\nStatus: complete\./);
  assert.match(r.stdout, /p95 under 50 ms on every measured point of optimized: met \(6 pass, 0 fail, 0 inconclusive\)/);
  assert.match(r.stderr, /report: scale complete \(12 points\), budget met on 6\n/);
  assert.match(lastLines(r.stderr)[0]!, /ledger-bench report: exit 0 \(ok\)/);

  // The file itself, every format into --out.
  const out = join(tempDir('report-scale-out'), 'site');
  const all = await cli(['report', join(dir, 'scale.json'), '--format', 'all', '--out', out]);
  assert.equal(all.code, 0, all.stderr);
  for (const file of ['report.md', 'report.json', 'junit.xml', 'report.html']) assert.ok(existsSync(join(out, file)), file);
  assert.equal(readFileSync(join(out, 'report.md'), 'utf8'), renderScaleMarkdown(f));
  assert.equal(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).budget.passed, true);

  // optimized's history at 1M entries: 12.6 ms [11.4, 13.9]. Under 10 ms: a decided fail.
  const fail = await cli(['report', dir, '--budget-ms', '10', '--format', 'junit']);
  assert.equal(fail.code, 99, fail.stderr);
  assert.match(fail.stdout, /failures="1"/);
  assert.match(fail.stderr, /the budget failed on 1: optimized \/ balance-history at medium/);
  assert.match(lastLines(fail.stderr)[0]!, /exit 99 \(a budget failed or was not decided\)/);
  // Under 13 ms: the interval straddles it, not decided: 99, unless --inconclusive pass.
  const open = await cli(['report', dir, '--budget-ms', '13']);
  assert.equal(open.code, 99, open.stderr);
  assert.match(open.stdout, /\*\*not decided\*\* \(5 pass, 0 fail, 1 inconclusive\)/);
  assert.match(open.stderr, /not decided on 1: optimized \/ balance-history at medium \(--inconclusive pass lets that through\)/);
  const let_ = await cli(['report', dir, '--budget-ms', '13', '--inconclusive', 'pass']);
  assert.equal(let_.code, 0, let_.stderr);
  assert.match(let_.stderr, /budget met on 5, 1 not decided \(counted as met: --inconclusive pass\)/);
  // The baseline judged instead: its history grows linearly, 1000 ms at 1M entries.
  const base = await cli(['report', dir, '--budget-variants', 'baseline']);
  assert.equal(base.code, 99, base.stderr);
  assert.match(base.stderr, /the budget failed on 2: baseline \/ balance-history at small, baseline \/ balance-history at medium/);
});

test('report SCALE-OUT: a partial scale.json is rendered, never judged, exit 0 (as for partial runs); an invalid one, a second input or a foreign flag is bad input (2)', async () => {
  const partial = await cli(['report', jobDir(scaleFixture(true)), '--budget-ms', '1']);
  assert.equal(partial.code, 0, partial.stderr);
  assert.match(partial.stdout, /Status: \*\*PARTIAL\*\* \(interrupted\)/);
  assert.match(partial.stdout, /not judged \(the job is partial/);
  assert.match(partial.stderr, /scale\.json is partial \(interrupted\): 8 point\(s\) rendered, the budget not judged/);

  const dir = jobDir({ ...scaleFixture(), sizes: 'x' });
  const bad = await cli(['report', dir, '--budget-variants', 'nope']);
  assert.equal(bad.code, 2, bad.stderr);
  assert.ok(bad.stderr.includes(`${join(dir, 'scale.json')}: not a valid scale.json (sizes: `), bad.stderr);
  assert.equal(hasStackTrace(bad.stderr), false);
  assert.equal(bad.stdout, '');

  const good = jobDir(scaleFixture());
  const two = await cli(['report', good, join(good, 'tiny', 'baseline--balance-lookup.json'), '--budget-variants', 'nope', '--budget', 'p(99)<5']);
  assert.equal(two.code, 2, two.stderr);
  assert.match(two.stderr, /scale\.json: a scale job's scale\.json is rendered on its own/);
  assert.match(two.stderr, /--budget-variants: "nope" is not one of the variants run \(baseline, optimized\)/);
  assert.match(two.stderr, /--budget: a scale job judges the p95 under one budget in ms; give --budget-ms instead/);
  assert.equal(two.stdout, '');
});
