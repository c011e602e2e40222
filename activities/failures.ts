/**
 * How activity errors become Temporal failures: the failure type names come from domain/failures.ts
 * (the workflow and the API match on the same constants), and payer errors carry the retry decision
 * their cause calls for.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../domain/failures.js';
import { PayerGatewayError } from './payer/gateway.js';

/** Maps a payer gateway error onto Temporal's retry semantics; any other error is returned as is. */
export function toActivityFailure(err: unknown): unknown {
  if (!(err instanceof PayerGatewayError)) return err;
  if (err.kind === 'rejected')
    return ApplicationFailure.nonRetryable(err.message, FailureType.PayerRejected, { status: err.status });
  if (err.kind === 'rate_limited') {
    return ApplicationFailure.create({
      message: err.message,
      type: FailureType.PayerRateLimited,
      nextRetryDelay: err.retryAfterMs ?? 1_000,
    });
  }
  return ApplicationFailure.retryable(err.message, FailureType.PayerUnavailable);
}

/** Runs a payer call, turning its errors into retry decisions. */
export async function callPayer<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toActivityFailure(err);
  }
}

/** The claim row a workflow names is gone: retrying cannot bring it back. */
export function claimNotFound(claimUuid: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`claim ${claimUuid} not found`, FailureType.ClaimNotFound);
}

/** The claim's payer is not in the payer table. */
export function unknownPayer(payerId: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`unknown payer ${payerId}`, FailureType.UnknownPayer);
}

/** A correction the claim's rows cannot take (for example a line it does not have). */
export function invalidCorrection(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, FailureType.InvalidCorrection);
}

/** A webhook receiver did not answer 2xx: retried by the notify activity's policy. */
export function webhookFailed(err: unknown): ApplicationFailure {
  return ApplicationFailure.retryable(`webhook delivery failed: ${String(err)}`, FailureType.WebhookFailed);
}
