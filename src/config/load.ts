/**
 * Resolves a command's settings from flags, env, the config file and defaults
 * (precedence flag > env > file > default, as k6 and postgres.js do), validating
 * every value and reporting ALL problems at once in a UserError (exit code 2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { OPTIONS, fileKeyOf, type OptionDef, type OptionKey, type Settings } from './options.js';
import { closest } from './suggest.js';

/** Where a resolved value came from. */
export type Source = 'flag' | 'env' | 'file' | 'default';

/** What a command gets back. */
export interface Resolved<K extends OptionKey> {
  settings: Pick<Settings, K>;
  sources: Record<K, Source>;
  positionals: string[];
  help: boolean;
}

/** Inputs of resolution; `env` and `cwd` are parameters so tests need no globals. */
export interface ResolveInput<K extends OptionKey> {
  command: string;
  argv: readonly string[];
  keys: readonly K[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Maximum positional arguments (default 0). */
  maxPositionals?: number;
}

interface RawValue {
  value: unknown;
  source: Source;
  /** How to name the place in an error message: `--rate`, `env LEDGER_BENCH_RATE`, `ledger-bench.config.json: "rate"`. */
  where: string;
}

/** Parses argv, env and the config file for `keys`; throws UserError listing every problem. */
export function resolveSettings<K extends OptionKey>(input: ResolveInput<K>): Resolved<K> {
  const { resolved, problems } = collectSettings(input);
  if (problems.length > 0 && !resolved.help) throw new UserError(problems);
  return resolved;
}

/**
 * Like {@link resolveSettings} but returns the problems instead of throwing, so a
 * command's own checks (lists such as --mix) can join them in one report. A value
 * that failed to parse is left at its default (it is already reported).
 */
export function collectSettings<K extends OptionKey>(input: ResolveInput<K>): { resolved: Resolved<K>; problems: string[] } {
  const env = input.env ?? process.env;
  const cwd = input.cwd ?? process.cwd();
  const keys = [...new Set<OptionKey>([...input.keys, 'configFile'])] as K[];
  const defs = keys.map((k) => OPTIONS[k] as OptionDef<unknown>);
  const problems: string[] = [];
  const helpHint = `run \`ledger-bench ${input.command} --help\` for the options`;

  // 1. Flags.
  const fromFlags = new Map<string, RawValue>();
  const positionals: string[] = [];
  let help = false;
  const byFlag = new Map(defs.map((d) => [d.flag, d]));
  for (let i = 0; i < input.argv.length; i++) {
    const arg = input.argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--') {
      positionals.push(...input.argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const inline = eq >= 0 ? body.slice(eq + 1) : undefined;
    const negated = name.startsWith('no-') && byFlag.get(name.slice(3))?.boolean === true;
    const d = byFlag.get(negated ? name.slice(3) : name);
    if (!d || !arg.startsWith('--')) {
      // A near spelling, else the one flag of this command that names the same thing more
      // precisely (capacity's probes warm up with --step-warmup, not the mixed runs' --warmup).
      const narrower = [...byFlag.keys()].filter((f) => f.endsWith(`-${name}`));
      const guess = closest(name, [...byFlag.keys()]) ?? (narrower.length === 1 ? narrower[0] : undefined);
      problems.push(`unknown option ${arg.split('=')[0]}${guess ? ` (did you mean --${guess}?)` : ''}: ${helpHint}`);
      // Its value, if any, belongs to it: do not report it again as a stray argument.
      if (inline === undefined && i + 1 < input.argv.length && !input.argv[i + 1]!.startsWith('-')) i++;
      continue;
    }
    let value: unknown;
    if (d.boolean) {
      value = inline ?? !negated;
    } else if (inline !== undefined) {
      value = inline;
    } else if (i + 1 < input.argv.length && !input.argv[i + 1]!.startsWith('--')) {
      value = input.argv[++i];
    } else {
      problems.push(`--${d.flag} needs a value, e.g. --${d.flag} ${d.example}`);
      continue;
    }
    const prev = d.repeatable ? fromFlags.get(d.key) : undefined;
    if (prev) value = [...(Array.isArray(prev.value) ? prev.value : [prev.value]), value];
    fromFlags.set(d.key, { value, source: 'flag', where: `--${d.flag}` });
  }
  const maxPos = input.maxPositionals ?? 0;
  if (positionals.length > maxPos) {
    problems.push(
      `unexpected argument${positionals.length - maxPos > 1 ? 's' : ''} ${positionals.slice(maxPos).map((p) => JSON.stringify(p)).join(' ')}: ${helpHint}`,
    );
  }

  // 2. Env.
  const fromEnv = new Map<string, RawValue>();
  for (const d of defs) {
    const name = d.env.find((e) => env[e] !== undefined && env[e] !== '');
    if (name) fromEnv.set(d.key, { value: env[name], source: 'env', where: `env ${name}` });
  }

  // 3. Config file (named by flag/env, else the default name if present).
  const fromFile = new Map<string, RawValue>();
  const named = fromFlags.get('configFile') ?? fromEnv.get('configFile');
  const fileName = typeof named?.value === 'string' ? named.value : OPTIONS.configFile.default;
  const filePath = resolve(cwd, fileName);
  if (existsSync(filePath)) {
    readConfigFile(filePath, fileName, fromFile, problems);
  } else if (named) {
    problems.push(`${named.where}: config file ${fileName} does not exist; create it or drop the option`);
  }

  // 4. Merge and validate every value, collecting all problems.
  const settings: Record<string, unknown> = {};
  const sources: Record<string, Source> = {};
  for (const d of defs) {
    const raw = fromFlags.get(d.key) ?? fromEnv.get(d.key) ?? fromFile.get(d.key);
    if (!raw) {
      settings[d.key] = d.default;
      sources[d.key] = 'default';
      continue;
    }
    const parsed = d.parse(raw.value);
    if (parsed.ok) {
      settings[d.key] = parsed.value;
      sources[d.key] = raw.source;
    } else {
      const fix = raw.source === 'flag' ? `e.g. --${d.flag} ${d.example}` : raw.source === 'env' ? `e.g. ${raw.where.slice(4)}=${d.example}` : `e.g. "${fileKeyOf(d)}": ${JSON.stringify(d.example)}`;
      if (Array.isArray(parsed.problem)) for (const p of parsed.problem) problems.push(`${raw.where}: ${p}`);
      else problems.push(`${raw.where} ${parsed.problem}; ${d.description}, ${fix}`);
      settings[d.key] = d.default;
      sources[d.key] = 'default';
    }
  }
  return { resolved: { settings: settings as Pick<Settings, K>, sources: sources as Record<K, Source>, positionals, help }, problems };
}

/** Reads the JSON config file into `out`, by option key; unknown keys are problems (typos must not pass silently). */
function readConfigFile(path: string, shown: string, out: Map<string, RawValue>, problems: string[]): void {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push(`${shown}: not valid JSON (${(err as Error).message}); fix the file or point --config elsewhere`);
    return;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    problems.push(`${shown}: expected a JSON object of settings such as {"rate": 1000}`);
    return;
  }
  const byFileKey = new Map(Object.values(OPTIONS).map((d) => [fileKeyOf(d as OptionDef<unknown>), d as OptionDef<unknown>]));
  for (const [k, v] of Object.entries(data)) {
    if (k === '$schema') continue;
    const d = byFileKey.get(k);
    if (!d) {
      const guess = closest(k, [...byFileKey.keys()]);
      problems.push(`${shown}: unknown key "${k}"${guess ? ` (did you mean "${guess}"?)` : ''}; see docs/configuration.md for the keys`);
      continue;
    }
    if (d.key === 'configFile') {
      problems.push(`${shown}: "config" cannot be set inside a config file; remove it`);
      continue;
    }
    out.set(d.key, { value: v, source: 'file', where: `${shown}: "${k}"` });
  }
}

/**
 * The secret strings in `settings` (the password of a URL, or a whole secret value),
 * so that output can be scrubbed of them whatever path a message took.
 */
export function secretsIn(settings: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(settings)) {
    const d = (OPTIONS as Record<string, OptionDef<unknown>>)[k];
    if (!d?.secret || typeof v !== 'string' || v === '') continue;
    const password = passwordOf(v);
    for (const p of password === undefined ? [v] : [password, decodeURIComponentSafe(password)]) if (p) out.add(p);
  }
  return [...out];
}

/** `text` with every one of `secrets` replaced by `***`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

function passwordOf(value: string): string | undefined {
  try {
    const u = new URL(value);
    return u.password || u.searchParams.get('password') || '';
  } catch {
    return undefined;
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A copy of `settings` with secrets removed, for result files and logs. */
export function redactSettings<T extends Record<string, unknown>>(settings: T): T {
  const out: Record<string, unknown> = { ...settings };
  for (const [k, v] of Object.entries(out)) {
    const d = (OPTIONS as Record<string, OptionDef<unknown>>)[k];
    if (d?.secret && typeof v === 'string' && v !== '') out[k] = '<redacted>';
  }
  return out as T;
}
