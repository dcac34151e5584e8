/** --help text, generated from the command definitions and the option catalogue. */
import { DEFAULTS } from '../config/defaults.js';
import { OPTIONS, type OptionDef } from '../config/options.js';
import type { Command } from './command.js';
import { renderFailureSemantics } from './failure-semantics.js';

function showDefault(d: OptionDef<unknown>): string {
  if (d.boolean) return '';
  const v = d.default;
  if (typeof v === 'object' && v !== null) return '';
  if (v === '' || v === 0 && (d.key === 'connections' || d.key === 'backlog')) return d.key === 'databaseUrl' ? ' (default: embedded server)' : v === 0 ? ' (default: auto)' : '';
  if (d.key.endsWith('Sec')) return ` (default: ${v}s)`;
  return ` (default: ${String(v)})`;
}

/** Help for one command. */
export function commandHelp(c: Command): string {
  const rows = [...c.keys, 'configFile' as const]
    .filter((k, i, a) => a.indexOf(k) === i)
    .map((k) => OPTIONS[k] as OptionDef<unknown>)
    .map((d) => {
      const left = `--${d.flag}${d.placeholder ? ' ' + d.placeholder : ''}`;
      const env = d.env.length ? ` [env ${d.env.join(', ')}]` : '';
      return [left, `${d.description}${showDefault(d)}${env}`] as const;
    });
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  const lines = [
    `Usage: ledger-bench ${c.usage}`,
    '',
    c.description.trim(),
    '',
    'Options:',
    ...rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`),
  ];
  if (c.examples?.length) lines.push('', 'Examples:', ...c.examples.map((e) => `  ${e}`));
  if (c.measures) lines.push('', renderFailureSemantics());
  lines.push('', `Precedence: flag > env > config file (${DEFAULTS.configFile}) > default. Exit codes: 0 ok, 1 failure, 2 bad input, 99 budget/threshold failed, 130 interrupted.`);
  return lines.join('\n') + '\n';
}

/** Help for the binary. */
export function globalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'ledger-bench: measure the SOVR ledger schema review on real PostgreSQL at a fixed rate.',
    '',
    'Usage: ledger-bench <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Run `ledger-bench <command> --help` for its options. Without --database-url (or DATABASE_URL)',
    'commands use an embedded PostgreSQL server from npm, started and stopped for you.',
    '',
    renderFailureSemantics(),
    '',
  ].join('\n');
}
