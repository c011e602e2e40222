import { describe, expect, it } from 'vitest';
import { initialSearchAttributes } from '../../temporal/claim-client.js';

describe('the claim client’s initial search attributes', () => {
  const start = {
    claim: {
      claimUuid: '7b0c7c1e-0000-4000-8000-000000000001',
      practiceId: 'sunrise-fp',
      claimId: 'C-100',
      patientControlNumber: 'C-100',
      payerId: 'AETNA',
      dateOfService: '2026-11-02',
      totalChargeCents: 25_000,
    },
    status: 'SUBMITTING' as const,
    openBalanceCents: 25_000,
  };

  it('are one set for a new and a reopened run: status, practice, payer, open balance, not escalated', () => {
    const pairs = initialSearchAttributes(start).map((p) => [p.key.name, p.value]);
    expect(Object.fromEntries(pairs)).toEqual({
      ClaimStatus: 'SUBMITTING',
      PracticeId: 'sunrise-fp',
      PayerId: 'AETNA',
      OpenBalanceCents: 25_000,
      Escalated: false,
    });
    const reopened = initialSearchAttributes({ ...start, status: 'PAID', openBalanceCents: 0 });
    expect(reopened.map((p) => p.key.name)).toEqual(pairs.map(([k]) => k));
  });
});

describe('the claim client’s workflow type', () => {
  it('is the name the worker registers claimWorkflow under, so a client never starts a type no worker has', async () => {
    const { claimWorkflow } = await import('../../workflows/claim/index.js');
    const { CLAIM_WORKFLOW_TYPE } = await import('../../workflows/ids.js');
    expect(claimWorkflow.name).toBe(CLAIM_WORKFLOW_TYPE);
  });
});
