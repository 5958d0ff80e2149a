/** Every tip rule, in the order their docs list them. */
import { diskSpill } from './disk-spill';
import { fkTrigger } from './fk-trigger';
import { heapFetches } from './heap-fetches';
import { inefficientIndexScan } from './inefficient-index-scan';
import { jitShare } from './jit-share';
import { largeOffset } from './large-offset';
import { lossyBitmap } from './lossy-bitmap';
import { nestedLoopMisestimate } from './nested-loop-misestimate';
import { readEfficiency } from './read-efficiency';
import { rowMisestimate } from './row-misestimate';
import { seqScanFilter } from './seq-scan-filter';
import { slowNode } from './slow-node';
import { staleStatistics } from './stale-statistics';
import type { TipRule } from './types';
import { workersNotLaunched } from './workers-not-launched';

export const TIP_RULES: readonly TipRule[] = [
  rowMisestimate,
  slowNode,
  seqScanFilter,
  inefficientIndexScan,
  diskSpill,
  lossyBitmap,
  heapFetches,
  readEfficiency,
  jitShare,
  workersNotLaunched,
  largeOffset,
  nestedLoopMisestimate,
  fkTrigger,
  staleStatistics,
];

export type { ForeignKey, IndexCandidate, PlanContext, Severity, TableStats, Tip, TipAction, TipRule } from './types';
