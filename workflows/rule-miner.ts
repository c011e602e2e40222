/**
 * Mines the practices' first adjudications for claim-rule proposals (docs/claim-rules.md). Started by
 * the Temporal Schedule `rule-miner-<taskQueue>` (daily) and on demand; one activity does the work, and
 * it only refreshes proposals, so two runs never conflict.
 */
import type { MinerThresholds } from '../domain/claim-scrubber.js';
import { miner } from './activities.js';

export interface RuleMinerInput {
  practiceIds?: string[];
  thresholds?: Partial<MinerThresholds>;
}

export async function ruleMinerWorkflow(
  input: RuleMinerInput = {},
): Promise<{ practices: number; proposals: number }> {
  return miner.mineClaimRules(input);
}
