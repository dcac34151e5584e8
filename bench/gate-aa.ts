/**
 * A/A proof of the example PR gate: the gate command of .github/workflows/perf-gate.yml,
 * exactly its flags (read from the workflow file, so they cannot drift apart), with the
 * same variant on both sides, run N times on this machine. Every run must pass (exit 0):
 * nothing changed, so a failure is a false alarm.
 *
 *   [DATABASE_URL=postgres://...] node --import tsx bench/gate-aa.ts \
 *     [--runs 3] [--variant optimized] [--scale small] [--prefix ledger_bench_gateaa] [--out bench-results/gate-aa]
 *
 * Like the workflow: a server (DATABASE_URL, else the embedded one with ledger-bench's
 * settings), `seed --scale small`, then the gate. The workflow gates by git ref
 * (`$BASE_SHA:optimized` vs `HEAD:optimized`); this script names the variant on both
 * sides, which runs the same definitions without extracting a tree. Each run takes a few
 * minutes (10 blocks x 2 sides x 6 s, plus building both sides). Prints each run's outcome,
 * budget counts and the budgets that did not plainly pass, then `A/A: K of N passed`, with
 * `uptime` before every run (figures in docs/gate.md come from this output).
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg } from './arg.js';
import { benchServer } from './bench-server.js';
import type { GateReport } from '../src/gate/gate-report.js';
import { describeGateBudgets, fmtPooled } from '../src/gate/render.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(arg('runs', '3'));
const variant = arg('variant', 'optimized');
const scale = arg('scale', 'small');
const prefix = arg('prefix', 'ledger_bench_gateaa');
const outDir = resolve(arg('out', 'bench-results/gate-aa'));
const log = (l: string): void => void process.stdout.write(l + '\n');

/** The gate step's arguments in the workflow, split like a shell would (quotes removed), without --base/--head/--out. */
function workflowGateArgs(yaml: string): string[] {
  const step = yaml.slice(yaml.indexOf('ledger-bench.js gate') + 'ledger-bench.js gate'.length, yaml.indexOf('- name: Upload'));
  const words = [...step.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (['--base', '--head', '--out'].includes(words[i]!)) i++;
    else out.push(words[i]!);
  }
  return out;
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [join(root, 'bin/ledger-bench.js'), ...args], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    p.on('close', (code) => done({ code: code ?? 1, stderr }));
  });
}

const uptime = (): string => execFileSync('uptime', { encoding: 'utf8' }).trim();

async function main(): Promise<number> {
  const gateArgs = workflowGateArgs(readFileSync(join(root, '.github/workflows/perf-gate.yml'), 'utf8'));
  const server = await benchServer();
  const env = { ...process.env, DATABASE_URL: server.url, GITHUB_STEP_SUMMARY: '' };
  try {
    log(`gate A/A: ${runs} run(s) of: gate --base ${variant} --head ${variant} ${gateArgs.join(' ')} (from perf-gate.yml) on ${server.label}`);
    const seeded = await cli(['seed', '--scale', scale, '--db-prefix', prefix], env);
    if (seeded.code !== 0) {
      process.stderr.write(seeded.stderr);
      return 1;
    }
    const outcomes: number[] = [];
    for (let i = 1; i <= runs; i++) {
      const out = join(outDir, `run-${i}`);
      log(`\nrun ${i}/${runs} at ${new Date().toISOString()}; uptime: ${uptime()}`);
      const t0 = performance.now();
      const r = await cli(['gate', '--base', variant, '--head', variant, ...gateArgs, '--db-prefix', prefix, '--out', out], env);
      outcomes.push(r.code);
      log(`  exit ${r.code} after ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      try {
        const g = JSON.parse(readFileSync(join(out, 'gate.json'), 'utf8')) as GateReport;
        log(`  ${g.outcome.line}`);
        log(`  regressions: ${g.regressions.length ? g.regressions.join(', ') : 'none'}`);
        for (const line of describeGateBudgets(g.budgets)) log(`  ${line}`);
        for (const [name, p] of Object.entries(g.pooledP95)) log(`    p95 ${name}: base ${fmtPooled(p.base)}, head ${fmtPooled(p.head)}`);
      } catch (err) {
        log(`  no gate.json (${(err as Error).message}); stderr:\n${r.stderr}`);
      }
    }
    const passed = outcomes.filter((c) => c === 0).length;
    log(`\nA/A: ${passed} of ${runs} passed (exit codes ${outcomes.join(', ')}); uptime: ${uptime()}`);
    return passed === runs ? 0 : 1;
  } finally {
    await server.stop();
  }
}

process.exitCode = await main();
