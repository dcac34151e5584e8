/**
 * Where a job's tables go. On its own (`capacity`, `isolate`) a job prints its full
 * tables on stdout and appends its report.md to $GITHUB_STEP_SUMMARY. As a step of
 * `bench` it does neither: bench's combined report at the end shows those tables once
 * ("The answers" on stdout, the one Markdown in the step summary), so the step prints
 * what it found in a line or two and where its tables are. Its files are written either way.
 */
import { NO_STEP_SUMMARY } from '../report/write-reports.js';

/** How a job reports beyond its files. */
export interface StepOutput {
  /** The environment naming the step summary its report.md is appended to (NO_STEP_SUMMARY: none). */
  summaryEnv: NodeJS.ProcessEnv;
  /** Full tables on stdout (true), or a line or two saying what was found and where the tables are. */
  tables: boolean;
}

/** A job run on its own: its tables on stdout, its report in the step summary. */
export const STANDALONE: StepOutput = { summaryEnv: process.env, tables: true };

/** A step of `bench`: bench's combined report shows the tables and goes to the step summary. */
export const BENCH_STEP: StepOutput = Object.freeze({ summaryEnv: NO_STEP_SUMMARY, tables: false });
