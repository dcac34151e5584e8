/** `ledger-bench merge`: one result from the segments several machines (or processes) ran of one schedule. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { defineCommand } from '../command.js';

export const mergeCommand = defineCommand({
  name: 'merge',
  summary: 'merge the result files of one run split with --segment across machines into one result',
  usage: 'merge [options] RESULT.json RESULT.json ...',
  description: `
Several machines share one rate by each running one segment of the same schedule
(\`ledger-bench run ... --segment 1/3\`, \`--segment 2/3\`, \`--segment 3/3\`, started at the
same time with the same options). This command adds their counts and rates and merges
their HDR histograms bucket by bucket, so the merged percentiles are exactly those of one
combined run, never an average of percentiles. The merged result goes to --out and its
summary to stdout.`,
  keys: ['out', 'budgetMs', 'budgets', 'budgetVariants', 'inconclusive', 'json'],
  maxPositionals: 1000,
  examples: ['ledger-bench merge --out reports/merged m1/result-*.json m2/result-*.json m3/result-*.json'],
  async run({ settings: s, sources, positionals, log }) {
    if (positionals.length < 2) throw new UserError('merge needs at least two result files, e.g. `ledger-bench merge a.json b.json`');
    const { resultSchema } = await import('../../result/schema.js');
    const problems: string[] = [];
    const results = positionals.map((file) => {
      try {
        const parsed = resultSchema.safeParse(JSON.parse(readFileSync(resolve(file), 'utf8')));
        if (!parsed.success) problems.push(`${file}: not a ledger-bench result (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
        return parsed.data;
      } catch (err) {
        problems.push(`${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
        return undefined;
      }
    });
    if (problems.length) throw new UserError(problems);
    const parts = results.map((r) => r!);
    // Only parts of one schedule add up: same global rate, distinct segments of one split.
    const rates = new Set(parts.map((r) => r.target.rate));
    if (rates.size > 1) problems.push(`the results have different --rate values (${[...rates].join(', ')}): only segments of one run can be merged`);
    const segs = parts.map((r) => r.target.segment);
    if (segs.some((g) => !g)) problems.push('a result covers its whole schedule (no --segment): there is nothing to merge it with');
    else {
      const counts = new Set(segs.map((g) => g!.count));
      const indexes = segs.map((g) => g!.index);
      if (counts.size > 1) problems.push(`the results split the schedule differently (segment counts ${[...counts].join(', ')})`);
      if (new Set(indexes).size < indexes.length) problems.push('two results ran the same segment');
      else if (counts.size === 1 && indexes.length < [...counts][0]!) log(`note: ${indexes.length} of ${[...counts][0]} segments given; the merged result covers only those`);
    }
    if (problems.length) throw new UserError(problems);
    const { mergeResults } = await import('../../result/merge.js');
    const { writeResultAtomic } = await import('../../result/write.js');
    const { renderRunSummary } = await import('../../report/run-summary.js');
    const { judgeBudgets } = await import('../../budgets/evaluate.js');
    const { effectiveBudgets } = await import('../../budgets/settings.js');
    let merged;
    try {
      merged = mergeResults(parts);
    } catch (err) {
      throw new UserError(`these results cannot be merged: ${(err as Error).message}`);
    }
    const file = await writeResultAtomic(resolve(s.out), merged);
    process.stdout.write(s.json ? JSON.stringify(merged, null, 2) + '\n' : renderRunSummary(merged, judgeBudgets([{ variant: merged.variant ?? 'run', result: merged }], effectiveBudgets(s, sources.budgetMs), s.budgetVariants, s.inconclusive)));
    log(`merged ${results.length} results into ${file}`);
    return 0;
  },
});
