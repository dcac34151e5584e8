/**
 * The test files `npm test` may run two (or more) at a time: each asserts nothing that
 * depends on how fast the machine is, so sharing the 2 cores cannot fail it. Every
 * other file runs alone, after these, one at a time (test/run.ts): the files that
 * measure time (fixed-rate runs judged on latency or completeness, the gate, capacity,
 * bench, the engine's scheduler and settle tests), send a signal at a chosen moment,
 * restart a server, or look at every database on the server.
 *
 * A new file runs alone until it is listed here. List it only when nothing it asserts
 * depends on speed (a run is fine when its budget is one no busy machine misses and it
 * counts only what any speed produces) and it shares no fixed name, port or directory
 * with another file. Paths are relative to the project root; test/run.ts refuses a path
 * that does not exist.
 */
export const CONCURRENT_FILES: readonly string[] = [
  // Pure: parsers, statistics, report formatting, layers, docs checks.
  'test/api/http-overhead.test.ts',
  'test/budgets.test.ts',
  'test/capacity/judge-probe.test.ts',
  'test/capacity/capacity-figures.test.ts',
  'test/capacity/search.test.ts',
  'test/capacity/sequential.test.ts',
  'test/capacity/step-down.test.ts',
  'test/cli/failure-semantics.test.ts',
  'test/cli/load-flags.test.ts',
  'test/cli/readme.test.ts',
  'test/cli/smoke.test.ts',
  'test/compare/evidence-parts.test.ts',
  'test/config/load.test.ts',
  'test/gate/budget-gate.test.ts',
  'test/gate/gate-stats.test.ts',
  'test/stats/growth-fit.test.ts',
  'test/gate/git-ref.test.ts',
  'test/gate/ref-trees-prune.test.ts',
  'test/gate/sides.test.ts',
  'test/gate/workflow.test.ts',
  'test/k6/scripts.test.ts',
  'test/layers.test.ts',
  'test/ledger-triggers.test.ts',
  'test/pgbench.test.ts',
  'test/report/capacity-isolation-report.test.ts',
  'test/report/evidence-report.test.ts',
  'test/report/intervals.test.ts',
  'test/report/junit.test.ts',
  'test/report/scale-report.test.ts',
  'test/report/warmup-note.test.ts',
  'test/result-timeline.test.ts',
  'test/result/from-k6-summary.test.ts',
  'test/seed-distributions.test.ts',
  'test/seed-generator-thread.test.ts',
  'test/stats-settle.test.ts',
  'test/stats.test.ts',
  'test/stats-quantile-ci.test.ts',
  // Databases (each under its own random prefix), servers of their own, no timing: seeding,
  // schema, variants, equivalence, bad input, the runner itself in a private clone.
  'test/api/endpoints.test.ts',
  'test/cli/bad-input.test.ts',
  'test/cli/out-dir.test.ts',
  'test/cli/private-dir.test.ts',
  'test/cli/seed-pg15.test.ts',
  'test/db/embedded.test.ts',
  'test/db/ownership.test.ts',
  'test/k6/api-requests.test.ts',
  'test/seed-database.test.ts',
  'test/seed-pinned.test.ts',
  'test/table-ddl.test.ts',
  'test/traps-monitoring.test.ts',
  'test/traps.test.ts',
  'test/variants.test.ts',
  'test/verify.test.ts',
  // Short runs judged only on what any speed produces (a budget of 60 s or more, a count far below the rate).
  'test/cli/evidence-run.test.ts',
  'test/cli/isolate.test.ts',
  'test/cli/redaction.test.ts',
  'test/cli/report.test.ts',
  'test/cli/report-scale.test.ts',
  'test/cli/variant-commands.test.ts',
  'test/cli/variants-dir.test.ts',
  'test/compare/evidence.test.ts',
  'test/scenarios.test.ts',
];
