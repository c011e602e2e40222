import { describe, expect, it } from 'vitest';
import { addDays, businessDaysBetween, dateToMs, daysUntil, isValidIsoDate } from '../../../domain/dates.js';

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
