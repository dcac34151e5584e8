/**
 * Git-ref sides of the gate: `--base origin/main` measures the variant and the
 * scenario SQL *as they are at that commit*. The ref is resolved in the git repository
 * of the current directory; its tree is extracted once per commit (`git archive`) into
 * `<repo>/.ledger-bench/gate-refs/<sha>/` and reused (a commit's tree never changes);
 * trees unused for two weeks are removed (ref-trees-prune.ts).
 * The tree gets this checkout's node_modules (a symlink) only when its package-lock.json
 * is byte-identical: other dependencies would mean running the ref's code on packages
 * it was not written for, so that is refused instead (exit 2).
 *
 * Only the definitions come from the ref (variants/*.ts, scenarios/*.ts and what they
 * import); the harness around them (migration with ownership marks, engine, statistics)
 * is this checkout's, so both sides are built and measured by the same code. See
 * docs/gate.md, "Git refs".
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { VariantDefinition } from '../variant-build/types.js';
import { pruneRefTrees, touchRefTree } from './ref-trees-prune.js';

/** The variant a ref side runs when the value names no `REF:VARIANT`. */
export const DEFAULT_REF_VARIANT = 'optimized';

/** Root of the running ledger-bench checkout (its node_modules and package-lock.json). */
const PACKAGE_ROOT = dirname(fileURLToPath(new URL('../../package.json', import.meta.url)));

/** Files a ref's tree must hold for the gate to load its definitions. */
export const REF_REQUIRED_FILES = ['package-lock.json', 'variants/registry.ts', 'scenarios/registry.ts', 'scenarios/workload.ts'] as const;

/** Where a ref's tree is extracted, and the file that says the extraction finished. */
const TREES_DIR = join('.ledger-bench', 'gate-refs');
const COMPLETE = '.ledger-bench-tree-complete';

const VARIANT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

function git(repo: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

/** The commit `value` names in the repository of `cwd`, or undefined (no such ref, no git, not a repository). */
export function resolveCommit(value: string, cwd = process.cwd()): string | undefined {
  // `--end-of-options` would be cleaner but needs git 2.24; a leading '-' is never a ref we want.
  if (!value || value.startsWith('-')) return undefined;
  const out = git(cwd, ['rev-parse', '--verify', '--quiet', `${value}^{commit}`])?.trim();
  return out && /^[0-9a-f]{40,64}$/.test(out) ? out : undefined;
}

/** A parsed ref side: which commit, which variant of it. */
export interface RefSpec {
  ref: string;
  commit: string;
  variant: string;
}

/**
 * `REF` or `REF:VARIANT` when REF resolves to a commit, else undefined. `REF:VARIANT`
 * is tried first (a variant name after the last colon), so `origin/main:indexes` works;
 * a plain `REF` runs {@link DEFAULT_REF_VARIANT}.
 */
export function parseRefSide(value: string, cwd = process.cwd()): RefSpec | undefined {
  const colon = value.lastIndexOf(':');
  if (colon > 0) {
    const ref = value.slice(0, colon);
    const variant = value.slice(colon + 1);
    const commit = VARIANT_NAME.test(variant) ? resolveCommit(ref, cwd) : undefined;
    if (commit) return { ref, commit, variant };
  }
  const commit = resolveCommit(value, cwd);
  return commit ? { ref: value, commit, variant: DEFAULT_REF_VARIANT } : undefined;
}

/** A ref's tree, ready to import from. */
export interface RefTree {
  dir: string;
  /** The ref's scenario workload factory (WorkloadSpec.module for the engine). */
  workloadModule: string;
}

/** Short form of a commit for messages. */
export function shortSha(commit: string): string {
  return commit.slice(0, 12);
}

/**
 * Checks that the gate can run the ref's code here, and extracts its tree (cached by
 * commit). Returns the problems instead when it cannot: files missing (a ref older than
 * the gate) or other dependencies.
 */
export function materializeRef(flag: string, r: RefSpec, cwd = process.cwd()): { tree: RefTree } | { problem: string } {
  const where = `${flag} ${r.ref} (commit ${shortSha(r.commit)})`;
  const missing = REF_REQUIRED_FILES.filter((f) => git(cwd, ['cat-file', '-e', `${r.commit}:${f}`]) === undefined);
  if (missing.length) {
    return { problem: `${where} is too old for the gate: it has no ${missing.join(', ')}; gate against a newer commit, or run the old one's variant from a result file (run there, pass its result JSON)` };
  }
  const lock = git(cwd, ['show', `${r.commit}:package-lock.json`]);
  const here = readFileSync(join(PACKAGE_ROOT, 'package-lock.json'), 'utf8');
  if (lock !== here) {
    return {
      problem:
        `${where}: its package-lock.json differs from this checkout's, so its code would run on dependencies it was not written for; ` +
        `gate against a commit with the same package-lock.json (rebase onto it), or run that commit's variant in its own checkout and pass the result JSON`,
    };
  }
  const top = git(cwd, ['rev-parse', '--show-toplevel'])?.trim();
  if (!top) return { problem: `${where}: cannot find the top of the git repository of ${cwd}` };
  const dir = join(top, TREES_DIR, r.commit);
  if (!existsSync(join(dir, COMPLETE))) {
    // Extract next to the final place, then rename: a crash never leaves a half tree in use.
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const tar = `${tmp}.tar`;
    try {
      execFileSync('git', ['-C', cwd, 'archive', '--format=tar', '-o', tar, r.commit], { stdio: ['ignore', 'ignore', 'pipe'] });
      execFileSync('tar', ['-xf', tar, '-C', tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
      symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(tmp, 'node_modules'), 'dir');
      writeFileSync(join(tmp, COMPLETE), `${r.commit}\n`);
      // A tree without the mark is a leftover (interrupted by hand): replace it. One with it
      // was finished by a concurrent gate, which may be using it: keep it, drop ours.
      if (existsSync(dir) && !existsSync(join(dir, COMPLETE))) rmSync(dir, { recursive: true, force: true });
      try {
        renameSync(tmp, dir);
      } catch (err) {
        if (!existsSync(join(dir, COMPLETE))) throw err;
      }
    } finally {
      rmSync(tar, { force: true });
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  // Mark this tree as used, then drop trees no gate used for a while (ref-trees-prune.ts).
  touchRefTree(join(dir, COMPLETE));
  pruneRefTrees(join(top, TREES_DIR), COMPLETE, r.commit);
  return { tree: { dir, workloadModule: join(dir, 'scenarios', 'workload.ts') } };
}

/** The ref's variants (with the SQL files of `variantsDir`, a folder inside its tree, when given) and scenario names, imported from its tree. */
export async function loadRefDefinitions(tree: RefTree, variantsDir?: string): Promise<{ variants: VariantDefinition[]; scenarios: string[] }> {
  const reg = (await import(pathToFileURL(join(tree.dir, 'variants', 'registry.ts')).href)) as { listVariants?: (sources?: { variantsDir?: string }) => Promise<VariantDefinition[]> };
  const sc = (await import(pathToFileURL(join(tree.dir, 'scenarios', 'registry.ts')).href)) as { SCENARIOS?: ReadonlyArray<{ name: string }> };
  const wl = (await import(pathToFileURL(tree.workloadModule).href)) as { createScenarioWorkload?: unknown };
  if (typeof reg.listVariants !== 'function' || !Array.isArray(sc.SCENARIOS) || typeof wl.createScenarioWorkload !== 'function') {
    throw new Error('incompatible');
  }
  return { variants: await reg.listVariants(variantsDir ? { variantsDir } : {}), scenarios: sc.SCENARIOS.map((s) => s.name) };
}

/**
 * The ref's copy of this checkout's `variantsDir`: the folder at the same place
 * relative to the top of the repository, inside the ref's tree. `outside` when the
 * folder is not in the repository (a ref cannot hold it), `absent` when the ref has no
 * such folder.
 */
export function refVariantsDir(tree: RefTree, variantsDir: string, cwd = process.cwd()): { dir: string; rel: string } | { outside: true } | { absent: string } {
  // The tree lies at <top>/.ledger-bench/gate-refs/<sha> (materializeRef), real path.
  const top = resolve(tree.dir, '..', '..', '..');
  let abs = resolve(cwd, variantsDir);
  try {
    abs = realpathSync(abs);
  } catch {
    // Not here: compared as given.
  }
  const rel = relative(top, abs);
  if (rel.startsWith('..') || isAbsolute(rel)) return { outside: true };
  const dir = join(tree.dir, rel);
  return statSync(dir, { throwIfNoEntry: false })?.isDirectory() ? { dir, rel } : { absent: rel };
}

/**
 * Everything the gate needs to run a ref side, or the problems with it: the tree, the
 * variant's definition at the ref, and every scenario of the mix present there. With
 * `variantsDir` (this checkout's --variants-dir) the ref's copy of that folder, if it
 * has one, adds its SQL files as variants, as they are at that commit.
 */
export async function prepareRefSide(
  flag: string,
  r: RefSpec,
  mixScenarios: readonly string[],
  cwd = process.cwd(),
  variantsDir?: string,
): Promise<{ tree: RefTree; variant: VariantDefinition; variantsDir?: string } | { problem: string }> {
  const m = materializeRef(flag, r, cwd);
  if ('problem' in m) return m;
  const where = `${flag} ${r.ref} (commit ${shortSha(r.commit)})`;
  const sqlDir = variantsDir ? refVariantsDir(m.tree, variantsDir, cwd) : undefined;
  const refDir = sqlDir && 'dir' in sqlDir ? sqlDir.dir : undefined;
  let defs: Awaited<ReturnType<typeof loadRefDefinitions>>;
  try {
    defs = await loadRefDefinitions(m.tree, refDir);
  } catch (err) {
    const why = err instanceof Error && err.message !== 'incompatible' ? `: ${err.message.split('\n')[0]}` : '';
    return { problem: `${where}: its variants/registry.ts, scenarios/registry.ts or scenarios/workload.ts cannot be loaded by this gate (too old or changed${why}); gate against a newer commit` };
  }
  const variant = defs.variants.find((v) => v.name === r.variant);
  if (!variant) {
    const dirNote = !sqlDir
      ? ''
      : 'outside' in sqlDir
        ? ` (--variants-dir ${variantsDir} lies outside the git repository, so no commit holds it)`
        : 'absent' in sqlDir
          ? ` (that commit has no ${sqlDir.absent}/ folder for --variants-dir)`
          : ` (with the .sql files of ${sqlDir.rel}/ at that commit)`;
    return { problem: `${where} has no variant "${r.variant}"${dirNote}: its variants are ${defs.variants.map((v) => v.name).join(', ')}; name one as ${r.ref}:<variant>` };
  }
  const absent = mixScenarios.filter((s) => !defs.scenarios.includes(s));
  if (absent.length) {
    return { problem: `${where} has no scenario ${absent.join(', ')} of the mix: its scenarios are ${defs.scenarios.join(', ')}; leave them out with --mix` };
  }
  return { tree: m.tree, variant, ...(refDir ? { variantsDir: refDir } : {}) };
}
