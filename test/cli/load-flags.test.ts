/**
 * One CLI grammar: the commands that run load take the same flags for the same things.
 * Their flag sets are compared against one table (docs/cli.md, "Output flags"), so a flag
 * added to one load command and forgotten in another fails here, not in a user's script.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { commandHelp } from '../../src/cli/help.js';
import { LOAD_OUTPUT_KEYS } from '../../src/cli/output-flags.js';
import { OPTIONS } from '../../src/config/options.js';

/** Every command that runs load and produces a result. */
const LOAD = ['run', 'compare', 'capacity', 'isolate', 'scale', 'gate', 'http', 'bench'];
/** The load commands that drive SQL through the engine (http drives the API with autocannon, on a variant database that exists). */
const SQL = LOAD.filter((c) => c !== 'http');

/** Which load commands take which flag: shared groups first, then each command-specific flag with its commands. */
const GRAMMAR: ReadonlyArray<{ keys: readonly string[]; commands: readonly string[] }> = [
  { keys: LOAD_OUTPUT_KEYS, commands: LOAD },
  // Where the server and the data are, the seed of the schedule, the budgets, the connections.
  { keys: ['databaseUrl', 'dataDir', 'dbPrefix', 'seed', 'budgetMs', 'connections'], commands: LOAD },
  // Budgets in k6 threshold syntax (scale judges its single p95 budget, --budget-ms).
  { keys: ['budgets'], commands: LOAD.filter((c) => c !== 'scale') },
  // The engine, and the server a command may start itself.
  { keys: ['db', 'containerImage', 'variantsDir', 'maxTries', 'workers', 'refreshIntervalSec', 'reconnectTimeoutSec', 'engineTimer', 'engineDriver'], commands: SQL },
  // Several variants, each built by the command (replacing one it did not create needs --force).
  { keys: ['variants'], commands: ['compare', 'capacity', 'isolate', 'scale', 'bench'] },
  { keys: ['force'], commands: ['compare', 'capacity', 'isolate', 'scale', 'gate', 'bench'] },
  // One variant that exists; one mixed schedule.
  { keys: ['variant', 'arrival'], commands: ['run', 'http'] },
  { keys: ['mix'], commands: ['run', 'compare', 'capacity', 'gate', 'http', 'bench'] },
  // The mixed runs' warm-up (capacity's probes have their own, --step-warmup).
  { keys: ['warmupSec'], commands: ['run', 'compare', 'gate', 'http', 'bench'] },
  { keys: ['rate'], commands: ['run', 'compare', 'gate', 'http', 'bench'] },
  { keys: ['durationSec'], commands: ['run', 'compare', 'http', 'bench'] },
  { keys: ['maxWarmupSec'], commands: ['run', 'compare', 'bench'] },
  { keys: ['budgetVariants'], commands: ['run', 'compare', 'isolate', 'scale', 'http', 'bench'] },
  // What an undecided budget does to the exit code (gate and capacity judge budgets their own way).
  { keys: ['inconclusive'], commands: ['run', 'compare', 'isolate', 'scale', 'gate', 'http', 'bench'] },
  { keys: ['evidence'], commands: ['run', 'compare', 'capacity', 'bench'] },
  { keys: ['sqlFile', 'backlog', 'segment', 'queryMode'], commands: ['run'] },
  { keys: ['startRate', 'maxRate', 'stepSec', 'stepWarmupSec', 'precision', 'minRate'], commands: ['capacity', 'bench'] },
  { keys: ['isolateScenarios', 'isolateRate', 'isolateSec', 'isolateWarmupSec'], commands: ['isolate', 'scale', 'bench'] },
  // Runs that extend until their checks are decided (docs/capacity.md), and the capacity within several p95 budgets.
  { keys: ['sequentialLooks'], commands: ['capacity', 'isolate', 'bench'] },
  { keys: ['capacityBudgetsMs'], commands: ['capacity', 'bench'] },
  { keys: ['scales', 'productionEntries'], commands: ['scale'] },
  { keys: ['base', 'head', 'blocks', 'blockSec', 'minEffect', 'failSharedBudgets'], commands: ['gate'] },
  { keys: ['host', 'poolSize', 'apiUrl'], commands: ['http'] },
  // An existing database measured as it is (docs/target.md).
  { keys: ['target', 'allowWrites'], commands: ['run', 'capacity', 'isolate'] },
  { keys: ['zipfTheta', 'asOf', 'reseed'], commands: ['scale', 'bench'] },
  { keys: ['scale', 'verifySample', 'verifyWrites', 'benchProbes'], commands: ['bench'] },
];

const command = (name: string) => {
  const c = COMMANDS.find((x) => x.name === name);
  assert.ok(c, `command ${name} exists`);
  return c;
};

test('load commands: every command that measures is in the list of load commands', () => {
  for (const c of COMMANDS.filter((x) => x.measures)) assert.ok(LOAD.includes(c.name), `${c.name} measures: list it in LOAD and GRAMMAR`);
});

test('load commands: each takes exactly the flags of the grammar table, the output flags in all of them', () => {
  for (const name of LOAD) {
    const expected = GRAMMAR.filter((g) => g.commands.includes(name)).flatMap((g) => [...g.keys]).sort();
    const actual = [...command(name).keys].map(String).sort();
    assert.deepEqual(actual, expected, `${name}: its flags differ from the grammar table (add the flag to every command of its group, or give it a group)`);
    for (const k of LOAD_OUTPUT_KEYS) assert.ok(actual.includes(k), `${name} takes --${OPTIONS[k].flag}`);
  }
  // A row naming a command that is not a load command, or a key twice, is a mistake in the table itself.
  const keys = GRAMMAR.flatMap((g) => [...g.keys]);
  assert.equal(new Set(keys).size, keys.length, 'each key in one row');
  for (const g of GRAMMAR) for (const c of g.commands) assert.ok(LOAD.includes(c), `${c} is a load command`);
});

test('load commands: --help of each shows --quiet, --json and --out with the same words', () => {
  const lines = (name: string) => commandHelp(command(name)).split('\n');
  for (const k of LOAD_OUTPUT_KEYS) {
    const flag = `--${OPTIONS[k].flag}`;
    const seen = new Set(LOAD.map((name) => lines(name).find((l) => l.trim().startsWith(flag + ' '))?.trim().replace(/\s+/g, ' ')));
    assert.equal(seen.size, 1, `${flag} is described the same way in every load command: ${[...seen].join(' | ')}`);
    assert.ok([...seen][0], `${flag} is in --help`);
  }
});
