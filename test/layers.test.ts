/**
 * The folders point one way (docs/architecture.md, "Layers"): every import of the
 * shipped code is scanned, mapped to its folder, and checked against the layer order;
 * the folder graph must also be free of cycles.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * Layer of each folder, lowest first: a module may import its own folder and any
 * folder of a lower or equal layer, never a higher one. Keep in step with
 * docs/architecture.md.
 */
const LAYERS: Record<string, number> = {
  // Files the code reads or writes, not code.
  'package.json': 0,
  docs: 0,
  'src/errors': 0,
  'src/random': 0,
  'src/stats': 0,
  'src/config': 0,
  'src/result': 0,
  'src/db': 0,
  'src/workload': 0,
  'src/engine': 0,
  'src/variant-build': 0,
  'src/report': 0,
  'src/budgets': 0,
  seed: 1,
  variants: 2,
  scenarios: 3,
  'src/compare': 4,
  'src/api': 4,
  'src/k6': 4,
  'src/capacity': 4,
  'src/verify': 4,
  'src/gate': 4,
  'src/target': 4,
  'src/cli': 5,
};

/** Folder ("unit") of a repository-relative file: `src/<dir>` (or `src/<file>`) or the top-level folder. */
function unitOf(rel: string): string {
  const parts = rel.split('/');
  if (parts[0] === 'src') return `src/${(parts[1] ?? '').replace(/\.[jt]s$/, '')}`;
  return parts[0] ?? rel;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...tsFiles(full));
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/**
 * Relative paths a source file depends on: static imports, re-exports, import(),
 * import types, and files it reads through `new URL('../x', import.meta.url)`.
 */
function importsOf(source: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bnew URL\(\s*)(['"])(\.{1,2}\/[^'"]*)\1/g;
  for (const m of source.matchAll(re)) out.push(m[2] as string);
  return out;
}

/** Every cross-folder edge of the shipped code: `from -> to` with one example file. */
function edges(): Map<string, string> {
  const found = new Map<string, string>();
  const files = ['src', 'seed', 'variants', 'scenarios'].flatMap((d) => tsFiles(path.join(ROOT, d)));
  for (const file of files) {
    const rel = path.relative(ROOT, file).split(path.sep).join('/');
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const target = path.relative(ROOT, path.resolve(path.dirname(file), spec)).split(path.sep).join('/');
      const from = unitOf(rel);
      const to = unitOf(target);
      if (from !== to && !found.has(`${from} -> ${to}`)) found.set(`${from} -> ${to}`, rel);
    }
  }
  return found;
}

/** Every cycle of a directed graph, each as `a -> b -> a` (depth-first, one per back edge). */
function cyclesOf(next: ReadonlyMap<string, readonly string[]>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (u: string, trail: string[]): void => {
    if (state.get(u) === 'done') return;
    if (state.get(u) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(u)), u].join(' -> '));
      return;
    }
    state.set(u, 'open');
    for (const v of next.get(u) ?? []) visit(v, [...trail, u]);
    state.set(u, 'done');
  };
  for (const u of next.keys()) visit(u, []);
  return cycles;
}

test('the import scanner sees every form of relative import and file URL', () => {
  const src = `import a from './a.js';\nimport type { B } from "../b.js";\nexport { c } from './c.js';\nconst d = await import('../d.js');\nimport './e.js';\nimport x from 'pg';\nconst f = new URL('../../f/', import.meta.url);`;
  assert.deepEqual(importsOf(src), ['./a.js', '../b.js', './c.js', '../d.js', './e.js', '../../f/']);
});

test('every folder has a layer, and no import points to a higher layer', () => {
  const all = edges();
  const units = new Set([...all.keys()].flatMap((e) => e.split(' -> ')));
  assert.deepEqual([...units].filter((u) => !(u in LAYERS)), [], 'folders without a layer: add them to LAYERS and docs/architecture.md');
  const upward = [...all.entries()]
    .filter(([e]) => {
      const [from, to] = e.split(' -> ') as [string, string];
      return (LAYERS[to] as number) > (LAYERS[from] as number);
    })
    .map(([e, file]) => `${e} (${file})`);
  assert.deepEqual(upward, [], 'imports that point up the layers');
});

test('the folder graph has no cycle', () => {
  const next = new Map<string, string[]>();
  for (const e of edges().keys()) {
    const [from, to] = e.split(' -> ') as [string, string];
    next.set(from, [...(next.get(from) ?? []), to]);
  }
  const cycles = cyclesOf(next);
  assert.deepEqual(cycles, []);
});

test('no import cycle between files (static, import() and type imports; a worker entry named by new URL is not an import)', () => {
  // A cycle between files makes load order matter and reads as one concept split in two;
  // src/db/container.ts <-> server.ts was one (broken by src/db/server-probe.ts).
  const files = ['src', 'seed', 'variants', 'scenarios'].flatMap((d) => tsFiles(path.join(ROOT, d)));
  const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join('/');
  const next = new Map<string, string[]>();
  for (const file of files) {
    // A file named by new URL (a worker's entry) runs in another thread: not an import.
    const targets = importsOf(readFileSync(file, 'utf8').replace(/new URL\(/g, ''))
      .filter((spec) => /\.[jt]s$/.test(spec))
      .map((spec) => rel(path.resolve(path.dirname(file), spec)).replace(/\.js$/, '.ts'));
    next.set(rel(file), targets);
  }
  const cycles = cyclesOf(next);
  assert.ok(next.get('src/db/server.ts')?.includes('src/db/server-probe.ts'), 'the scanner resolves file imports');
  assert.deepEqual(cycles, []);
});
