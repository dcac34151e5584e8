/** A variant's migration report as text: steps with times, index builds with sizes. Pure. */
import type { MigrationReport } from '../variant-build/migrate.js';
import { textTable } from './text-table.js';

const sec = (ms: number) => (ms / 1000).toFixed(2);

/** Renders one migration. */
export function renderMigration(m: MigrationReport): string {
  const rows = m.steps.map((st) => [
    st.name,
    st.kind,
    st.skipped ? `skipped: ${st.skipped}` : st.index ? (st.index.concurrently ? 'CONCURRENTLY' : 'in transaction') : st.transaction ? 'in transaction' : 'no transaction',
    st.index ? (st.index.sizeBytes / 2 ** 20).toFixed(2) : '',
    sec(st.ms),
  ]);
  return (
    `\n${m.variant} -> ${m.database}: clone ${sec(m.cloneMs)} s, steps ${sec(m.steps.reduce((a, s) => a + s.ms, 0))} s, ` +
    `ANALYZE ${sec(m.analyzeMs)} s, total ${sec(m.totalMs)} s; ${m.indexes.length} indexes (${m.indexes.filter((i) => i.concurrently).length} concurrently)\n` +
    (rows.length ? textTable(['step', 'kind', 'how', ' index MB', ' seconds'], rows) : '')
  );
}
