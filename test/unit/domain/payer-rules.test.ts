import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, validateRules } from '../../../domain/payer-rules.js';

describe('payer rules', () => {
  it('the seeded defaults are valid for every payer type', () => {
    for (const rules of Object.values(DEFAULT_RULES)) expect(validateRules(rules)).toBeUndefined();
  });

  it('collections earlier than 120 days after the first statement are refused (IRS 501(r))', () => {
    expect(validateRules({ ...DEFAULT_RULES.COMMERCIAL, collectionsAfterDays: 90 })).toEqual({
      field: 'collectionsAfterDays',
      message: 'must be at least 120 (IRS 501(r))',
    });
  });

  it('Medicare redetermination is 120 days and commercial first-level appeals 180 days', () => {
    expect(DEFAULT_RULES.MEDICARE.appealWindowDays[0]).toBe(120);
    expect(DEFAULT_RULES.COMMERCIAL.appealWindowDays[0]).toBe(180);
  });
});
