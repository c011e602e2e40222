import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { correctionError } from '../../../domain/corrections.js';
import { addDays, businessDaysBetween, dateToMs, daysUntil, isValidIsoDate } from '../../../domain/dates.js';
import { formatUsd, formatX12Amount, MoneyFormatError, parseCents } from '../../../domain/money.js';
import { DEFAULT_RULES, validateRules } from '../../../domain/payer-rules.js';
import { corrections } from './corrections-cases.js';

describe('money is exact integer cents', () => {
  it.each([
    ['100', 10_000],
    ['12.5', 1_250],
    ['.75', 75],
    ['-0.07', -7],
    ['1234.56', 123_456],
    ['12.500', 1_250],
  ])('parses %s as %d cents', (text, cents) => {
    expect(parseCents(text)).toBe(cents);
  });

  it('refuses what is not an exact amount instead of rounding money', () => {
    for (const bad of ['', '1.234', 'abc', '1e3', '--1', '.'])
      expect(() => parseCents(bad)).toThrow(MoneyFormatError);
  });

  it('formatting to X12 and parsing back is the identity for any cents value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000_00, max: 10_000_000_00 }),
        (c) => parseCents(formatX12Amount(c)) === c,
      ),
    );
  });

  it('formats dollars for people', () => {
    expect(formatUsd(123_456)).toBe('$1,234.56');
    expect(formatUsd(-7)).toBe('-$0.07');
  });
});

describe('calendar arithmetic in UTC', () => {
  it('refuses impossible calendar dates', () => {
    expect(isValidIsoDate('2025-02-29')).toBe(false);
    expect(isValidIsoDate('2024-02-29')).toBe(true);
    expect(isValidIsoDate('2026-13-01')).toBe(false);
  });

  it('an appeal window of 120 days from a decision on 2026-01-10 ends on 2026-05-10', () => {
    expect(new Date(addDays(dateToMs('2026-01-10'), 120)).toISOString().slice(0, 10)).toBe('2026-05-10');
  });

  it('counts days to a deadline and business days', () => {
    expect(daysUntil(dateToMs('2026-11-01'), dateToMs('2026-11-30'))).toBe(29);
    // Mon 2026-11-30 to Mon 2026-12-07: five business days.
    expect(businessDaysBetween(dateToMs('2026-11-30'), dateToMs('2026-12-07'))).toBe(5);
  });
});

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

describe('corrections a biller may send', () => {
  it.each(corrections)('%s', (_name, changes, expected) => {
    expect(correctionError(changes)).toEqual(expected);
  });
});
