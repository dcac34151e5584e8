/** `npm run docs:config`: rewrites docs/configuration.md from the option catalogue. */
import { writeFileSync } from 'node:fs';
import { renderConfigurationDoc } from './docs.js';

writeFileSync(new URL('../../docs/configuration.md', import.meta.url), renderConfigurationDoc());
process.stderr.write('docs/configuration.md written\n');
