/**
 * Compacts one EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) into what a report shows: the
 * top node, the times, the buffers, the indexes any node scans (found by walking the
 * whole tree) and a short indented text rendering. Pure: no database.
 */
import type { PlanSummary } from '../result/types.js';

/** A plan node as PostgreSQL's JSON format spells it (only the keys read here). */
interface PlanNode {
  'Node Type'?: string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Actual Total Time'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** The top-level object of EXPLAIN's JSON output (one element of its array). */
export interface ExplainJson {
  Plan: PlanNode;
  'Planning Time'?: number;
  'Execution Time'?: number;
}

/** Longest text rendering kept (lines, characters). */
export const PLAN_TEXT_LINES = 30;
export const PLAN_TEXT_CHARS = 3000;

function walk(node: PlanNode, depth: number, visit: (n: PlanNode, depth: number) => void): void {
  visit(node, depth);
  for (const child of node.Plans ?? []) walk(child, depth + 1, visit);
}

const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);

function nodeLine(n: PlanNode, depth: number): string {
  const what = `${n['Node Type'] ?? '?'}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}`;
  const buffers = n['Shared Hit Blocks'] !== undefined ? `, shared hit ${num(n['Shared Hit Blocks'])} read ${num(n['Shared Read Blocks'])}` : '';
  const stats = n['Actual Total Time'] !== undefined ? ` (actual ${num(n['Actual Total Time']).toFixed(3)} ms, rows ${num(n['Actual Rows'])}, loops ${num(n['Actual Loops'])}${buffers})` : '';
  return `${depth === 0 ? '' : '  '.repeat(depth - 1) + '-> '}${what}${stats}`;
}

/** Summarizes one EXPLAIN JSON document (`params`: the values it ran with, recorded as given). */
export function summarizePlan(explain: ExplainJson, params?: unknown): PlanSummary {
  const indexes: string[] = [];
  const nodeTypes: string[] = [];
  const lines: string[] = [];
  walk(explain.Plan, 0, (n, depth) => {
    const idx = n['Index Name'];
    if (idx && !indexes.includes(idx)) indexes.push(idx);
    const t = n['Node Type'];
    if (t && !nodeTypes.includes(t)) nodeTypes.push(t);
    lines.push(nodeLine(n, depth));
  });
  let text = lines.slice(0, PLAN_TEXT_LINES).join('\n');
  if (lines.length > PLAN_TEXT_LINES) text += `\n... ${lines.length - PLAN_TEXT_LINES} more nodes`;
  if (text.length > PLAN_TEXT_CHARS) text = text.slice(0, PLAN_TEXT_CHARS) + '\n... (truncated)';
  return {
    topNode: explain.Plan['Node Type'] ?? '?',
    executionMs: num(explain['Execution Time']),
    ...(explain['Planning Time'] !== undefined ? { planningMs: num(explain['Planning Time']) } : {}),
    sharedHit: num(explain.Plan['Shared Hit Blocks']),
    sharedRead: num(explain.Plan['Shared Read Blocks']),
    indexes,
    nodeTypes,
    text,
    ...(params !== undefined ? { params } : {}),
  };
}
