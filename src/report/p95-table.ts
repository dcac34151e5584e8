/**
 * The comparison table: per scenario, the p95 latency of the baseline ("before")
 * and of each variant ("after"), next to the review's claimed ranges. Pure: no I/O.
 */
import type { P95Row } from '../result/comparison.js';

function ms(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function range(r: readonly [number, number] | undefined): string {
  if (!r) return '-';
  return r[0] === r[1] ? `~${r[0]}` : `${r[0]}-${r[1]}`;
}

/** Renders the table as Markdown (ratios are variant p95 / baseline p95). */
export function formatP95Table(rows: readonly P95Row[], variants: readonly string[], baseline = 'baseline'): string {
  const head = ['scenario', 'claimed before', 'claimed after', ...variants.map((v) => `${v} p95`)];
  const out = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const base = r.cells[baseline]?.p95Ms ?? null;
    const cells = variants.map((v) => {
      const c = r.cells[v];
      if (!c || c.p95Ms === null) return '-';
      const ratio = v !== baseline && base ? ` (${(c.p95Ms / base).toFixed(2)}x)` : '';
      const err = c.errors ? ` [${c.errors} err]` : '';
      return `${ms(c.p95Ms)}${ratio}${err}`;
    });
    out.push(`| ${[r.scenario, range(r.claim?.beforeMs), range(r.claim?.afterMs), ...cells].join(' | ')} |`);
  }
  return out.join('\n');
}
