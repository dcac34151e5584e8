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

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** Writes every format into `dir`; returns the files written. */
export async function writeReports(dir: string, data: ReportData, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return writeRendered(dir, data, RENDERERS, env);
}

/** Writes `data` in every format of `renderers` into `dir` (REPORT_FILES names), the Markdown also to the step summary; returns the files written. */
export async function writeRendered<T>(dir: string, data: T, renderers: Readonly<Record<ReportFormat, (d: T) => string>>, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const files: string[] = [];
  for (const format of Object.keys(REPORT_FILES) as ReportFormat[]) {
    const file = join(dir, REPORT_FILES[format]);
    await writeAtomic(file, renderers[format](data));
    files.push(file);
  }
  appendStepSummary(renderers.md(data), env);
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
