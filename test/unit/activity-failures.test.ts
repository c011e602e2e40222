import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { toActivityFailure } from '../../activities/failures.js';
import { PayerGatewayError } from '../../activities/payer/gateway.js';

describe('payer errors become Temporal retry decisions', () => {
  it('a payer 4xx is non-retryable and carries the payer message', () => {
    const f = toActivityFailure(
      new PayerGatewayError('memberId is invalid', 'rejected', 422),
    ) as ApplicationFailure;
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f).toMatchObject({ nonRetryable: true, type: 'PayerRejected', message: 'memberId is invalid' });
  });

  it('a 429 is retried after the Retry-After delay the payer asked for', () => {
    const f = toActivityFailure(
      new PayerGatewayError('slow down', 'rate_limited', 429, 7_000),
    ) as ApplicationFailure;
    expect(f).toMatchObject({ nonRetryable: false, type: 'PayerRateLimited', nextRetryDelay: 7_000 });
  });

  it('5xx, timeouts and connection errors are retried with the activity backoff', () => {
    const f = toActivityFailure(new PayerGatewayError('503', 'retryable', 503)) as ApplicationFailure;
    expect(f).toMatchObject({ nonRetryable: false, type: 'PayerUnavailable' });
    expect(f.nextRetryDelay).toBeUndefined();
  });

  it('anything that is not a payer error passes through unchanged', () => {
    const err = new Error('database down');
    expect(toActivityFailure(err)).toBe(err);
  });
});
