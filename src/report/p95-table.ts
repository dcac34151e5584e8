/**
 * The comparison table: per scenario, the p95 latency of the baseline ("before")
 * and of each variant ("after"), next to the review's claimed ranges. Pure: no I/O.
 */
import type { Cell, P95Row } from '../result/comparison.js';
import { fmtEstimate, improvement } from '../stats/interval-format.js';

/** A cell's p95 as an estimate for the ratio (null without data). */
const estimate = (c: Cell | undefined) => (c && c.p95Ms !== null ? { value: c.p95Ms, lo: c.p95Ci?.lo ?? null, hi: c.p95Ci?.hi ?? null } : null);

function range(r: readonly [number, number] | undefined): string {
  if (!r) return '-';
  return r[0] === r[1] ? `~${r[0]}` : `${r[0]}-${r[1]}`;
}

/**
 * Renders the table as Markdown: each p95 with its 95% interval, and beside every variant
 * its improvement on the baseline (baseline p95 / variant p95 with the ratio's interval,
 * "no significant difference" when it contains 1).
 */
export function formatP95Table(rows: readonly P95Row[], variants: readonly string[], baseline = 'baseline'): string {
  const head = ['scenario', 'claimed before', 'claimed after', ...variants.map((v) => `${v} p95`)];
  const out = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const base = estimate(r.cells[baseline]);
    const cells = variants.map((v) => {
      const c = r.cells[v];
      if (!c || c.p95Ms === null) return '-';
      const ratio = v !== baseline && base ? `, ${improvement(base, estimate(c)).text}` : '';
      const err = c.errors ? ` [${c.errors} err]` : '';
      // A cell without p95Ci (comparison.json written before intervals) says so: never a bare figure.
      return `${fmtEstimate(c.p95Ms, c.p95Ci, c.count)}${ratio}${err}`;
    });
    out.push(`| ${[r.scenario, range(r.claim?.beforeMs), range(r.claim?.afterMs), ...cells].join(' | ')} |`);
  }
  return out.join('\n');
}
