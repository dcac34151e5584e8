/** Renders docs/configuration.md from the option catalogue, so the docs cannot drift from the code (a test compares them). */
import { OPTIONS, fileKeyOf, type OptionDef } from './options.js';

export function renderConfigurationDoc(): string {
  const rows = Object.values(OPTIONS).map((raw) => {
    const d = raw as OptionDef<unknown>;
    const def = d.default === '' || (typeof d.default === 'object' && d.default !== null && Object.keys(d.default).length === 0) ? '—' : '`' + String(d.default) + (d.key.endsWith('Sec') && typeof d.default === 'number' ? 's' : '') + '`';
    const env = d.env.length ? d.env.map((e) => `\`${e}\``).join(', ') : '—';
    const key = d.key === 'configFile' ? '—' : `\`${fileKeyOf(d)}\``;
    return `| \`--${d.flag}\` | ${key} | ${env} | ${def} | ${d.description.replace(/\|/g, '\\|')} |`;
  });
  return [
    '# Configuration',
    '',
    '    ledger-bench <command> --help                 # the flags of one command',
    '    ledger-bench run --rate 500 --config my.json  # a config file of your own',
    '    npm run docs:config                           # regenerate this page from the option catalogue',
    '',
    '<!-- generated from src/config/options.ts by `npm run docs:config`; test/config checks it is current -->',
    '',
    'Every setting can come from a flag, an environment variable, or the config file',
    '`ledger-bench.config.json` in the working directory (or the file `--config` names).',
    'Precedence: **flag > env > config file > default**. Every invalid value is reported at',
    'once, each naming where it came from and how to fix it; the exit code is then 2 and',
    'nothing in any database has been changed. Unknown flags and unknown config keys are',
    'errors too (with a "did you mean"). Durations accept `500ms`, `30s`, `2m`, `1h` or',
    'a bare number of seconds. Secrets (the database URL) are removed from result files.',
    '',
    'Example `ledger-bench.config.json`:',
    '',
    '```json',
    '{ "rate": 1000, "duration": "60s", "warmup": "10s", "scale": "medium", "variants": "baseline,indexes" }',
    '```',
    '',
    '| flag | config key | env | default | meaning |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
