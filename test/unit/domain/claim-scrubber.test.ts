import { describe, expect, it } from 'vitest';
import {
  type AdjudicatedLine,
  type ClaimRule,
  mineProposals,
  scrub,
} from '../../../domain/claim-scrubber.js';

const DAY = 86_400_000;
const rule = (over: Partial<ClaimRule>): ClaimRule => ({
  ruleKey: 'r',
  version: 1,
  kind: 'MODIFIER_REQUIRED',
  action: 'HOLD',
  description: '',
  ...over,
});
const claim = {
  payerId: 'ACME',
  diagnosisCodes: ['E11.9'],
  lines: [
    { lineNumber: 1, procedureCode: '99213', modifiers: [] as string[] },
    { lineNumber: 2, procedureCode: '36415', modifiers: [] as string[] },
  ],
  msToTimelyFiling: 40 * DAY,
};

describe('scrub: the claim against the practice’s rules', () => {
  it('a modifier rule finds each line of its procedure without the modifier, for its payer only', () => {
    const r = rule({ payerId: 'ACME', procedureCode: '99213', modifier: '25' });
    expect(scrub(claim, [r])).toEqual([
      { ruleKey: 'r', version: 1, action: 'HOLD', lineNumber: 1, message: 'line 1: 99213 needs modifier 25' },
    ]);
    expect(scrub({ ...claim, payerId: 'OTHER' }, [r])).toEqual([]);
    const fixed = { ...claim, lines: [{ lineNumber: 1, procedureCode: '99213', modifiers: ['25'] }] };
    expect(scrub(fixed, [r])).toEqual([]);
  });

  it('a diagnosis rule needs one claim diagnosis with a listed prefix', () => {
    const r = rule({ kind: 'DIAGNOSIS_REQUIRED', procedureCode: '36415', diagnosisPrefixes: ['Z00', 'E11'] });
    expect(scrub(claim, [r])).toEqual([]);
    expect(scrub({ ...claim, diagnosisCodes: ['J06.9'] }, [r]).map((f) => f.lineNumber)).toEqual([2]);
  });

  it('a timely filing rule fires within its days, and says when the limit has passed', () => {
    const r = rule({ kind: 'TIMELY_FILING_SOON', withinDays: 30, action: 'WARN' });
    expect(scrub(claim, [r])).toEqual([]);
    expect(scrub({ ...claim, msToTimelyFiling: 10 * DAY }, [r])[0]?.message).toBe(
      'the timely filing limit ends in 10 day(s), within 30',
    );
    expect(scrub({ ...claim, msToTimelyFiling: -DAY }, [r])[0]?.message).toBe(
      'the timely filing limit has passed',
    );
  });
});

function lines(n: number, over: Partial<AdjudicatedLine>): AdjudicatedLine[] {
  return Array.from({ length: n }, (_, i) => ({
    claimId: `${over.modifiers?.join('') ?? 'x'}-${over.denied ? 'd' : 'p'}-${i}`,
    payerId: 'ACME',
    procedureCode: '99213',
    modifiers: [],
    chargeCents: 15_000,
    denied: false,
    carcs: [],
    ...over,
  }));
}

describe('mineProposals: rules from our own first adjudications', () => {
  it('proposes the modifier that paid lines carry and denied lines lack, with its evidence', () => {
    const history = [
      ...lines(30, { modifiers: ['25'] }),
      ...lines(24, { denied: true, carcs: ['4'] }),
      ...lines(6, {}),
    ];
    const [p, ...rest] = mineProposals(history, { minLines: 20, minDenialRate: 0.5 });
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      payerId: 'ACME',
      procedureCode: '99213',
      modifier: '25',
      carc: '4',
      deniedLines: 24,
      lines: 30,
      deniedCents: 360_000,
      withModifier: { lines: 30, denied: 0 },
    });
    expect(p?.exampleClaimIds).toHaveLength(5);
  });

  it('proposes nothing below the support or the rate, or when the modifier does not make the difference', () => {
    const few = [...lines(5, { modifiers: ['25'] }), ...lines(10, { denied: true, carcs: ['4'] })];
    expect(mineProposals(few, { minLines: 20, minDenialRate: 0.5 })).toEqual([]);
    const rare = [...lines(30, { modifiers: ['25'] }), ...lines(5, { denied: true }), ...lines(25, {})];
    expect(mineProposals(rare, { minLines: 20, minDenialRate: 0.5 })).toEqual([]);
    // Denied nearly as often with the modifier: the procedure is the problem, not the modifier.
    const both = [
      ...lines(5, { modifiers: ['25'] }),
      ...lines(15, { modifiers: ['25'], denied: true }),
      ...lines(20, { denied: true }),
    ];
    expect(mineProposals(both, { minLines: 20, minDenialRate: 0.5 })).toEqual([]);
  });
});
