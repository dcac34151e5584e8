/** Commands that work on variants need a complete, unchanged seeded baseline; this says so clearly when it is missing. */
import { baselineDatabaseName } from '../db/names.js';
import type { DataFingerprint } from '../db/fingerprint.js';
import { requireIntactBaseline } from '../db/readiness.js';

/** The baseline's data fingerprint, or a UserError telling how to get a usable baseline (missing, foreign, incomplete, empty, changed). */
export async function requireSeededBaseline(serverUrl: string, prefix: string, label: string): Promise<DataFingerprint> {
  return (await requireIntactBaseline(serverUrl, baselineDatabaseName(prefix), label)).data;
}
