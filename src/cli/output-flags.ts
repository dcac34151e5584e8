/**
 * The output flags every command that runs load shares (test/cli/load-flags.test.ts
 * keeps them in all of them): --quiet silences progress, --json makes stdout one JSON
 * document, --out names the directory of the results.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPORT_FILES } from '../report/write-reports.js';

/** The output flags of every load command, as option keys. */
export const LOAD_OUTPUT_KEYS = ['quiet', 'json', 'out'] as const;

/**
 * The log for progress lines (what runs now, a probe or a block done): silent under
 * --quiet. Warnings, where the results went and the verdict go to the plain log.
 */
export function progressLog(log: (line: string) => void, quiet: boolean): (line: string) => void {
  return quiet ? () => undefined : log;
}

/** --json: a file the command wrote becomes its stdout, byte for byte, instead of the tables. */
export function printJsonFile(file: string): void {
  const text = readFileSync(file, 'utf8');
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

/** --json of a job that writes the four reports (compare, capacity, isolate, bench): its report.json. */
export function printReportJson(out: string): void {
  printJsonFile(join(resolve(out), REPORT_FILES.json));
}
