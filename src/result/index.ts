/** The result contract: types, schema, writing, merging, server facts. */
export { SCHEMA_VERSION, resultSchema, scenarioResultSchema, latencySummarySchema, serverInfoSchema, timelinePointSchema } from './schema.js';
export type { RunResult, ScenarioResult, LatencySummaryMs, ServerInfo, TimelinePoint } from './types.js';
export { writeResultAtomic, readResult, resultFileName } from './write.js';
export { mergeResults } from './merge.js';
export { readServerInfo, RECORDED_SETTINGS } from './server-info.js';
