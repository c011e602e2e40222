/**
 * Work-queue priority of a claim waiting for a biller: amount at stake x recoverability / days to the
 * deadline (docs/carc-rarc.md). Higher is more urgent. A past deadline counts as one day so it stays on top.
 */
import { type DenialCategory, ruleFor } from './carc.js';
import type { Cents } from './money.js';

export function denialPriority(input: {
  amountCents: Cents;
  category: DenialCategory;
  daysToDeadline: number | undefined;
}): number {
  const dollars = Math.max(0, input.amountCents) / 100;
  const days = input.daysToDeadline === undefined ? 90 : Math.max(1, input.daysToDeadline);
  return Math.round((dollars * ruleFor(input.category).recoverability * 100) / days);
}
