import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUsd, formatX12Amount, MoneyFormatError, parseCents } from '../../../domain/money.js';

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
