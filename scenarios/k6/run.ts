/**
 * The k6 side of every script: `setup()` reads the data set's context from the API
 * once, each iteration draws its scenario's request (./requests.ts), sends it with k6's
 * `http`, checks for a 2xx and counts the measured window's failures.
 */
import http from 'k6/http';
import { check } from 'k6';
import type { Counter } from 'k6/metrics';
import { drawContext, type DrawContext, type ScenarioContextBody } from './draw.ts';
import { BASE_URL, CONTEXT_LIMIT, measuring } from './params.ts';
import { REQUESTS, contextRequest, send } from './requests.ts';

/** What `setup()` hands every VU (k6 copies it into each). */
export type SetupData = ScenarioContextBody;

/** `GET /scenario-context` on BASE_URL; stops the test before it starts when the API does not answer. */
export function loadContext(): SetupData {
  const res = send(http, BASE_URL, contextRequest(CONTEXT_LIMIT));
  if (res.status !== 200) throw new Error(`GET ${BASE_URL}/scenario-context answered ${res.status}: is \`ledger-bench serve\` running there? ${String(res.body).slice(0, 300)}`);
  return res.json() as unknown as SetupData;
}

let context: DrawContext | undefined;

/**
 * Sends one request of `scenario` and checks its status (2xx). Failures of the
 * measured scenario are counted in `failed` (0 or 1 per request), so the summary
 * carries the scenario's error count without a threshold that could not fail.
 */
export function sendOne(scenario: string, failed: Counter, data: SetupData): void {
  const draw = REQUESTS[scenario];
  if (!draw) throw new Error(`no k6 request for scenario "${scenario}"`);
  if (context === undefined) context = drawContext(data);
  const res = send(http, BASE_URL, draw(context));
  const ok = check(res, { 'status is 2xx': (x) => x.status >= 200 && x.status < 300 });
  if (measuring()) failed.add(ok ? 0 : 1);
}
