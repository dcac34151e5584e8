#!/usr/bin/env node
// The ledger-bench CLI. Sources are TypeScript, run through tsx (no build step), so
// `npm ci` is the whole install and `node bin/ledger-bench.js` works from a clean clone.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
