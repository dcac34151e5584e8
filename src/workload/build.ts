/**
 * Serializable workload descriptions. Worker threads (and other machines) cannot
 * receive functions, so they rebuild the workload from a `WorkloadSpec`.
 */
import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import { pgbenchWorkload } from './pgbench/workload.js';
import type { Workload } from './types.js';

/** How to rebuild a workload anywhere. */
export type WorkloadSpec =
  | { kind: 'pgbench-script'; path: string; scale?: number; define?: Record<string, number> }
  | {
      kind: 'module';
      /** Absolute path or file URL of an ES module. */
      module: string;
      /** Name of the exported factory `(options, ctx) => Promise<Workload>`. */
      exportName: string;
      /** Passed to the factory; must be structured-cloneable (plain JSON is safest). */
      options: unknown;
    };

/** What a workload factory is given besides its options. */
export interface WorkloadContext {
  databaseUrl: string;
  seed: number;
}

/** The factory signature a 'module' spec names. */
export type WorkloadFactory = (options: unknown, ctx: WorkloadContext) => Promise<Workload>;

/** Builds the workload a spec describes. */
export async function buildWorkload(spec: WorkloadSpec, ctx: WorkloadContext): Promise<Workload> {
  if (spec.kind === 'pgbench-script') {
    return pgbenchWorkload(spec.path, {
      ...(spec.scale !== undefined ? { scale: spec.scale } : {}),
      ...(spec.define ? { define: spec.define } : {}),
      randomSeed: ctx.seed,
    });
  }
  const url = spec.module.startsWith('file:') ? spec.module : isAbsolute(spec.module) ? pathToFileURL(spec.module).href : null;
  if (!url) throw new Error(`workload module must be an absolute path or a file URL, got "${spec.module}"`);
  const mod = (await import(url)) as Record<string, unknown>;
  const factory = mod[spec.exportName];
  if (typeof factory !== 'function') throw new Error(`workload module ${spec.module} has no exported function "${spec.exportName}"`);
  const workload = (await (factory as WorkloadFactory)(spec.options, ctx)) as Workload;
  if (!workload || !Array.isArray(workload.transactions)) throw new Error(`${spec.exportName}() in ${spec.module} did not return a Workload`);
  return workload;
}
