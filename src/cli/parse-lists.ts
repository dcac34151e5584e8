/** Parsers for the list-valued options (`--mix`, `--variants`, `--segment`) that need the registries. */
import { closest } from '../config/suggest.js';
import { UserError } from '../errors.js';

/** `a=70,b=30` -> { a: 70, b: 30 }; names checked against `known`. */
export function parseMix(text: string, known: readonly string[], where = '--mix'): Record<string, number> {
  const problems: string[] = [];
  const mix: Record<string, number> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z0-9-]+)(?:=(\d+(?:\.\d+)?))?$/.exec(part);
    if (!m) {
      problems.push(`${where}: "${part}" is not NAME=WEIGHT; e.g. ${where} balance-lookup=70,post-journal-entry=30`);
      continue;
    }
    const name = m[1]!;
    if (!known.includes(name)) {
      const guess = closest(name, known);
      problems.push(`${where}: unknown scenario "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; scenarios: ${known.join(', ')}`);
      continue;
    }
    mix[name] = m[2] === undefined ? 1 : Number(m[2]);
  }
  if (problems.length === 0 && !Object.values(mix).some((w) => w > 0)) problems.push(`${where}: no scenario with a positive weight`);
  if (problems.length) throw new UserError(problems);
  return mix;
}

/** `baseline,indexes` or `all` -> names, checked against `known`. */
export function parseVariantList(text: string, known: readonly string[], where = '--variants', allowAll = true): string[] {
  if (allowAll && text.trim() === 'all') return [...known];
  const names = text.split(',').map((v) => v.trim()).filter(Boolean);
  const problems = names
    .filter((n) => !known.includes(n))
    .map((n) => {
      const guess = closest(n, known);
      return `${where}: unknown variant "${n}"${guess ? ` (did you mean "${guess}"?)` : ''}; variants: ${known.join(', ')}${allowAll ? ', or all' : ''}`;
    });
  if (names.length === 0) problems.push(`${where}: name at least one variant, e.g. ${where} baseline,indexes`);
  if (problems.length) throw new UserError(problems);
  return [...new Set(names)];
}

/** `2/3` (1-based, as users count) -> the engine's 0-based segment; `1/1` -> undefined (whole run). */
export function parseSegment(text: string): { index: number; count: number } | undefined {
  const [i, n] = text.split('/').map(Number) as [number, number];
  return n === 1 ? undefined : { index: i - 1, count: n };
}

/** The problems a parser reports (empty when it accepts), so several can be checked before reporting. */
export function problemsOf(parse: () => unknown): string[] {
  try {
    parse();
    return [];
  } catch (err) {
    if (err instanceof UserError) return err.problems;
    throw err;
  }
}
