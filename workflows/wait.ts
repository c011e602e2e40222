import { condition } from '@temporalio/workflow';

/**
 * `condition` with a boolean answer in both forms: true when `predicate` became true, false when the
 * timeout elapsed first. (`condition(fn)` without a timeout resolves to `undefined`, which a main loop
 * must not mistake for a fired timer.)
 */
export async function waitFor(predicate: () => boolean, timeoutMs: number | undefined): Promise<boolean> {
  if (timeoutMs === undefined) {
    await condition(predicate);
    return true;
  }
  return condition(predicate, timeoutMs);
}
