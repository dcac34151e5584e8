/** TypeScript types of the result JSON, inferred from the zod schema (one source of truth). */
import type { z } from 'zod';
import type { evidenceSchema, indexEvidenceSchema, planSummarySchema, scenarioEvidenceSchema, statementDeltaSchema } from './evidence-schema.js';
import type { targetDatabaseSchema } from './target-schema.js';
import type { latencySummarySchema, resultSchema, scenarioResultSchema, serverInfoSchema, timelinePointSchema } from './schema.js';

export type LatencySummaryMs = z.infer<typeof latencySummarySchema>;
export type ScenarioResult = z.infer<typeof scenarioResultSchema>;
export type ServerInfo = z.infer<typeof serverInfoSchema>;
/** The whole result of one run (or of several merged parts of one run). */
export type RunResult = z.infer<typeof resultSchema>;
/** One per-second sample of a run's timeline. */
export type TimelinePoint = z.infer<typeof timelinePointSchema>;
/** Server evidence of a run (plans, statement deltas, index use). */
export type RunEvidence = z.infer<typeof evidenceSchema>;
export type ScenarioEvidence = z.infer<typeof scenarioEvidenceSchema>;
export type IndexEvidence = z.infer<typeof indexEvidenceSchema>;
export type PlanSummary = z.infer<typeof planSummarySchema>;
export type StatementDelta = z.infer<typeof statementDeltaSchema>;
/** What a run on an existing database (--target) found and how it measured it. */
export type TargetDatabase = z.infer<typeof targetDatabaseSchema>;
