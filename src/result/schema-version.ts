/**
 * Version of the result format written by this code (bump it on any incompatible change
 * to the contract in schema.ts). A module of its own so that the load engine's worker
 * threads, which only stamp results, do not load zod and build every schema at start-up.
 */
export const SCHEMA_VERSION = 1;
