/**
 * Analysis time of plans with many InitPlans (100 to 1,500), against the
 * same number of nodes as ordinary children of an Append (nothing to
 * resolve) measured in the same run. A ratio near 1 at every size means
 * resolving InitPlans adds nothing that grows with the plan; the ms per
 * 1,000 nodes staying flat as the plan grows means analysis is linear.
 * Figures are reported, not asserted.
 */
import { analysePlan, enrichPlan, parseExplain } from '../src/core/plan';
import { fmt, median, percentile, timeSync } from './stats';
import { initPlanPlan } from './synthetic-initplans';

const SIZES = [100, 400, 800, 1500];


function main(): void {
  console.log(`analysePlan (parse, enrich, tips, view model, text) on Node ${process.version}, after 3 warm-up runs`);
  for (const n of SIZES) {
    const runs = n >= 800 ? 10 : 20;
    const json = JSON.stringify(initPlanPlan(n));
    const baseJson = JSON.stringify(initPlanPlan(n, true));
    const analysed = analysePlan(json);
    // The plan must be resolved as PostgreSQL ran it: every InitPlan inside the scan that reads it.
    if (analysed.plan.nodes.slice(1).some((node) => node.timeParentId !== 0)) throw new Error('an InitPlan was attributed to the wrong node');
    const withInitPlans = timeSync(runs, () => analysePlan(json));
    const baseline = timeSync(runs, () => analysePlan(baseJson));
    const enrichOnly = timeSync(runs, () => enrichPlan(parseExplain(json)));
    const perThousand = (median(withInitPlans) / (n + 1)) * 1000;
    console.log(
      `${String(n).padStart(5)} InitPlans (${(json.length / 1024).toFixed(0)} kB)` +
      `  analyse median ${fmt(median(withInitPlans)).padStart(9)}  p95 ${fmt(percentile(withInitPlans, 95)).padStart(9)}` +
      `  parse+enrich ${fmt(median(enrichOnly)).padStart(9)}` +
      `  baseline (Append) ${fmt(median(baseline)).padStart(9)}  ratio ${(median(withInitPlans) / median(baseline)).toFixed(2)}` +
      `  ${perThousand.toFixed(1)} ms per 1,000 nodes`,
    );
  }
}

main();
