/**
 * Writes the scale report in every format (report.md, report.json, junit.xml,
 * report.html) beside scale.json, and appends the Markdown to the GitHub step summary
 * when GITHUB_STEP_SUMMARY names one.
 */
import { join } from 'node:path';
import type { ScaleFile } from '../result/scale-schema.js';
import { renderScaleHtml } from './scale-html.js';
import { renderScaleJson } from './scale-json.js';
import { renderScaleJunit } from './scale-junit.js';
import { renderScaleMarkdown } from './scale-markdown.js';
import { appendStepSummary, REPORT_FILES, writeAtomic, type ReportFormat } from './write-reports.js';

/** The scale report's renderers, by format. */
export const SCALE_RENDERERS: Record<ReportFormat, (f: ScaleFile) => string> = { md: renderScaleMarkdown, json: renderScaleJson, junit: renderScaleJunit, html: renderScaleHtml };

/** Writes every format into `dir` (each file atomically); returns the files written. */
export async function writeScaleReports(dir: string, f: ScaleFile, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const files: string[] = [];
  for (const [format, render] of Object.entries(SCALE_RENDERERS) as Array<[ReportFormat, (f: ScaleFile) => string]>) {
    const file = join(dir, REPORT_FILES[format]);
    await writeAtomic(file, render(f));
    files.push(file);
  }
  appendStepSummary(SCALE_RENDERERS.md(f), env);
  return files;
}
