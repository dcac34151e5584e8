/**
 * Builds an index the way the review wants ("create indexes concurrently, no
 * locking") on tables that may or may not be partitioned (field notes trap 7).
 *
 * - Plain table: one `CREATE INDEX CONCURRENTLY` (outside any transaction).
 * - Partitioned table: `CREATE INDEX CONCURRENTLY` fails on the parent, so:
 *   `CREATE INDEX ... ON ONLY parent` (an invalid, empty parent index, instant),
 *   then `CREATE INDEX CONCURRENTLY` on each partition, then
 *   `ALTER INDEX parent_idx ATTACH PARTITION part_idx` for each; the parent index
 *   becomes valid once every partition's index is attached.
 */
import { partitionsOf, isPartitioned } from './catalog.js';
import type { DynamicStep, VariantStep } from './types.js';
import { quoteIdent } from '../db/ownership.js';

/** What to index. */
export interface IndexSpec {
  /** Index name on the parent (or the plain table). */
  name: string;
  table: string;
  /** `(cols)` and an optional `WHERE ...`. */
  definition: string;
  unique?: boolean;
}

/** Name of the per-partition index: parent index name + the partition's suffix, max 63 bytes. */
export function partitionIndexName(indexName: string, table: string, partition: string): string {
  const suffix = partition.startsWith(table + '_') ? partition.slice(table.length + 1) : partition;
  const name = `${indexName}_${suffix}`;
  return name.length <= 63 ? name : `${indexName.slice(0, 63 - suffix.length - 1)}_${suffix}`;
}

/** A dynamic step that expands to the right build sequence for `spec.table` at migration time. */
export function partitionAwareIndex(spec: IndexSpec): DynamicStep {
  return {
    kind: 'dynamic',
    name: `index ${spec.name}`,
    async expand(client): Promise<VariantStep[]> {
      if (!(await isPartitioned(client, spec.table))) {
        return [{ kind: 'index', name: `index ${spec.name}`, index: spec.name, table: spec.table, definition: spec.definition, unique: spec.unique }];
      }
      const unique = spec.unique ? 'UNIQUE ' : '';
      const steps: VariantStep[] = [
        {
          kind: 'sql',
          name: `index ${spec.name} ON ONLY ${spec.table}`,
          sql: `CREATE ${unique}INDEX ${quoteIdent(spec.name)} ON ONLY ${quoteIdent(spec.table)} ${spec.definition}`,
          createsIndex: { index: spec.name, table: spec.table },
        },
      ];
      const parts = await partitionsOf(client, spec.table);
      for (const part of parts) {
        const partIndex = partitionIndexName(spec.name, spec.table, part);
        steps.push({ kind: 'index', name: `index ${partIndex} on partition ${part}`, index: partIndex, table: part, definition: spec.definition, unique: spec.unique });
        steps.push({
          kind: 'sql',
          name: `attach ${partIndex}`,
          sql: `ALTER INDEX ${quoteIdent(spec.name)} ATTACH PARTITION ${quoteIdent(partIndex)}`,
        });
      }
      return steps;
    },
  };
}
