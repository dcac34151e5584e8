/**
 * The server evidence section of the report, per variant: the plan summary of each
 * read scenario (one EXPLAIN ANALYZE), pg_stat_statements' mean execution time beside
 * our measured p50, and index sizes with their idx_scan deltas (an index the workload
 * never scanned is flagged). Pure: reads the result JSON's `evidence` field only.
 */
import type { IndexEvidence, RunEvidence } from '../result/types.js';
import { fmtMs, type ReportRun } from './model.js';
import { fmtPercentile } from './interval-format.js';

const mb = (bytes: number) => (bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MB` : `${(bytes / 1024).toFixed(0)} kB`);

/** How to read the two times side by side (they measure different things). */
export const EVIDENCE_NOTE =
  'Collected outside the timed window. Mean exec is pg_stat_statements\' server execution time per call over the whole run (warm-up included): ' +
  'no network, no driver, no queueing. p50 is our client latency from the intended start (warm-up excluded). ' +
  'They measure different things: a large gap means time spent outside the executor (waiting for a connection, the network, the schedule). ' +
  'The plan is one EXPLAIN (ANALYZE, BUFFERS) with one parameter draw, run after the load (custom plan, warm cache), rolled back.';

function indexFlag(i: IndexEvidence): string {
  if (i.idxScanDelta > 0) return '';
  // Unique and primary-key indexes enforce constraints even when nothing scans them.
  return i.primary || i.unique ? 'not scanned (enforces a constraint)' : '**not scanned under this workload**';
}

/** Markdown lines for one run's evidence (empty when the run has none). */
export function evidenceSection(run: ReportRun): string[] {
  const ev = run.result.evidence as RunEvidence | undefined;
  if (!ev) return [];
  const out = [`## Server evidence: ${run.variant}`, '', `Database \`${ev.database}\`, collected ${ev.collectedAt}. ${EVIDENCE_NOTE}`, ''];
  if (!ev.statementsAvailable) out.push(`Statement counters unavailable: ${ev.statementsUnavailable ?? 'unknown reason'}.`, '');
  if (ev.scenarios.length) {
    out.push(
      '| scenario | query | plan: top node / indexes used | shared hit / read | EXPLAIN ms | calls | mean exec ms (server) | p50 ms (client) |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const s of ev.scenarios) {
      const measured = run.result.scenarios.find((x) => x.name === s.scenario);
      const p50 = measured && measured.count > 0 ? fmtPercentile(measured, 'p50') : '-';
      const plan = s.plan ? `${s.plan.topNode} / ${s.plan.indexes.length ? s.plan.indexes.map((i) => `\`${i}\``).join(', ') : 'no index'}${s.plan.nodeTypes.includes('Seq Scan') ? ' (Seq Scan)' : ''}` : `no plan: ${s.planError ?? 'not collected'}`;
      const buffers = s.plan ? `${s.plan.sharedHit} / ${s.plan.sharedRead}` : '-';
      const st = s.statement;
      out.push(`| ${s.scenario} | ${s.query} | ${plan.replace(/\|/g, '\\|')} | ${buffers} | ${s.plan ? fmtMs(s.plan.executionMs) : '-'} | ${st ? st.calls : '-'} | ${st ? fmtMs(st.meanExecMs) : '-'} | ${p50} |`);
    }
    out.push('');
  }
  if (ev.indexes.length) {
    out.push('| index | table | size | idx_scan delta | |', '|---|---|---|---|---|');
    for (const i of ev.indexes) out.push(`| ${i.index}${i.partitions ? ` (${i.partitions} partitions)` : ''} | ${i.table} | ${mb(i.sizeBytes)} | ${i.idxScanDelta} | ${indexFlag(i)} |`);
    out.push('', 'idx_scan delta: scans from just before the run to just after it (warm-up and the workload\'s setup included). An index nothing scanned still costs space and every write.', '');
  }
  const plans = ev.scenarios.filter((s) => s.plan);
  for (const s of plans) out.push(`Plan of ${s.scenario} (${s.query}):`, '', '```', s.plan!.text, '```', '');
  for (const n of ev.notes ?? []) out.push(`Note: ${n}`, '');
  return out;
}
