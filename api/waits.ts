/**
 * Bounded waits on Temporal. A decision waits on its workflow, and the workflow may be waiting on the
 * payer (filing an appeal calls the payer inside the update, retried through an outage); an ERA upload
 * waits on posting. An HTTP request must not hang for as long as that takes: after the wait it answers
 * 202 (the work is durable in Temporal and finishes on its own) and the client looks at the claim later.
 */
import type { Client } from '@temporalio/client';

/** How long requests wait on Temporal before answering 202. */
export interface Waits {
  /** A decision update: acceptance and completion together. */
  decisionMs: number;
  /** An uploaded ERA file's posting workflow. */
  eraIngestMs: number;
}

export const DEFAULT_WAITS: Waits = { decisionMs: 20_000, eraIngestMs: 30_000 };

export const TIMED_OUT = Symbol('timed out');

/**
 * Runs `fn` (Temporal client calls) for at most `ms`; the calls still in flight are cancelled, so nothing
 * keeps polling after the request has answered.
 */
export async function waitAtMost<T>(
  client: Client,
  ms: number,
  fn: () => Promise<T>,
): Promise<T | typeof TIMED_OUT> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), Math.max(0, ms));
  try {
    return await client.withAbortSignal(abort.signal, fn);
  } catch (err) {
    if (abort.signal.aborted) return TIMED_OUT;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
