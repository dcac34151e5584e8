/**
 * `--scales tiny,small,20000x10000`: the sizes `ledger-bench scale` measures, and the
 * database prefix each gets. Every problem is reported at once (UserError).
 */
import { UserError } from '../errors.js';
import { SCALES, seedSize, type Scale, type SeedSize } from '../../seed/scales.js';
import { DEFAULTS } from '../config/defaults.js';

/** The named scale a custom size takes its user-address proportion from. */
export const CUSTOM_SIZE_BASE: Scale = 'small';

/** PostgreSQL's longest identifier (bytes); longer names are cut, and cut names could collide. */
const MAX_IDENTIFIER = 63;

/** Parses the list; sizes in the order given, duplicates refused, at least two different entry counts. */
export function parseScales(text: string, where = '--scales'): SeedSize[] {
  const problems: string[] = [];
  const sizes: SeedSize[] = [];
  for (const item of text.split(',').map((x) => x.trim()).filter(Boolean)) {
    if (Object.hasOwn(SCALES, item)) {
      sizes.push(seedSize(item as Scale));
      continue;
    }
    const m = /^(\d+)(?:x(\d+))?$/.exec(item);
    if (!m) {
      problems.push(`${where}: "${item}" is neither a scale (${Object.keys(SCALES).join(', ')}) nor a size ENTRIES or ENTRIESxACCOUNTS such as 20000x10000`);
      continue;
    }
    const entries = Number(m[1]);
    const accounts = m[2] === undefined ? 0 : Number(m[2]);
    if (entries < 1 || entries > DEFAULTS.maxEntries) problems.push(`${where}: "${item}": entries must be between 1 and ${DEFAULTS.maxEntries}`);
    if (m[2] !== undefined && (accounts < 1 || accounts > DEFAULTS.maxAccounts)) problems.push(`${where}: "${item}": accounts must be between 1 and ${DEFAULTS.maxAccounts}`);
    if (entries >= 1 && entries <= DEFAULTS.maxEntries && accounts <= DEFAULTS.maxAccounts) sizes.push(seedSize(CUSTOM_SIZE_BASE, entries, accounts));
  }
  const seen = new Set<string>();
  for (const s of sizes) {
    const key = `${s.entries}x${s.accounts}`;
    if (seen.has(key)) problems.push(`${where}: the size ${s.label} (${key}) is listed twice`);
    seen.add(key);
  }
  if (problems.length === 0 && new Set(sizes.map((s) => s.entries)).size < 2) {
    problems.push(`${where}: name at least two sizes with different entry counts (a growth needs two points), e.g. ${where} tiny,small,medium`);
  }
  if (problems.length) throw new UserError(problems);
  return sizes;
}

/** The prefix of a size's databases: `<prefix>_<scale>` or `<prefix>_e<entries>_a<accounts>` for a custom size. */
export function sizePrefix(prefix: string, size: SeedSize): string {
  return size.custom ? `${prefix}_e${size.entries}_a${size.accounts}` : `${prefix}_${size.label}`;
}

/** Problems of database names longer than PostgreSQL keeps (`longest` is the longest suffix a size's databases get). */
export function nameLengthProblems(prefix: string, sizes: readonly SeedSize[], longest: string): string[] {
  return sizes.flatMap((s) => {
    const name = `${sizePrefix(prefix, s)}${longest}`;
    return Buffer.byteLength(name) > MAX_IDENTIFIER
      ? [`--db-prefix ${prefix}: the database "${name}" of size ${s.label} would be longer than ${MAX_IDENTIFIER} bytes (PostgreSQL would cut it): use a shorter --db-prefix`]
      : [];
  });
}
