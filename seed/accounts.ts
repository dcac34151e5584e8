/**
 * The chart of accounts: a few system ("hot") accounts first, then the regular
 * accounts that Zipf draws pick from, with codes and names in a plausible style.
 */
import { weightedChoice } from '../src/random/weighted-choice.js';
import { createRng } from '../src/random/rng.js';
import type { SeedCalendar } from './calendar.js';
import type { ValuePools } from './value-pools.js';

/** Roles of the system accounts; their ids are 1..SYSTEM_ACCOUNTS.length in this order. */
export const SYSTEM_ACCOUNTS = [
  { role: 'cash', code: '1000-SYS-CASH', name: 'Operating cash', type: 'ASSET' },
  { role: 'settlement', code: '1050-SYS-SETTLE', name: 'Settlement clearing', type: 'ASSET' },
  { role: 'fxSource', code: '1060-SYS-FX-OUT', name: 'FX clearing (sold currency)', type: 'ASSET' },
  { role: 'fxTarget', code: '1061-SYS-FX-IN', name: 'FX clearing (bought currency)', type: 'ASSET' },
  { role: 'oracleSuspense', code: '1070-SYS-ORACLE', name: 'Oracle suspense', type: 'ASSET' },
  { role: 'anchorClearing', code: '2050-SYS-ANCHOR', name: 'Anchor obligations clearing', type: 'LIABILITY' },
  { role: 'capital', code: '3000-SYS-CAPITAL', name: 'Paid-in capital', type: 'EQUITY' },
  { role: 'fees', code: '4000-SYS-FEES', name: 'Fee revenue', type: 'REVENUE' },
] as const;

/** A system account role. */
export type SystemRole = (typeof SYSTEM_ACCOUNTS)[number]['role'];

/** Account id of a system role (ids are assigned in SYSTEM_ACCOUNTS order from 1). */
export function systemAccountId(role: SystemRole): number {
  return SYSTEM_ACCOUNTS.findIndex((a) => a.role === role) + 1;
}

/** Account types of regular accounts and their shares (customer wallets are liabilities). */
const TYPES = ['LIABILITY', 'ASSET', 'EXPENSE', 'REVENUE', 'EQUITY'] as const;
const TYPE_WEIGHTS = [0.45, 0.3, 0.12, 0.08, 0.05];
/** Code prefix per type, chart-of-accounts style (1xxx assets ... 5xxx expenses). */
const CODE_PREFIX: Record<(typeof TYPES)[number], string> = {
  ASSET: '1200',
  LIABILITY: '2100',
  EQUITY: '3100',
  REVENUE: '4100',
  EXPENSE: '5100',
};

/**
 * Generates the accounts table as COPY text rows (id, code, name, type, is_active,
 * created_at). Regular accounts were opened during the year before the window, so
 * no entry predates its accounts; ~3% are inactive.
 */
export function accountRows(regular: number, seed: number, pools: ValuePools, cal: SeedCalendar): string {
  const rng = createRng(seed ^ 0x0acc0047);
  const typeChoice = weightedChoice(TYPES, TYPE_WEIGHTS);
  const pick = (xs: string[]): string => xs[Math.floor(rng.next() * xs.length)] as string;
  const parts: string[] = [];
  const sysCreated = cal.ts(-400 * 86_400);
  SYSTEM_ACCOUNTS.forEach((a, i) => {
    parts.push(`${i + 1}\t${a.code}\t${a.name}\t${a.type}\tt\t${sysCreated}\n`);
  });
  for (let i = 1; i <= regular; i++) {
    const type = typeChoice.pick(rng);
    let name: string;
    switch (type) {
      case 'LIABILITY':
        name = `Customer wallet - ${pick(pools.people)}`;
        break;
      case 'ASSET':
        name = rng.next() < 0.5 ? `Receivable - ${pick(pools.companies)}` : `Bank account ${pick(pools.cities)} - ${pick(pools.companies)}`;
        break;
      case 'EXPENSE':
        name = `Vendor expense - ${pick(pools.companies)}`;
        break;
      case 'REVENUE':
        name = `${pick(pools.products)} sales`;
        break;
      default:
        name = `Retained earnings - ${pick(pools.cities)}`;
    }
    const created = -365 * 86_400 + rng.int(0, 364 * 86_400);
    const active = rng.next() < 0.97 ? 't' : 'f';
    parts.push(`${SYSTEM_ACCOUNTS.length + i}\t${CODE_PREFIX[type]}-${String(i).padStart(6, '0')}\t${name}\t${type}\t${active}\t${cal.ts(created)}\n`);
  }
  return parts.join('');
}
