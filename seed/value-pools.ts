/**
 * Pools of realistic text built once per seed with faker, then drawn from with the
 * seeder's own PRNG. faker costs microseconds per call; tens of millions of rows
 * cannot afford it, a few thousand pool entries can.
 */
import { faker } from '@faker-js/faker';
import { cleanText } from './copy-text.js';

/** Entry sources, in the order of {@link SOURCE_WEIGHTS}. */
export const SOURCES = ['ANCHOR', 'ORACLE', 'SETTLEMENT', 'SYSTEM', 'MANUAL'] as const;
/** An entry source. */
export type Source = (typeof SOURCES)[number];
/** Share of entries per source: anchor purchases dominate a bridge's ledger. */
export const SOURCE_WEIGHTS = [0.45, 0.25, 0.15, 0.1, 0.05];

/** Anchor authorization types, in the order of {@link ANCHOR_TYPE_WEIGHTS}. */
export const ANCHOR_TYPES = ['GROCERY', 'UTILITY', 'FUEL', 'TRANSIT', 'RETAIL'] as const;
/** Share of authorizations per anchor type. */
export const ANCHOR_TYPE_WEIGHTS = [0.35, 0.15, 0.2, 0.12, 0.18];

/** Currency pairs and rough rates for FX legs and oracle price events. */
export const FX_PAIRS: ReadonlyArray<{ pair: string; rate: number }> = [
  { pair: 'USD/EUR', rate: 0.9215 },
  { pair: 'EUR/USD', rate: 1.0852 },
  { pair: 'GBP/USD', rate: 1.2731 },
  { pair: 'USD/CHF', rate: 0.8854 },
  { pair: 'AUD/USD', rate: 0.6612 },
  { pair: 'USD/CAD', rate: 1.3602 },
  { pair: 'USD/SGD', rate: 1.3418 },
  { pair: 'NZD/USD', rate: 0.6105 },
];

/** Text pools, every string already safe for COPY text and JSON (see cleanText). */
export interface ValuePools {
  /** Entry descriptions per source (same order as {@link SOURCES}). */
  descriptions: string[][];
  /** Line memos. */
  memos: string[];
  people: string[];
  companies: string[];
  cities: string[];
  products: string[];
}

function pool(size: number, make: () => string, max = 200): string[] {
  const out: string[] = [];
  for (let i = 0; i < size; i++) out.push(cleanText(make(), max));
  return out;
}

/** Builds the pools deterministically from `seed` (calls faker.seed(seed) first). */
export function buildValuePools(seed: number): ValuePools {
  faker.seed(seed);
  const people = pool(2000, () => faker.person.fullName());
  const companies = pool(800, () => faker.company.name());
  const cities = pool(300, () => faker.location.city());
  const products = pool(400, () => faker.commerce.productName());
  const pick = (xs: string[]): string => faker.helpers.arrayElement(xs);
  const anchorVerbs: Record<(typeof ANCHOR_TYPES)[number], string> = {
    GROCERY: 'Grocery purchase at',
    UTILITY: 'Utility bill paid to',
    FUEL: 'Fuel purchase at',
    TRANSIT: 'Transit fare via',
    RETAIL: 'Retail purchase at',
  };
  const descriptions: string[][] = [
    pool(600, () => `${anchorVerbs[faker.helpers.arrayElement(ANCHOR_TYPES)]} ${pick(companies)}, ${pick(cities)}`),
    pool(300, () => {
      const fx = faker.helpers.arrayElement(FX_PAIRS);
      return `Oracle ${fx.pair} conversion for ${pick(companies)}`;
    }),
    pool(300, () => `Settlement batch ${pick(cities)} #${faker.number.int({ min: 1000, max: 99999 })}`),
    pool(200, () =>
      faker.helpers.arrayElement([
        `Daily fee sweep ${pick(cities)}`,
        `Interest accrual ${faker.finance.currencyCode()}`,
        `Reserve rebalance ${pick(companies)}`,
        `FX revaluation ${faker.helpers.arrayElement(FX_PAIRS).pair}`,
      ]),
    ),
    pool(300, () =>
      faker.helpers.arrayElement([
        `Manual adjustment approved by ${pick(people)}`,
        `Chargeback correction for ${pick(companies)}`,
        `Refund of ${pick(products)} to ${pick(people)}`,
        `Write-off reviewed by ${pick(people)}`,
      ]),
    ),
  ];
  const memos = pool(1000, () => faker.finance.transactionDescription(), 120);
  return { descriptions, memos, people, companies, cities, products };
}
