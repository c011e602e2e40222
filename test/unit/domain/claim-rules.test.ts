import { describe, expect, it } from 'vitest';
import { isResubmitAction, timelyFilingMatters } from '../../../domain/claim-rules.js';

describe('claim rules', () => {
  it('corrections and rebills are resubmit actions; appeals and reviews are not', () => {
    expect(isResubmitAction('CORRECT_AND_RESUBMIT')).toBe(true);
    expect(isResubmitAction('READ_REMARK_AND_RESUBMIT')).toBe(true);
    expect(isResubmitAction('VERIFY_ELIGIBILITY_AND_REBILL')).toBe(true);
    expect(isResubmitAction('FIX_ENROLLMENT_AND_REBILL')).toBe(true);
    expect(isResubmitAction('BILL_CORRECT_PAYER')).toBe(true);
    expect(isResubmitAction('APPEAL_WITH_RECORDS')).toBe(false);
    expect(isResubmitAction('REVIEW')).toBe(false);
  });

  it('timely filing binds while the claim is submitted or waits for its correction', () => {
    expect(timelyFilingMatters('SUBMITTING', undefined)).toBe(true);
    expect(timelyFilingMatters('NEEDS_CORRECTION', undefined)).toBe(true);
  });

  it('in review, timely filing binds only when the remedy is a resubmission', () => {
    expect(timelyFilingMatters('NEEDS_REVIEW', { action: 'CORRECT_AND_RESUBMIT' })).toBe(true);
    expect(timelyFilingMatters('NEEDS_REVIEW', { action: 'APPEAL_WITH_RECORDS' })).toBe(false);
    expect(timelyFilingMatters('NEEDS_REVIEW', undefined)).toBe(false);
  });

  it('once the payer has the claim, timely filing no longer binds', () => {
    for (const s of ['AWAITING_ADJUDICATION', 'APPEALING', 'PATIENT_BALANCE', 'PAID'] as const) {
      expect(timelyFilingMatters(s, { action: 'CORRECT_AND_RESUBMIT' })).toBe(false);
    }
  });
});
