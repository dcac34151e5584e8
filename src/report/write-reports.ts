/**
 * Writes report.md, report.json, junit.xml and report.html next to results, and appends
 * the Markdown to the GitHub step summary when GITHUB_STEP_SUMMARY names one.
 */
import { appendFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { ReportData } from './model.js';

/** Report formats, by name (the `report --format` values). */
export const RENDERERS = { md: renderMarkdown, json: renderJson, junit: renderJunit, html: renderHtml } as const;

/** A report format. */
export type ReportFormat = keyof typeof RENDERERS;

/** File names of the reports `compare` and `bench` write. */
export const REPORT_FILES: Record<ReportFormat, string> = { md: 'report.md', json: 'report.json', junit: 'junit.xml', html: 'report.html' };

/** Writes `text` to `file` through a temporary file and a rename (readers never see half a file). */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** Writes every format into `dir`; returns the files written. */
export async function writeReports(dir: string, data: ReportData, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const files: string[] = [];
  for (const [format, render] of Object.entries(RENDERERS) as Array<[ReportFormat, (d: ReportData) => string]>) {
    const file = join(dir, REPORT_FILES[format]);
    await writeAtomic(file, render(data));
    files.push(file);
  }
  appendStepSummary(RENDERERS.md(data), env);
  return files;
}

/**
 * The environment to pass `writeReports` when the step summary must not get this report
 * (`report`, and each step of `bench`: the summary holds bench's one combined report).
 */
export const NO_STEP_SUMMARY: NodeJS.ProcessEnv = Object.freeze({});

/** Appends Markdown to $GITHUB_STEP_SUMMARY when set (GitHub Actions shows it on the run page). */
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, markdown.endsWith('\n') ? markdown : markdown + '\n');
  return true;
}
