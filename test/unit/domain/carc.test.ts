import { describe, expect, it } from 'vitest';
import { categoryOf, countsTowardDenialRate, isExpectedAdjustment, ruleFor } from '../../../domain/carc.js';

describe('denial categories (docs/carc-rarc.md)', () => {
  it.each([
    ['27', 'ELIGIBILITY'],
    ['22', 'COORDINATION_OF_BENEFITS'],
    ['197', 'AUTHORIZATION'],
    ['11', 'CODING'],
    ['97', 'BUNDLING'],
    ['50', 'MEDICAL_NECESSITY'],
    ['16', 'MISSING_INFORMATION'],
    ['29', 'TIMELY_FILING'],
    ['18', 'DUPLICATE'],
    ['96', 'NON_COVERED'],
    ['B7', 'CREDENTIALING'],
    ['ZZ9', 'OTHER'],
  ])('CARC %s is %s', (carc, category) => {
    expect(categoryOf(carc)).toBe(category);
  });

  it('duplicates are never appealable and are excluded from denial-rate KPIs', () => {
    expect(ruleFor('DUPLICATE').appealable).toBe(false);
    expect(countsTowardDenialRate('DUPLICATE')).toBe(false);
    expect(countsTowardDenialRate('CODING')).toBe(true);
  });

  it('CO-45, CO-253, PR-1/2/3 and OA-23 are not denials', () => {
    for (const [g, c] of [
      ['CO', '45'],
      ['CO', '253'],
      ['PR', '1'],
      ['PR', '2'],
      ['PR', '3'],
      ['OA', '23'],
    ] as const) {
      expect(isExpectedAdjustment(g, c)).toBe(true);
    }
    expect(isExpectedAdjustment('CO', '50')).toBe(false);
  });
});
