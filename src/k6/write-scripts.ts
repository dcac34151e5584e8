/** `npm run k6:generate`: rewrites the generated files of scenarios/k6/ (see ./render-scripts.ts). */
import { writeFileSync } from 'node:fs';
import { renderK6Files } from './render-scripts.js';

for (const [name, text] of Object.entries(renderK6Files())) {
  writeFileSync(new URL(`../../scenarios/k6/${name}`, import.meta.url), text);
  process.stderr.write(`scenarios/k6/${name} written\n`);
}
