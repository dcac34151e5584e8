/** `ledger-bench gate`: did this change make things slower? Base and head measured in one job, interleaved. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { redactSettings } from '../../config/load.js';
import { ExitCode, UserError } from '../../errors.js';
import { defineCommand } from '../command.js';
import { engineSettings } from '../engine-settings.js';
import { mixProblems, variantListProblems } from '../list-problems.js';
import { parseMix } from '../parse-lists.js';
import { partialOutcome } from '../run-outcome.js';
import { printJsonFile, progressLog } from '../output-flags.js';
import type { GateSide } from '../../gate/sides.js';
import type { RunResult } from '../../result/types.js';

/** Overall confidence of the gate's intervals (split over the scenarios judged). */
const GATE_CONFIDENCE = 0.95;

export const gateCommand = defineCommand({
  name: 'gate',
  summary: 'PR gate: is the head slower than the base? interleaved blocks, a ratio interval, a minimum effect',
  usage: 'gate --base SIDE --head SIDE [options]',
  description: `
Measures base and head in one job on the same data and fails only on a regression that
is both significant and large. A SIDE is a variant (built-in, or a <name>.sql of
--variants-dir), a result JSON file (read, not run), or a git ref of the current
directory's repository: REF or REF:VARIANT (default variant: optimized), which runs that
variant and the scenario SQL as they are at that commit (its tree extracted once into
.ledger-bench/gate-refs/<sha>; it must have this checkout's package-lock.json), built and
measured by this checkout's code. Each variant or ref side is built once as a fresh clone
of the seeded baseline (<prefix>_gate_base, <prefix>_gate_head), then
--blocks blocks run: in each, base and head run the same fixed-rate load (--rate for
--block-duration after --warmup, the same seed within the block) in a random order drawn
from --seed. Per scenario, the gate takes each block's p95 ratio head/base, their
Hodges-Lehmann estimate and its exact Wilcoxon signed-rank 95% interval (Bonferroni-split
over the scenarios judged, so 6 blocks are the fewest for one scenario, 9 for the default
mix; a scenario needs 20 successful transactions per block and side). A
scenario regresses when the interval lies above 1 AND the ratio exceeds 1 + --min-effect
(default 10%). The absolute budgets (--budget, default p(95) under --budget-ms) are judged
on each side pooled over its blocks, pass, fail or inconclusive from the 95% interval
(batches: the blocks). Only a NEW violation fails the gate: decided fail on the head where
the base passed. A violation the base shares (base failed: floor-bound, or inconclusive) is
reported, not failed, unless --fail-shared-budgets. A head inconclusive where the base
passed fails under --inconclusive fail (the default) only when the per-block comparison
finds the head significantly slower or could not compare that scenario. A result file
that is not a gate side result counts as ONE block (its noise is unknown: a weaker
guarantee). Writes gate.json, gate.md (also appended to $GITHUB_STEP_SUMMARY), gate-junit.xml and each run side pooled (gate-base.json,
gate-head.json, with the per-block p95s) to --out. Exits 99 on a regression or a new
budget violation, 0 otherwise; 130 when interrupted and 1 when a run broke (nothing judged).`,
  keys: [
    'databaseUrl', 'db', 'containerImage', 'dataDir', 'dbPrefix', 'force', 'base', 'head', 'variantsDir', 'mix', 'rate', 'blocks', 'blockSec', 'warmupSec',
    'minEffect', 'connections', 'workers', 'maxTries', 'seed', 'budgetMs', 'budgets', 'inconclusive', 'failSharedBudgets', 'refreshIntervalSec', 'reconnectTimeoutSec', 'engineTimer', 'engineDriver', 'quiet', 'json', 'out',
  ],
  measures: true,
  examples: [
    'ledger-bench gate --base indexes --head my-index --variants-dir pr/variants --rate 200 --blocks 10 --block-duration 5s --warmup 1s',
    'ledger-bench gate --base baseline --head baseline --rate 200   # an A/A check: must pass',
    'ledger-bench gate --base origin/main:optimized --head HEAD:optimized --rate 200   # a PR against its base, by git ref',
    "ledger-bench gate --base reports/gate-base.json --head optimized --budget 'p(95)<50'",
  ],
  async validate({ settings: s, sources }) {
    // A bad --variants-dir (missing, bad names) is reported like a bad list.
    const problems = [...(await variantListProblems('baseline', '--variants-dir', false, s.variantsDir)), ...(await mixProblems(s.mix))];
    if (problems.length) return problems;
    const { listVariants } = await import('../../../variants/registry.js');
    const { classifySide } = await import('../../gate/sides.js');
    const names = (await listVariants({ variantsDir: s.variantsDir })).map((v) => v.name);
    const { SCENARIOS } = await import('../../../scenarios/registry.js');
    const { prepareRefSide } = await import('../../gate/git-ref.js');
    const { DEFAULT_MIX } = await import('../../../scenarios/mix.js');
    const mixWeights = s.mix ? parseMix(s.mix, SCENARIOS.map((x) => x.name)) : DEFAULT_MIX;
    const mixNames = Object.keys(mixWeights).filter((n) => mixWeights[n]! > 0);
    for (const flag of ['--base', '--head'] as const) {
      const c = classifySide(flag, flag === '--base' ? s.base : s.head, names);
      if ('problem' in c) problems.push(c.problem);
      else if (c.side.kind === 'ref') {
        // Extracts the ref's tree (no database touched) and checks its variant and scenarios.
        const p = await prepareRefSide(flag, c.side, mixNames, process.cwd(), s.variantsDir || undefined);
        if ('problem' in p) problems.push(p.problem);
      } else if (c.side.kind === 'result') {
        const { readResult } = await import('../../result/write.js');
        const path = c.side.path;
        await readResult(path).catch((err: Error & { issues?: Array<{ path: PropertyKey[]; message: string }> }) => {
          // A schema error lists its first fields; a parse error is one line.
          const why = err.issues ? err.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ') : err.message;
          problems.push(`${flag} ${path}: not a ledger-bench result JSON (${why}); give a file written by run, compare or gate`);
        });
      }
    }
    const { effectiveBudgets, budgetScenarioProblems } = await import('../../budgets/settings.js');
    // Blocks too few for the confidence over the scenarios of the mix can never show a regression: say so now.
    const { minBlocksFor, perScenarioConfidence } = await import('../../gate/gate-stats.js');
    const k = mixNames.length;
    const needed = minBlocksFor(perScenarioConfidence(GATE_CONFIDENCE, k));
    if (s.blocks < needed) {
      problems.push(`--blocks ${s.blocks}: too few to reach ${GATE_CONFIDENCE * 100}% confidence over the ${k} scenario(s) of the mix; use --blocks ${needed} or more (or fewer scenarios with --mix)`);
    }
    problems.push(...budgetScenarioProblems(effectiveBudgets(s, sources.budgetMs), SCENARIOS.map((x) => x.name), sources.budgets));
    return problems;
  },
  async run({ settings: s, sources, log, signal }) {
    const { listVariants } = await import('../../../variants/registry.js');
    const { classifySide, blocksOfResult, blockOfRun, runsHere, sideVariantLabel } = await import('../../gate/sides.js');
    const { readResult } = await import('../../result/write.js');
    const names = (await listVariants({ variantsDir: s.variantsDir })).map((v) => v.name);
    const side = (flag: '--base' | '--head', v: string): GateSide => {
      const c = classifySide(flag, v, names);
      if ('problem' in c) throw new UserError(c.problem);
      return c.side;
    };
    const sides = { base: side('--base', s.base), head: side('--head', s.head) };
    const { SCENARIOS } = await import('../../../scenarios/registry.js');
    const mix = s.mix ? parseMix(s.mix, SCENARIOS.map((x) => x.name)) : undefined;
    // Git-ref sides: their trees and variants (validate checked them; extracted trees are cached).
    const { prepareRefSide } = await import('../../gate/git-ref.js');
    const { DEFAULT_MIX } = await import('../../../scenarios/mix.js');
    const refs: NonNullable<import('../../gate/run-blocks.js').RunBlocksOptions['refs']> = {};
    const weights = mix ?? DEFAULT_MIX;
    for (const k of ['base', 'head'] as const) {
      const sd = sides[k];
      if (sd.kind !== 'ref') continue;
      const p = await prepareRefSide(`--${k}`, sd, Object.keys(weights).filter((n) => weights[n]! > 0), process.cwd(), s.variantsDir || undefined);
      if ('problem' in p) throw new UserError(p.problem);
      refs[k] = p;
    }
    const { effectiveBudgets } = await import('../../budgets/settings.js');
    const budgets = effectiveBudgets(s, sources.budgetMs);
    const files: Partial<Record<'base' | 'head', RunResult>> = {};
    for (const k of ['base', 'head'] as const) {
      const sd = sides[k];
      if (sd.kind === 'result') files[k] = await readResult(sd.path);
    }

    const outDir = resolve(s.out);
    mkdirSync(outDir, { recursive: true });
    const notes: string[] = [];
    let runs: import('../../gate/run-blocks.js').BlockRun[] = [];
    const ran = runsHere(sides.base) || runsHere(sides.head);
    if (ran) {
      const { openServer } = await import('../server-session.js');
      const { requireSeededBaseline } = await import('../baseline-check.js');
      const { assertReplaceable } = await import('../../db/readiness.js');
      const { runBlocks, gateDatabase } = await import('../../gate/run-blocks.js');
      const server = await openServer(s, log);
      await requireSeededBaseline(server.url, s.dbPrefix, server.label);
      await assertReplaceable(server.url, [gateDatabase(s.dbPrefix, 'base'), gateDatabase(s.dbPrefix, 'head')], s.force);
      runs = await runBlocks({
        serverUrl: server.url,
        prefix: s.dbPrefix,
        force: s.force,
        sides,
        refs,
        ...(s.variantsDir ? { variantsDir: s.variantsDir } : {}),
        blocks: s.blocks,
        blockSec: s.blockSec,
        warmupSec: s.warmupSec,
        rate: s.rate,
        seed: s.seed,
        ...(mix ? { mix } : {}),
        refreshIntervalSec: s.refreshIntervalSec,
        engine: engineSettings(s),
        config: redactSettings({ command: 'gate', ...s, budgets }),
        signal,
        // The blocks' lines are progress only: --quiet drops them.
        log: progressLog(log, s.quiet),
      });
    }

    // Per-block data of each side: the runs of this job, or a file's stored blocks (repeated when shorter).
    const { poolSequentialRuns } = await import('../../gate/pool-runs.js');
    const sideBlocks: Record<'base' | 'head', Array<Record<string, { p95: number; count: number }>>> = { base: [], head: [] };
    const pooled: Partial<Record<'base' | 'head', RunResult>> = {};
    for (const k of ['base', 'head'] as const) {
      if (files[k]) {
        sideBlocks[k] = blocksOfResult(files[k]!);
        const stored = sideBlocks[k].length;
        notes.push(
          stored > 1
            ? `${k} is a result file with ${stored} stored blocks, measured in another job: the pairing is by block index, not interleaved on this machine`
            : `${k} is a single result (one block, measured in another job): its own run-to-run noise is unknown, so the interval only reflects the other side (a weaker guarantee)`,
        );
        continue;
      }
      const mine = runs.filter((r) => r.side === k).sort((a, b) => a.block - b.block);
      sideBlocks[k] = mine.map((r) => blockOfRun(r.result));
      if (mine.length) {
        pooled[k] = poolSequentialRuns(mine.map((r) => r.result), sideBlocks[k]);
        const { writeResultAtomic } = await import('../../result/write.js');
        await writeResultAtomic(outDir, pooled[k]!, `gate-${k}.json`);
      }
    }
    const n = ran ? s.blocks : Math.min(sideBlocks.base.length, sideBlocks.head.length);
    const blocks = [];
    for (let i = 0; i < n; i++) {
      const b = sideBlocks.base.length ? sideBlocks.base[files.base ? i % sideBlocks.base.length : i] : undefined;
      const h = sideBlocks.head.length ? sideBlocks.head[files.head ? i % sideBlocks.head.length : i] : undefined;
      if (!b || !h) break;
      const order = runs.filter((r) => r.block === i).sort((x, y) => x.position - y.position).map((r) => r.side);
      blocks.push({ index: i, ...(order.length ? { order } : {}), base: b, head: h });
    }

    // A partial run, or an interruption, is never judged.
    const partial = partialOutcome(
      [...runs.map((r) => ({ label: `block ${r.block + 1} ${r.side}`, result: r.result })), ...(['base', 'head'] as const).flatMap((k) => (files[k] ? [{ label: k, result: files[k]! }] : []))],
    );
    const complete = !partial && !signal.aborted && blocks.length === n;
    const { judgeBlocks } = await import('../../gate/judge.js');
    const scenarios = complete ? judgeBlocks(blocks, { confidence: GATE_CONFIDENCE, minEffect: s.minEffect }) : [];
    const regressions = scenarios.filter((x) => x.verdict === 'regression').map((x) => x.scenario);
    // Budgets on both pooled sides; only a new violation fails (src/gate/budget-gate.ts).
    const { checkResult } = await import('../../budgets/evaluate.js');
    const { judgeGateBudgets } = await import('../../gate/budget-gate.js');
    const { pooledP95s } = await import('../../gate/gate-report.js');
    const sideResult = { base: files.base ?? pooled.base, head: files.head ?? pooled.head };
    const label = (k: 'base' | 'head'): string => (runsHere(sides[k]) ? sideVariantLabel(sides[k] as Exclude<GateSide, { kind: 'result' }>) : k);
    const checksOf = (k: 'base' | 'head') => (sideResult[k] && complete ? checkResult(label(k), sideResult[k]!, budgets) : []);
    const byScenario = new Map(scenarios.map((x) => [x.scenario, x]));
    const verdict = judgeGateBudgets(
      checksOf('base'),
      checksOf('head'),
      {
        policy: s.inconclusive,
        failShared: s.failSharedBudgets,
        slower: (name) => {
          const g = byScenario.get(name);
          return g?.judged ? g.low! > 1 : undefined;
        },
      },
      complete && !!sideResult.head,
    );

    let outcome: { code: number; line: string };
    if (partial) outcome = { code: partial.code, line: `gate incomplete, nothing judged: ${partial.line}` };
    else if (!complete) outcome = { code: ExitCode.interrupted, line: `gate interrupted after ${blocks.length} of ${n} block(s), nothing judged: exit ${ExitCode.interrupted}` };
    else if (regressions.length || verdict.blocking.length) {
      const why = [
        ...(regressions.length ? [`regression in ${regressions.join(', ')}`] : []),
        ...(verdict.failed.length ? [`${verdict.failed.length} new budget violation(s) on the head`] : []),
        ...(verdict.blocking.some((c) => c.standing === 'undecided') ? [`${verdict.blocking.filter((c) => c.standing === 'undecided').length} budget(s) undecided on the head where the base passed (--inconclusive fail)`] : []),
        ...(verdict.blocking.some((c) => c.standing === 'shared') ? [`${verdict.blocking.filter((c) => c.standing === 'shared').length} shared budget violation(s) (--fail-shared-budgets)`] : []),
      ];
      outcome = { code: ExitCode.thresholdFailed, line: `gate failed: ${why.join('; ')}: exit ${ExitCode.thresholdFailed}` };
    } else {
      const judged = scenarios.filter((x) => x.judged).length;
      if (judged === 0) notes.push('no scenario had enough samples to be judged: raise --rate, --block-duration or --blocks');
      outcome = { code: ExitCode.ok, line: `gate passed: no significant regression above ${(s.minEffect * 100).toFixed(0)}% in ${judged} scenario(s) judged, no new budget violation${verdict.shared.length ? ` (${verdict.shared.length} shared with the base, reported)` : ''}: exit ${ExitCode.ok}` };
    }

    const { GATE_REPORT_VERSION } = await import('../../gate/gate-report.js');
    const report: import('../../gate/gate-report.js').GateReport = {
      kind: 'ledger-bench-gate',
      version: GATE_REPORT_VERSION,
      complete,
      base: { ...sides.base, spec: s.base },
      head: { ...sides.head, spec: s.head },
      settings: { blocks: s.blocks, blockSec: s.blockSec, warmupSec: s.warmupSec, rate: s.rate, seed: s.seed, mix: mix ?? null, minEffect: s.minEffect, confidence: GATE_CONFIDENCE },
      blocks,
      scenarios,
      regressions,
      budgets: verdict,
      pooledP95: pooledP95s(sideResult),
      notes,
      outcome,
    };
    const { renderGateMarkdown, renderGateJunit, describeGateBudgets } = await import('../../gate/render.js');
    const { appendStepSummary } = await import('../../report/write-reports.js');
    const md = renderGateMarkdown(report);
    writeFileSync(join(outDir, 'gate.json'), JSON.stringify(report, null, 2) + '\n');
    writeFileSync(join(outDir, 'gate.md'), md);
    writeFileSync(join(outDir, 'gate-junit.xml'), renderGateJunit(report));
    appendStepSummary(md);
    if (s.json) printJsonFile(join(outDir, 'gate.json'));
    else process.stdout.write('\n' + md);
    log(`gate reports: ${outDir} (gate.json, gate.md, gate-junit.xml${Object.keys(pooled).map((k) => `, gate-${k}.json`).join('')})`);
    if (complete) for (const line of describeGateBudgets(verdict)) log(line);
    log(outcome.line);
    return outcome.code;
  },
});
