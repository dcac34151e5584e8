/**
 * The seed's clock: a fixed window of 24 months ending at `asOf`, the daily and
 * weekly rhythm of entry arrivals, and fast timestamp formatting for COPY text.
 *
 * All times are integer seconds since the window start (`startDate` 00:00 UTC), so
 * nothing depends on the machine's clock or time zone.
 */
import { UserError } from '../src/errors.js';

const DAY = 86_400;

/**
 * Relative arrival rate by hour of day (UTC), normalised below to mean 1. Business
 * hours (09-17) peak near 2.5x the daily average, nights drop to ~0.15x.
 */
const HOURLY_SHAPE = [
  0.16, 0.12, 0.1, 0.1, 0.12, 0.2, 0.4, 0.75, 1.4, 2.2, 2.5, 2.5, 2.3, 2.4, 2.5, 2.4, 2.1, 1.6, 1.1, 0.8,
  0.6, 0.45, 0.3, 0.22,
];
/** Relative rate by weekday, Sunday first: weekends are ~40-55% of a weekday. */
const WEEKDAY_SHAPE = [0.55, 1.1, 1.15, 1.15, 1.15, 1.1, 0.7];
/** Mild growth: the last day of the window has this many times the first day's rate. */
export const GROWTH_FACTOR = 1.5;

/** The window the seed covers and helpers to place and format times in it. */
export interface SeedCalendar {
  /** 'YYYY-MM-DD', inclusive (asOf minus 24 months, plus one day). */
  startDate: string;
  /** 'YYYY-MM-DD', inclusive; equals asOf. */
  endDate: string;
  /** Days in the window. */
  days: number;
  /** "Now" of the seeded world: the end of `endDate` (seconds since window start). */
  nowSec: number;
  /** Epoch milliseconds of the window start. */
  startMs: number;
  /** Formats seconds since window start as a COPY timestamptz ('YYYY-MM-DD HH:MM:SS+00'). */
  ts(sec: number): string;
  /** Formats seconds as the ISO form to_jsonb() gives a timestamptz in UTC. */
  iso(sec: number): string;
  /** The 'YYYY-MM-DD' date of seconds since window start. */
  date(sec: number): string;
}

/** Parses and validates 'YYYY-MM-DD'; throws a UserError otherwise. */
export function parseAsOf(asOf: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(asOf);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== asOf) {
    throw new UserError(`asOf "${asOf}" is not a valid date: use YYYY-MM-DD, e.g. 2026-10-31`);
  }
  return ms;
}

/** Builds the calendar for the 24 months ending at `asOf` ('YYYY-MM-DD'). */
export function createCalendar(asOf: string): SeedCalendar {
  const endMs = parseAsOf(asOf);
  const end = new Date(endMs);
  const startMs = Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 24, end.getUTCDate() + 1);
  const days = Math.round((endMs - startMs) / (DAY * 1000)) + 1;
  // Day strings from 2 years before the window (account creation) to 60 days after
  // it (authorization expiries); index offset PRE_DAYS.
  const PRE_DAYS = 800;
  const dayStr: string[] = [];
  for (let d = -PRE_DAYS; d < days + 60; d++) {
    dayStr.push(new Date(startMs + d * DAY * 1000).toISOString().slice(0, 10));
  }
  const hms: string[] = new Array<string>(DAY);
  const p2 = (n: number): string => (n < 10 ? '0' + n : String(n));
  for (let s = 0; s < DAY; s++) hms[s] = `${p2((s / 3600) | 0)}:${p2(((s / 60) | 0) % 60)}:${p2(s % 60)}`;
  const dayOf = (sec: number): string => {
    const s = dayStr[Math.floor(sec / DAY) + PRE_DAYS];
    if (s === undefined) throw new RangeError(`time ${sec}s is outside the seed calendar`);
    return s;
  };
  const sod = (sec: number): string => hms[((sec % DAY) + DAY) % DAY] as string;
  return {
    startDate: dayStr[PRE_DAYS] as string,
    endDate: asOf,
    days,
    nowSec: days * DAY,
    startMs,
    ts: (sec) => dayOf(sec) + ' ' + sod(sec) + '+00',
    iso: (sec) => dayOf(sec) + 'T' + sod(sec) + '+00:00',
    date: dayOf,
  };
}

/**
 * Splits `total` arrivals over the window's hours in proportion to the rhythm
 * (hour of day x weekday x linear growth). Deterministic (no randomness): cumulative
 * rounding, so counts sum exactly to `total` and entry k always lands in the same hour.
 *
 * @returns counts per hour, index = hours since window start.
 */
export function hourlyCounts(cal: SeedCalendar, total: number): Uint32Array {
  const hours = cal.days * 24;
  const hourMean = HOURLY_SHAPE.reduce((a, b) => a + b, 0) / 24;
  const weekMean = WEEKDAY_SHAPE.reduce((a, b) => a + b, 0) / 7;
  const firstDow = new Date(cal.startMs).getUTCDay();
  const weights = new Float64Array(hours);
  let sum = 0;
  for (let h = 0; h < hours; h++) {
    const day = Math.floor(h / 24);
    const growth = 1 + ((GROWTH_FACTOR - 1) * day) / Math.max(1, cal.days - 1);
    const w =
      ((HOURLY_SHAPE[h % 24] as number) / hourMean) * ((WEEKDAY_SHAPE[(firstDow + day) % 7] as number) / weekMean) * growth;
    weights[h] = w;
    sum += w;
  }
  const counts = new Uint32Array(hours);
  let cum = 0;
  let prev = 0;
  for (let h = 0; h < hours; h++) {
    cum += weights[h] as number;
    const upTo = h === hours - 1 ? total : Math.round((cum / sum) * total);
    counts[h] = upTo - prev;
    prev = upTo;
  }
  return counts;
}
