/**
 * Generates the ledger's rows (journal entries, their lines, anchor authorizations,
 * event correlations and audit rows) as COPY text, in chronological chunks, from one
 * seeded PRNG. Nothing here touches the database; {@link LedgerGenerator.nextChunk}
 * returns strings that the loader streams into COPY.
 *
 * Why strings: at ~7 rows per entry and millions of entries, per-row objects and
 * JSON.stringify would dominate; concatenating pre-sanitised pool strings does not.
 */
import { exponential, zipfSampler, scatterRank } from '../src/random/distributions.js';
import { weightedChoice } from '../src/random/weighted-choice.js';
import { createRng, type SeededRng } from '../src/random/rng.js';
import { NULL, addressFrom, money, uuidFrom } from './copy-text.js';
import { CopyBuffer } from './copy-buffer.js';
import { hourlyCounts, type SeedCalendar } from './calendar.js';
import { ANCHOR_TYPES, ANCHOR_TYPE_WEIGHTS, FX_PAIRS, SOURCES, SOURCE_WEIGHTS, type ValuePools } from './value-pools.js';
import { SYSTEM_ACCOUNTS, systemAccountId } from './accounts.js';

/** Tunable shares and means of the generated ledger (defaults in {@link LEDGER_PARAMS}). */
export interface LedgerParams {
  /** Share of entries per status; the rest of 1 after Posted and Draft is Void. */
  postedShare: number;
  draftShare: number;
  /** Lines per entry (2 transfer, 3 with fee, 4 FX, 5 FX with fee) and their shares. */
  lineShapes: readonly number[];
  lineShapeWeights: readonly number[];
  /** Mean principal amount in cents (exponential). 10,000 cents = 100.0000. */
  meanAmountCents: number;
  /** Share of posted ANCHOR entries that fulfil an anchor authorization. */
  fulfilledLinkShare: number;
  /** Expired or failed authorizations per fulfilled one (15% vs 55% of all). */
  lostPerFulfilled: number;
  /** Share of all authorizations still AUTHORIZED or PENDING at `asOf`. */
  activeShare: number;
  /** Zipf skew of user addresses over authorizations. */
  addressTheta: number;
  /** Share of lines with a memo. */
  memoShare: number;
}

/** The defaults (documented in docs/seeding.md). */
export const LEDGER_PARAMS: Readonly<LedgerParams> = {
  postedShare: 0.92,
  draftShare: 0.06,
  lineShapes: [2, 3, 4, 5],
  lineShapeWeights: [0.7, 0.2, 0.08, 0.02],
  meanAmountCents: 10_000,
  fulfilledLinkShare: 0.4,
  lostPerFulfilled: 15 / 55,
  activeShare: 0.3,
  addressTheta: 0.9,
  memoShare: 0.4,
};

/** Authorization time-to-live choices (seconds) and their shares. */
const TTLS = [900, 3600, 86_400, 604_800];
const TTL_WEIGHTS = [0.3, 0.3, 0.3, 0.1];

/** Which system produced an entry's events, by source (SOURCES order). */
const SOURCE_SYSTEM = ['anchor-gateway', 'price-oracle', 'settlement-engine', 'ledger-core', 'backoffice'];


/** The tables the generator writes, in load order. */
export const GENERATED_TABLES = [
  'journal_entries',
  'journal_entry_lines',
  'anchor_authorizations',
  'event_correlations',
  'audit_log',
] as const;
/** A generated table. */
export type GeneratedTable = (typeof GENERATED_TABLES)[number];

/** COPY column lists matching the text the generator emits. */
export const COPY_COLUMNS: Readonly<Record<GeneratedTable, string>> = {
  journal_entries: 'id, entry_number, date, source, status, description, created_at, posted_at',
  journal_entry_lines: 'id, journal_entry_id, line_number, account_id, line_type, amount, memo',
  anchor_authorizations: 'id, user_address, anchor_type, amount, status, expires_at, journal_entry_id, created_at, updated_at',
  event_correlations: 'id, correlation_id, event_type, source_system, payload, created_at',
  audit_log: 'id, table_name, record_id, action, old_data, new_data, changed_at',
};

/** Inputs of a generator. */
export interface LedgerGeneratorOptions {
  seed: number;
  entries: number;
  /** Regular accounts (Zipf domain); system accounts have ids 1..SYSTEM_ACCOUNTS.length. */
  accounts: number;
  userAddresses: number;
  zipfTheta: number;
  scatterKey: number;
  calendar: SeedCalendar;
  pools: ValuePools;
  params?: LedgerParams;
}

/** Stateful chunked generator; call {@link nextChunk} until it returns null. */
export class LedgerGenerator {
  /** Per-table output; the loader takes the filled Buffers after each chunk. */
  readonly out: Record<GeneratedTable, CopyBuffer> = {
    journal_entries: new CopyBuffer(),
    journal_entry_lines: new CopyBuffer(),
    anchor_authorizations: new CopyBuffer(),
    event_correlations: new CopyBuffer(),
    audit_log: new CopyBuffer(),
  };
  /**
   * Per account id (index; 0 unused): sum of DEBIT minus CREDIT cents over the lines of
   * entries whose final status is Posted, and the latest such posted_at (seconds since
   * the window start; NaN when the account has none). account_balances is built from
   * these (see {@link balanceRows}) instead of a GROUP BY over the loaded lines.
   */
  readonly balanceCents: Float64Array;
  readonly lastPostedSec: Float64Array;
  /** Authorizations by final status, for the active tail's size and the summary. */
  readonly authStatus = { AUTHORIZED: 0, PENDING: 0, FULFILLED: 0, EXPIRED: 0, FAILED: 0 };

  private readonly rng: SeededRng;
  private readonly p: LedgerParams;
  private readonly cal: SeedCalendar;
  private readonly pools: ValuePools;
  private readonly total: number;
  private readonly hourCounts: Uint32Array;
  /** accountByRank[r] = account id of Zipf rank r (precomputed scatter). */
  private readonly accountByRank: Int32Array;
  private readonly addressByRank: string[];
  private readonly zipf: (rng: SeededRng) => number;
  private readonly addressZipf: (rng: SeededRng) => number;
  private readonly sourceChoice = weightedChoice(SOURCES, SOURCE_WEIGHTS);
  private readonly shapeChoice;
  private readonly anchorTypeChoice = weightedChoice(ANCHOR_TYPES, ANCHOR_TYPE_WEIGHTS);
  private readonly ttlChoice = weightedChoice(TTLS, TTL_WEIGHTS);
  private readonly sys = {
    cash: systemAccountId('cash'),
    settlement: systemAccountId('settlement'),
    fxSource: systemAccountId('fxSource'),
    fxTarget: systemAccountId('fxTarget'),
    anchorClearing: systemAccountId('anchorClearing'),
    fees: systemAccountId('fees'),
  };

  private next = 0;
  private hour = 0;
  private inHour = 0;
  private lineId = 0;
  private eventId = 0;
  private auditId = 0;
  /** Active authorizations still to generate after the last entry (-1: not sized yet). */
  private tailLeft = -1;

  constructor(o: LedgerGeneratorOptions) {
    this.p = o.params ?? LEDGER_PARAMS;
    this.rng = createRng(o.seed ^ 0x1ed9e7);
    this.cal = o.calendar;
    this.pools = o.pools;
    this.total = o.entries;
    this.hourCounts = hourlyCounts(o.calendar, o.entries);
    this.shapeChoice = weightedChoice(this.p.lineShapes, this.p.lineShapeWeights);
    this.zipf = zipfSampler(o.accounts, o.zipfTheta);
    this.balanceCents = new Float64Array(SYSTEM_ACCOUNTS.length + o.accounts + 1);
    this.lastPostedSec = new Float64Array(SYSTEM_ACCOUNTS.length + o.accounts + 1).fill(NaN);
    this.accountByRank = new Int32Array(o.accounts + 1);
    for (let r = 1; r <= o.accounts; r++) this.accountByRank[r] = SYSTEM_ACCOUNTS.length + scatterRank(r, o.accounts, o.scatterKey);
    // Addresses: their own stream so the address list does not shift with entry logic.
    const arng = createRng(o.seed ^ 0xadd2e55);
    this.addressByRank = [''];
    const pool: string[] = [];
    for (let i = 0; i < o.userAddresses; i++) pool.push(addressFrom(arng));
    for (let r = 1; r <= o.userAddresses; r++) {
      this.addressByRank.push(pool[scatterRank(r, o.userAddresses, o.scatterKey ^ 0x5a5a) - 1] as string);
    }
    this.addressZipf = zipfSampler(o.userAddresses, this.p.addressTheta);
  }

  /** Fraction of the work done, for progress (0..1). */
  get fraction(): number {
    return this.total === 0 ? 1 : this.next / this.total;
  }

  /**
   * Generates the next `maxEntries` entries (with their lines, authorizations, events
   * and audit rows); after the last entry, chunks of still-active authorizations
   * (sized so they are `activeShare` of all authorizations); then null.
   */
  nextChunk(maxEntries: number): boolean {
    if (this.next >= this.total) {
      if (this.tailLeft < 0) {
        const done = this.counts.anchor_authorizations;
        this.tailLeft = Math.round((done * this.p.activeShare) / (1 - this.p.activeShare));
      }
      if (this.tailLeft === 0) return false;
      const n = Math.min(this.tailLeft, maxEntries);
      this.tailLeft -= n;
      this.activeTail(n);
      return true;
    }
    const end = Math.min(this.total, this.next + maxEntries);
    for (; this.next < end; this.next++) this.entry();
    return true;
  }

  /** Rows generated so far per table. */
  get counts(): Record<GeneratedTable, number> {
    const o = this.out;
    return {
      journal_entries: o.journal_entries.rows,
      journal_entry_lines: o.journal_entry_lines.rows,
      anchor_authorizations: o.anchor_authorizations.rows,
      event_correlations: o.event_correlations.rows,
      audit_log: o.audit_log.rows,
    };
  }

  private account(): number {
    return this.accountByRank[this.zipf(this.rng)] as number;
  }

  private otherAccount(not: number): number {
    for (;;) {
      const a = this.account();
      if (a !== not) return a;
    }
  }

  private amount(): number {
    return Math.max(1, Math.round(exponential(this.rng, this.p.meanAmountCents)));
  }

  private memo(): string {
    const r = this.rng.next();
    if (r >= this.p.memoShare) return NULL;
    const m = this.pools.memos;
    return m[Math.floor((r / this.p.memoShare) * m.length)] as string;
  }

  private entry(): void {
    const out = this.out;
    const rng = this.rng;
    const cal = this.cal;
    const p = this.p;
    while (this.inHour >= (this.hourCounts[this.hour] as number)) {
      this.hour++;
      this.inHour = 0;
    }
    const perHour = this.hourCounts[this.hour] as number;
    // Stratified inside the hour, so created_at grows with entry_number.
    const t = this.hour * 3600 + Math.floor(((this.inHour + rng.next()) * 3600) / perHour);
    this.inHour++;
    const number = this.next + 1;
    const id = uuidFrom(rng);
    const srcIdx = this.sourceChoice.pickIndex(rng);
    const source = SOURCES[srcIdx] as string;
    const sr = rng.next();
    const status = sr < p.postedShare ? 'Posted' : sr < p.postedShare + p.draftShare ? 'Draft' : 'Void';
    const descs = this.pools.descriptions[srcIdx] as string[];
    const desc = descs[Math.floor(rng.next() * descs.length)] as string;
    const lines = this.shapeChoice.pick(rng);

    // Automated sources insert entries already posted; MANUAL ones start as Draft and
    // are posted later by a person (an UPDATE in the audit trail).
    const manual = source === 'MANUAL';
    let postedAt = -1;
    if (status !== 'Draft') {
      postedAt = manual ? Math.min(cal.nowSec - 1, t + Math.round(exponential(rng, 3600))) : t;
    }
    const date = cal.date(t);
    const createdTs = cal.ts(t);
    const createdIso = cal.iso(t);
    const postedTs = postedAt < 0 ? NULL : cal.ts(postedAt);
    const postedIso = postedAt < 0 ? 'null' : '"' + cal.iso(postedAt) + '"';
    out.journal_entries.push(`${id}\t${number}\t${date}\t${source}\t${status}\t${desc}\t${createdTs}\t${postedTs}\n`);

    // Lines: integer cents, the credit side built as exact sums so every entry balances.
    const amt = this.amount();
    let a = this.account();
    let b = this.otherAccount(a);
    if (source === 'SETTLEMENT') a = this.sys.settlement;
    else if (source === 'SYSTEM' && rng.next() < 0.5) a = this.sys.cash;
    else if (source === 'ANCHOR' && rng.next() < 0.3) b = this.sys.anchorClearing;
    if (a === b) b = this.otherAccount(a);
    const hasFee = lines === 3 || lines === 5;
    const fee = hasFee ? 25 + Math.round(amt * 0.01) : 0;
    // Posted entries count towards balances; -1 marks lines that do not.
    const postedSec = status === 'Posted' ? postedAt : -1;
    let L = this.line(id, 1, a, 'DEBIT', amt + fee, postedSec);
    let ln = 1;
    if (hasFee) L += this.line(id, ++ln, this.sys.fees, 'CREDIT', fee, postedSec);
    if (lines >= 4) {
      const fx = FX_PAIRS[Math.floor(rng.next() * FX_PAIRS.length)]!;
      const amt2 = Math.max(1, Math.round(amt * fx.rate));
      L += this.line(id, ++ln, this.sys.fxSource, 'CREDIT', amt, postedSec);
      L += this.line(id, ++ln, this.sys.fxTarget, 'DEBIT', amt2, postedSec);
      L += this.line(id, ++ln, b, 'CREDIT', amt2, postedSec);
    } else {
      L += this.line(id, ++ln, b, 'CREDIT', amt, postedSec);
    }
    out.journal_entry_lines.push(L, ln);

    // Audit trail as the phase-3 trigger would have written it.
    const insertStatus = manual && status !== 'Draft' ? 'Draft' : status === 'Void' ? 'Posted' : status;
    // The entry's fields as the trigger's to_jsonb(NEW) text, split around status and
    // posted_at (plain strings, not a closure per entry: closures cost allocation and,
    // under tsx, a __name call each).
    const head = `{"id":"${id}","date":"${date}","source":"${source}","status":"`;
    const tail = `,"created_at":"${createdIso}","description":"${desc}","entry_number":${number}}`;
    const insertJson = entryJson(head, insertStatus, insertStatus === 'Draft' ? 'null' : postedIso, tail);
    this.audit('journal_entries', id, 'INSERT', NULL, insertJson, createdTs);
    if (insertStatus === 'Draft' && status !== 'Draft') {
      this.audit('journal_entries', id, 'UPDATE', insertJson, entryJson(head, 'Posted', postedIso, tail), postedTs);
    }

    // Events correlate entries with their upstream flow.
    const sys = SOURCE_SYSTEM[srcIdx] as string;
    let corr = '';
    if (source === 'ANCHOR' && status === 'Posted' && rng.next() < p.fulfilledLinkShare) {
      corr = uuidFrom(rng);
      this.fulfilledAuthorization(id, t, amt, corr);
      if (rng.next() < p.lostPerFulfilled) this.lostAuthorization(t);
    } else {
      corr = uuidFrom(rng);
    }
    if (source === 'ORACLE') {
      const fx = FX_PAIRS[Math.floor(rng.next() * FX_PAIRS.length)]!;
      const rate = (fx.rate * (0.98 + rng.next() * 0.04)).toFixed(6);
      this.event(corr, 'ORACLE_PRICE', sys, `{"pair":"${fx.pair}","rate":${rate},"journal_entry_id":"${id}"}`, cal.ts(Math.max(-86_400, t - rng.int(1, 30))));
    }
    if (postedAt >= 0) {
      this.event(corr, 'ENTRY_POSTED', sys, `{"journal_entry_id":"${id}","entry_number":${number},"source":"${source}","lines":${ln},"amount":${money(amt + fee)}}`, postedTs);
    }
    if (status === 'Void') {
      const voidAt = Math.min(cal.nowSec - 1, postedAt + 1 + Math.round(exponential(rng, 2 * 86_400)));
      const voidTs = cal.ts(voidAt);
      this.audit('journal_entries', id, 'UPDATE', entryJson(head, 'Posted', postedIso, tail), entryJson(head, 'Void', postedIso, tail), voidTs);
      this.event(corr, 'ENTRY_VOIDED', 'backoffice', `{"journal_entry_id":"${id}","entry_number":${number}}`, voidTs);
    }
  }

  /**
   * One journal_entry_lines row (line `ln` of entry `id`); when the entry is posted
   * (`postedSec` >= 0) the line also moves its account's balance and last posting.
   */
  private line(id: string, ln: number, acct: number, type: 'DEBIT' | 'CREDIT', cents: number, postedSec: number): string {
    if (postedSec >= 0) {
      const bal = this.balanceCents;
      const last = this.lastPostedSec;
      bal[acct] = (bal[acct] as number) + (type === 'DEBIT' ? cents : -cents);
      // Entries are generated in created_at order, but MANUAL ones post later.
      if (!(postedSec <= (last[acct] as number))) last[acct] = postedSec;
    }
    return `${++this.lineId}\t${id}\t${ln}\t${acct}\t${type}\t${money(cents)}\t${this.memo()}\n`;
  }

  private audit(table: string, id: string, action: string, oldData: string, newData: string, at: string): void {
    this.out.audit_log.push(`${++this.auditId}\t${table}\t${id}\t${action}\t${oldData}\t${newData}\t${at}\n`);
  }

  private event(corr: string, type: string, system: string, payload: string, at: string): void {
    this.out.event_correlations.push(`${++this.eventId}\t${corr}\t${type}\t${system}\t${payload}\t${at}\n`);
  }

  private authJson(id: string, addr: string, type: string, amount: string, status: string, expiresIso: string, entry: string, createdIso: string, updatedIso: string): string {
    return `{"id":"${id}","user_address":"${addr}","anchor_type":"${type}","amount":${amount},"status":"${status}","expires_at":"${expiresIso}","journal_entry_id":${entry},"created_at":"${createdIso}","updated_at":"${updatedIso}"}`;
  }

  /**
   * Emits one authorization row with its INSERT audit row (as AUTHORIZED), an UPDATE
   * audit row when it moved on, and its events.
   */
  private authorization(
    status: 'AUTHORIZED' | 'PENDING' | 'FULFILLED' | 'EXPIRED' | 'FAILED',
    created: number,
    expires: number,
    updated: number,
    cents: number,
    entryId: string | null,
    corr: string,
  ): void {
    const cal = this.cal;
    const rng = this.rng;
    const id = uuidFrom(rng);
    const addr = this.addressByRank[this.addressZipf(rng)] as string;
    const type = this.anchorTypeChoice.pick(rng);
    const amount = money(cents);
    const createdTs = cal.ts(created);
    const updatedTs = cal.ts(updated);
    const createdIso = cal.iso(created);
    const expiresIso = cal.iso(expires);
    this.out.anchor_authorizations.push(`${id}\t${addr}\t${type}\t${amount}\t${status}\t${cal.ts(expires)}\t${entryId ?? NULL}\t${createdTs}\t${updatedTs}\n`);
    this.authStatus[status]++;
    const first = this.authJson(id, addr, type, amount, 'AUTHORIZED', expiresIso, 'null', createdIso, createdIso);
    this.audit('anchor_authorizations', id, 'INSERT', NULL, first, createdTs);
    const base = `"authorization_id":"${id}","user_address":"${addr}","anchor_type":"${type}","amount":${amount}`;
    this.event(corr, 'AUTHORIZATION_CREATED', 'anchor-gateway', `{${base},"expires_at":"${expiresIso}"}`, createdTs);
    if (status !== 'AUTHORIZED') {
      const entry = entryId === null ? 'null' : `"${entryId}"`;
      this.audit('anchor_authorizations', id, 'UPDATE', first, this.authJson(id, addr, type, amount, status, expiresIso, entry, createdIso, cal.iso(updated)), updatedTs);
      const extra = entryId === null ? '' : `,"journal_entry_id":"${entryId}"`;
      this.event(corr, `AUTHORIZATION_${status}`, 'anchor-gateway', `{${base}${extra}}`, updatedTs);
    }
  }

  /** An authorization fulfilled by the posted ANCHOR entry `entryId` at time `t`. */
  private fulfilledAuthorization(entryId: string, t: number, cents: number, corr: string): void {
    const ttl = this.ttlChoice.pick(this.rng);
    const lead = Math.min(ttl - 1, 30 + Math.round(exponential(this.rng, 120)));
    const created = t - lead;
    this.authorization('FULFILLED', created, created + ttl, t, cents, entryId, corr);
  }

  /** An authorization that expired or failed around time `t` (both in the past at asOf). */
  private lostAuthorization(t: number): void {
    const rng = this.rng;
    const ttl = this.ttlChoice.pick(rng);
    let created = t - rng.int(0, 86_400);
    const nowSec = this.cal.nowSec;
    if (created + ttl + 600 >= nowSec) created = nowSec - ttl - 601 - rng.int(0, 3600);
    const expires = created + ttl;
    const expired = rng.next() < 2 / 3;
    // The expiry sweeper runs every few minutes; failures happen within two minutes.
    const updated = expired ? expires + rng.int(1, 300) : created + rng.int(1, 120);
    this.authorization(expired ? 'EXPIRED' : 'FAILED', created, expires, updated, this.amount(), null, uuidFrom(rng));
  }

  /**
   * The still-active authorizations at asOf: created in the last 3 days, expiring
   * after asOf (20% within the next hour).
   */
  private activeTail(n: number): void {
    const rng = this.rng;
    const nowSec = this.cal.nowSec;
    for (let i = 0; i < n; i++) {
      const created = nowSec - rng.int(60, 3 * 86_400);
      const expires = nowSec + (rng.next() < 0.2 ? rng.int(60, 3600) : rng.int(3601, 7 * 86_400));
      const pending = rng.next() < 0.4;
      const updated = pending ? created + rng.int(1, Math.min(600, nowSec - created - 1)) : created;
      this.authorization(pending ? 'PENDING' : 'AUTHORIZED', created, expires, updated, this.amount(), null, uuidFrom(rng));
    }
  }
}

/** A journal entry's JSON: the fixed `head` and `tail` around status and posted_at. */
function entryJson(head: string, status: string, postedAt: string, tail: string): string {
  return head + status + '","posted_at":' + postedAt + tail;
}

/**
 * account_balances as COPY text (account_id, current_balance, updated_at): one row per
 * account id 1..accounts, balance = posted debits - credits (zero without posted lines),
 * updated_at = the last posting, else the account's creation (`createdTs[id]`).
 */
export function balanceRows(gen: LedgerGenerator, cal: SeedCalendar, createdTs: readonly string[]): string {
  const parts: string[] = [];
  for (let id = 1; id < gen.balanceCents.length; id++) {
    const cents = gen.balanceCents[id] as number;
    const last = gen.lastPostedSec[id] as number;
    const balance = cents < 0 ? '-' + money(-cents) : money(cents);
    parts.push(`${id}\t${balance}\t${Number.isNaN(last) ? createdTs[id] : cal.ts(last)}\n`);
  }
  return parts.join('');
}
