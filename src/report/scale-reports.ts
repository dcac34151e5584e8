/**
 * Writes the scale report in every format (report.md, report.json, junit.xml,
 * report.html) beside scale.json, and appends the Markdown to the GitHub step summary
 * when GITHUB_STEP_SUMMARY names one.
 */
import type { ScaleFile } from '../result/scale-schema.js';
import { renderScaleHtml } from './scale-html.js';
import { renderScaleJson } from './scale-json.js';
import { renderScaleJunit } from './scale-junit.js';
import { renderScaleMarkdown } from './scale-markdown.js';
import { writeRendered, type ReportFormat } from './write-reports.js';

/** The scale report's renderers, by format. */
export const SCALE_RENDERERS: Record<ReportFormat, (f: ScaleFile) => string> = { md: renderScaleMarkdown, json: renderScaleJson, junit: renderScaleJunit, html: renderScaleHtml };

/** Writes every format into `dir` (each file atomically); returns the files written. */
export function writeScaleReports(dir: string, f: ScaleFile, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return writeRendered(dir, f, SCALE_RENDERERS, env);
}
