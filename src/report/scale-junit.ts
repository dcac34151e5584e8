/**
 * The scale report as JUnit XML (pure function of scale.json): one suite per variant,
 * `ledger-bench scale: <variant>`, with a case per query x size, `<query> at <size>
 * p(95)<N` (judged variants pass or fail on complete jobs; the others, or every case of
 * a partial job, are skipped carrying the value), and a case per query, `<query>
 * growth`, always skipped: the exponent and the estimate are reported, never judged.
 */
import type { ScaleFile } from '../result/scale-schema.js';
import { xmlEscape } from './junit.js';
import { estimateText, fitOf, growthText, pointText, scaleVerdict } from './scale-rows.js';

interface Case {
  xml: string;
  outcome: 'pass' | 'failure' | 'skipped';
}

function testCase(variant: string, name: string, outcome: Case['outcome'], body: string): Case {
  return { outcome, xml: `    <testcase classname="ledger-bench.scale.${xmlEscape(variant)}" name="${xmlEscape(name)}" time="0">\n      ${body}\n    </testcase>` };
}

/** Renders the JUnit XML. */
export function renderScaleJunit(f: ScaleFile): string {
  const v = scaleVerdict(f);
  const budget = `p(95)<${f.budgetMs}`;
  const suites = f.variants.map((variant) => {
    const judged = f.budgetVariants.includes(variant);
    const cases: Case[] = [];
    for (const scenario of f.scenarios) {
      for (const p of f.points.filter((x) => x.variant === variant && x.scenario === scenario)) {
        const name = `${scenario} at ${p.scale} ${budget}`;
        const measured = `measured p95 ${pointText(p)} ms`;
        if (!v.judged) cases.push(testCase(variant, name, 'skipped', `<skipped message="${xmlEscape(`not judged: the job is partial (${measured})`)}"/>`));
        else if (!judged) cases.push(testCase(variant, name, 'skipped', `<skipped message="${xmlEscape(`reported, not judged (${measured})`)}"/>`));
        else if (v.failed.some((c) => c.point === p)) cases.push(testCase(variant, name, 'failure', `<failure message="${xmlEscape(`${budget} failed: ${measured}`)}" type="budget"/>`));
        else if (v.inconclusive.some((c) => c.point === p)) cases.push(testCase(variant, name, 'failure', `<failure message="${xmlEscape(`${budget} inconclusive (the interval straddles the budget, or too few samples): ${measured}`)}" type="inconclusive"/>`));
        else cases.push(testCase(variant, name, 'pass', `<system-out>${xmlEscape(measured)}</system-out>`));
      }
      const fit = fitOf(f, variant, scenario);
      const est = fit?.production ? `; p95 at ${fit.production.entries} entries ${estimateText(fit)}` : '';
      cases.push(testCase(variant, `${scenario} growth`, 'skipped', `<skipped message="${xmlEscape(`reported, not judged: exponent ${growthText(fit)}${est}`)}"/>`));
    }
    const count = (o: Case['outcome']) => cases.filter((c) => c.outcome === o).length;
    return { xml: `  <testsuite name="${xmlEscape(`ledger-bench scale: ${variant}`)}" tests="${cases.length}" failures="${count('failure')}" skipped="${count('skipped')}" errors="0">\n${cases.map((c) => c.xml).join('\n')}\n  </testsuite>`, cases };
  });
  const all = suites.flatMap((s) => s.cases);
  const n = (o: Case['outcome']) => all.filter((c) => c.outcome === o).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="ledger-bench scale" tests="${all.length}" failures="${n('failure')}" skipped="${n('skipped')}" errors="0">\n${suites.map((s) => s.xml).join('\n')}\n</testsuites>\n`;
}
