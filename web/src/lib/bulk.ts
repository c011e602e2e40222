/**
 * Bulk actions over many claims: each claim is still its own validated decision (one API call), a few
 * at a time, and the result lists every claim with what happened, refusals with their reason.
 */
export interface BulkResult {
  claimId: string;
  label: string;
  ok: boolean;
  detail: string;
}

/** Runs `action` for every item with at most `concurrency` in flight; never throws, reports each. */
export async function runBulk<T>(
  items: readonly T[],
  action: (item: T) => Promise<{ ok: boolean; detail: string }>,
  describe: (item: T) => { claimId: string; label: string },
  concurrency = 3,
): Promise<BulkResult[]> {
  const results: BulkResult[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as T;
      const who = describe(item);
      try {
        const r = await action(item);
        results[index] = { ...who, ...r };
      } catch (err) {
        results[index] = { ...who, ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

/** Claims whose open balance is positive and at most `maxCents`: the only ones a small-balance write-off takes. */
export function smallBalances<T extends { openBalanceCents: number }>(
  items: readonly T[],
  maxCents: number,
): T[] {
  return items.filter((i) => i.openBalanceCents > 0 && i.openBalanceCents <= maxCents);
}

export function bulkSummary(results: readonly BulkResult[]): string {
  const done = results.filter((r) => r.ok).length;
  const refused = results.length - done;
  return `${done} done, ${refused} refused`;
}
