import { describe, expect, it } from 'vitest';
import {
  appealDeadlineFor,
  appealNoticeWindow,
  deadlineFieldsError,
  timelyFilingDeadlineFor,
  timeZoneError,
} from '../../../domain/deadline-rules.js';

const legacy = { appealWindowDays: [120, 180], receiptPresumptionDays: 5, timelyFilingDays: 365 };

describe('payer rule deadline fields', () => {
  it('a rule without appealWindow keeps its old meaning: days from presumed receipt', () => {
    expect(appealNoticeWindow(legacy, 1)).toEqual({
      period: { length: 120, unit: 'days' },
      from: 'receipt',
      receiptPresumptionDays: 5,
    });
    expect(appealNoticeWindow(legacy, 3)).toBeUndefined();
  });

  it('a commercial rule counting from the remittance gets no presumption', () => {
    const rules = {
      ...legacy,
      appealWindowDays: [180],
      appealWindow: { from: 'remittance' as const, receiptPresumptionDays: 5, unit: 'days' as const },
    };
    expect(
      appealDeadlineFor({ rules, level: 1, noticeDate: '2025-03-15', timeZone: 'America/New_York' }),
    ).toMatchObject({
      date: '2025-09-11',
      countedFrom: { basis: 'remittance', date: '2025-03-15' },
    });
  });

  it('windows in months and timely filing in years', () => {
    const rules = {
      ...legacy,
      appealWindowDays: [6],
      appealWindow: { from: 'remittance' as const, receiptPresumptionDays: 0, unit: 'months' as const },
      timelyFiling: { length: 1, unit: 'years' as const },
    };
    expect(appealDeadlineFor({ rules, level: 1, noticeDate: '2025-08-31', timeZone: 'UTC' })?.date).toBe(
      '2026-02-28',
    );
    expect(timelyFilingDeadlineFor({ rules, dateOfService: '2027-03-01', timeZone: 'UTC' }).date).toBe(
      '2028-03-01',
    );
    expect(
      timelyFilingDeadlineFor({ rules: legacy, dateOfService: '2027-03-01', timeZone: 'UTC' }).date,
    ).toBe('2028-02-29');
  });

  it('validates the fields and the time zone', () => {
    expect(
      deadlineFieldsError({
        ...legacy,
        appealWindow: { from: 'receipt', receiptPresumptionDays: -1, unit: 'days' },
      }),
    ).toMatchObject({ field: 'appealWindow.receiptPresumptionDays' });
    expect(deadlineFieldsError({ ...legacy, timelyFiling: { length: 0, unit: 'years' } })).toMatchObject({
      field: 'timelyFiling',
    });
    expect(deadlineFieldsError(legacy)).toBeUndefined();
    expect(timeZoneError('America/Chicago')).toBeUndefined();
    expect(timeZoneError('Central')).toMatch(/IANA/);
  });
});
