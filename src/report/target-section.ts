/**
 * The report's "Target database" section: for runs on an existing database measured
 * as it is (`--target`), which query each scenario ran and why, how the parameters
 * were drawn, the share of reads that returned no row, and what was written. A pure
 * function of the results.
 */
import type { RunResult, TargetDatabase } from '../result/types.js';
import type { ReportData } from './model.js';

/** Every result of the report: the runs', and each isolated run's. */
function resultsOf(data: ReportData): RunResult[] {
  return [...data.runs.map((r) => r.result), ...(data.isolation?.runs ?? []).map((r) => r.result)];
}

/** The first target description among the report's results (one job measures one target). */
function targetOf(data: ReportData): TargetDatabase | undefined {
  return resultsOf(data).find((r) => r.targetDatabase)?.targetDatabase;
}

/** Zero-row shares of every result of the report, per scenario (summed over the runs). */
function zeroRowsOf(data: ReportData): Array<{ scenario: string; reads: number; zeroRows: number }> {
  const results = resultsOf(data);
  const by = new Map<string, { scenario: string; reads: number; zeroRows: number }>();
  for (const z of results.flatMap((r) => r.targetDatabase?.zeroRows ?? [])) {
    const x = by.get(z.scenario) ?? { scenario: z.scenario, reads: 0, zeroRows: 0 };
    x.reads += z.reads;
    x.zeroRows += z.zeroRows;
    by.set(z.scenario, x);
  }
  return [...by.values()];
}

/** The lines of one target description (plain Markdown; also printed by `run --target`). */
export function targetLines(t: TargetDatabase, zeroRows: ReadonlyArray<{ scenario: string; reads: number; zeroRows: number }> = t.zeroRows): string[] {
  const out = [
    `Database \`${t.database}\` measured as it is: ${t.readOnly ? 'read-only sessions (default_transaction_read_only = on), nothing written' : `writes allowed: entries tagged \`${t.entryTag ?? ''}\``}; nothing created in it.`,
    '',
    '| scenario | query ran | why |',
    '|---|---|---|',
    ...t.queries.map((q) => `| ${q.scenario} | ${q.query} (${q.side}) | ${q.why.replace(/\|/g, '\\|')} |`),
    '',
    `Features found: ${t.features.map((f) => `${f.feature} ${f.present ? 'yes' : 'no'}`).join(', ')}.`,
    '',
    ...t.parameters.description.map((l) => `- ${l}`),
    '',
    `Reads that returned no row: ${zeroRows.map((z) => `${z.scenario} ${z.zeroRows}/${z.reads} (${((z.zeroRows / Math.max(1, z.reads)) * 100).toFixed(0)}%)`).join(', ') || 'none counted'}.`,
  ];
  for (const w of t.zeroRowWarnings ?? []) out.push('', `**Warning**: ${w}.`);
  if (t.entriesWritten !== undefined) out.push('', `Entries written by this run: ${t.entriesWritten} (description \`${t.entryTag ?? ''}\`).`);
  out.push('', `Server evidence: ${t.serverEvidence}.`, '');
  return out;
}

/** The "Target database" section, empty when no result is from a --target. */
export function targetSection(data: ReportData): string[] {
  const t = targetOf(data);
  if (!t) return [];
  const warnings = [...new Set(resultsOf(data).flatMap((r) => r.targetDatabase?.zeroRowWarnings ?? []))];
  return ['## Target database', '', ...targetLines({ ...t, zeroRowWarnings: warnings }, zeroRowsOf(data))];
}
