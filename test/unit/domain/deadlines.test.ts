import { describe, expect, it } from 'vitest';
import { addCalendarMonths, addCalendarYears, weekday } from '../../../domain/calendar.js';
import {
  type Deadline,
  describeCountedFrom,
  firstActionTarget,
  isPast,
  medicareCorrectionRoute,
  type NoticeWindow,
  noticeWindowDeadline,
  type Period,
  reopeningDeadline,
  timelyFilingDeadline,
} from '../../../domain/deadlines.js';
import {
  addBusinessDays,
  businessDaysBetween,
  federalHolidays,
  isFederalHoliday,
  observedFederalHolidaysBetween,
} from '../../../domain/holidays.js';
import { endOfDayIn, isValidTimeZone, localDateOf } from '../../../domain/time-zones.js';

const NY = 'America/New_York';
const LA = 'America/Los_Angeles';

const days = (length: number): Period => ({ length, unit: 'days' });
const months = (length: number): Period => ({ length, unit: 'months' });
const years = (length: number): Period => ({ length, unit: 'years' });
const businessDays = (length: number): Period => ({ length, unit: 'businessDays' });
const fromRemittance = (period: Period): NoticeWindow => ({
  period,
  from: 'remittance',
  receiptPresumptionDays: 5,
});
const fromReceipt = (period: Period, presumption = 5): NoticeWindow => ({
  period,
  from: 'receipt',
  receiptPresumptionDays: presumption,
});

interface Case {
  name: string;
  deadline: () => Deadline;
  /** The last date still in time, computed by hand. */
  date: string;
  /** The first late instant (00:00:00.000 local the day after), computed by hand in UTC. */
  lateFrom: string;
}

/**
 * Every expected value below was counted on a calendar by hand, not by the code under test. Offsets:
 * New York EST -05:00 / EDT -04:00, Los Angeles PST -08:00 / PDT -07:00; DST 2025-03-09..11-02,
 * 2026-03-08..11-01, 2028-03-12..11-05.
 */
const CASES: Case[] = [
  {
    name: 'Medicare redetermination: 120 days from receipt presumed 5 days after the ERA of 2025-03-15',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2025-03-15', window: fromReceipt(days(120)), timeZone: NY }),
    date: '2025-07-18',
    lateFrom: '2025-07-19T04:00:00.000Z',
  },
  {
    name: 'commercial 180 days from the remittance date gets no receipt presumption',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2025-03-15', window: fromRemittance(days(180)), timeZone: NY }),
    date: '2025-09-11',
    lateFrom: '2025-09-12T04:00:00.000Z',
  },
  {
    name: 'Medicare Advantage 60 days from the remittance of 2025-06-30',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2025-06-30', window: fromRemittance(days(60)), timeZone: NY }),
    date: '2025-08-29',
    lateFrom: '2025-08-30T04:00:00.000Z',
  },
  {
    name: 'the same 60-day window counted from receipt ends 5 days later',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2025-06-30', window: fromReceipt(days(60)), timeZone: NY }),
    date: '2025-09-03',
    lateFrom: '2025-09-04T04:00:00.000Z',
  },
  {
    name: 'Medicare reconsideration 180 days from receipt of the 2026-01-10 decision, Los Angeles',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2026-01-10', window: fromReceipt(days(180)), timeZone: LA }),
    date: '2026-07-14',
    lateFrom: '2026-07-15T07:00:00.000Z',
  },
  {
    name: 'Medicare timely filing is one calendar year after the date of service, not 365 days (2027-03-01)',
    deadline: () => timelyFilingDeadline({ dateOfService: '2027-03-01', limit: years(1), timeZone: NY }),
    date: '2028-03-01',
    lateFrom: '2028-03-02T05:00:00.000Z',
  },
  {
    name: '365 days after 2027-03-01 is 29 February 2028',
    deadline: () => timelyFilingDeadline({ dateOfService: '2027-03-01', limit: days(365), timeZone: NY }),
    date: '2028-02-29',
    lateFrom: '2028-03-01T05:00:00.000Z',
  },
  {
    name: 'one year after 29 February 2028 is 28 February 2029',
    deadline: () => timelyFilingDeadline({ dateOfService: '2028-02-29', limit: years(1), timeZone: NY }),
    date: '2029-02-28',
    lateFrom: '2029-03-01T05:00:00.000Z',
  },
  {
    name: 'timely filing for a 31 December service ends on 31 December, in Los Angeles',
    deadline: () => timelyFilingDeadline({ dateOfService: '2025-12-31', limit: years(1), timeZone: LA }),
    date: '2026-12-31',
    lateFrom: '2027-01-01T08:00:00.000Z',
  },
  {
    name: '31 January + 1 month = 28 February in a common year (Los Angeles)',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2025-01-31', window: fromRemittance(months(1)), timeZone: LA }),
    date: '2025-02-28',
    lateFrom: '2025-03-01T08:00:00.000Z',
  },
  {
    name: '31 January 2028 + 1 month = 29 February 2028',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2028-01-31', window: fromRemittance(months(1)), timeZone: LA }),
    date: '2028-02-29',
    lateFrom: '2028-03-01T08:00:00.000Z',
  },
  {
    name: '31 December 2023 + 2 months = 29 February 2024',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2023-12-31', window: fromRemittance(months(2)), timeZone: NY }),
    date: '2024-02-29',
    lateFrom: '2024-03-01T05:00:00.000Z',
  },
  {
    name: '31 August + 1 month = 30 September',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2025-08-31', window: fromRemittance(months(1)), timeZone: NY }),
    date: '2025-09-30',
    lateFrom: '2025-10-01T04:00:00.000Z',
  },
  {
    name: '31 May + 6 months = 30 November, after the clocks fell back (EST)',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2025-05-31', window: fromRemittance(months(6)), timeZone: NY }),
    date: '2025-11-30',
    lateFrom: '2025-12-01T05:00:00.000Z',
  },
  {
    name: 'a 90-day window ending on 31 December ends in the next UTC year',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2025-10-02', window: fromRemittance(days(90)), timeZone: NY }),
    date: '2025-12-31',
    lateFrom: '2026-01-01T05:00:00.000Z',
  },
  {
    name: 'a 60-day window crossing the year end',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2025-11-15', window: fromRemittance(days(60)), timeZone: NY }),
    date: '2026-01-14',
    lateFrom: '2026-01-15T05:00:00.000Z',
  },
  {
    name: 'New York, the day before clocks spring forward (EST all day)',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2025-01-07', window: fromRemittance(days(60)), timeZone: NY }),
    date: '2025-03-08',
    lateFrom: '2025-03-09T05:00:00.000Z',
  },
  {
    name: 'New York, the 23-hour spring-forward day ends at 23:59:59.999 EDT',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2025-01-08', window: fromRemittance(days(60)), timeZone: NY }),
    date: '2025-03-09',
    lateFrom: '2025-03-10T04:00:00.000Z',
  },
  {
    name: 'New York, the day before clocks fall back (EDT)',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2025-05-05', window: fromRemittance(days(180)), timeZone: NY }),
    date: '2025-11-01',
    lateFrom: '2025-11-02T04:00:00.000Z',
  },
  {
    name: 'New York, the 25-hour fall-back day ends at 23:59:59.999 EST',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2025-05-06', window: fromRemittance(days(180)), timeZone: NY }),
    date: '2025-11-02',
    lateFrom: '2025-11-03T05:00:00.000Z',
  },
  {
    name: 'Los Angeles, the spring-forward day ends at 23:59:59.999 PDT',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2026-01-07', window: fromRemittance(days(60)), timeZone: LA }),
    date: '2026-03-08',
    lateFrom: '2026-03-09T07:00:00.000Z',
  },
  {
    name: 'Los Angeles, the day before clocks fall back (PDT)',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2026-05-31', window: fromRemittance(months(5)), timeZone: LA }),
    date: '2026-10-31',
    lateFrom: '2026-11-01T07:00:00.000Z',
  },
  {
    name: 'Los Angeles, the fall-back day ends at 23:59:59.999 PST',
    deadline: () =>
      noticeWindowDeadline({ noticeDate: '2026-05-01', window: fromRemittance(months(6)), timeZone: LA }),
    date: '2026-11-01',
    lateFrom: '2026-11-02T08:00:00.000Z',
  },
  {
    name: 'Medicare reopening: one year from the initial determination',
    deadline: () => reopeningDeadline({ initialDeterminationDate: '2025-04-10', timeZone: NY }),
    date: '2026-04-10',
    lateFrom: '2026-04-11T04:00:00.000Z',
  },
  {
    name: 'Medicare reopening from 29 February 2028 ends 28 February 2029',
    deadline: () => reopeningDeadline({ initialDeterminationDate: '2028-02-29', timeZone: LA }),
    date: '2029-02-28',
    lateFrom: '2029-03-01T08:00:00.000Z',
  },
  {
    name: '10 business days from Friday 2025-06-13 skip Juneteenth (Thursday 06-19)',
    deadline: () => firstActionTarget({ denialDate: '2025-06-13', timeZone: NY }),
    date: '2025-06-30',
    lateFrom: '2025-07-01T04:00:00.000Z',
  },
  {
    name: '10 business days from 2026-06-26 skip Independence Day observed on Friday 07-03',
    deadline: () => firstActionTarget({ denialDate: '2026-06-26', timeZone: LA }),
    date: '2026-07-13',
    lateFrom: '2026-07-14T07:00:00.000Z',
  },
  {
    name: '10 business days from 2027-12-17 skip Christmas and New Year observed on Fridays 12-24 and 12-31',
    deadline: () => firstActionTarget({ denialDate: '2027-12-17', timeZone: NY }),
    date: '2028-01-04',
    lateFrom: '2028-01-05T05:00:00.000Z',
  },
  {
    name: 'a 5-business-day payer window skips Thanksgiving, not the Friday after',
    deadline: () =>
      noticeWindowDeadline({
        noticeDate: '2025-11-24',
        window: fromRemittance(businessDays(5)),
        timeZone: NY,
      }),
    date: '2025-12-02',
    lateFrom: '2025-12-03T05:00:00.000Z',
  },
];

describe('deadlines to the day, ending at the end of their date in the practice time zone', () => {
  it('has at least 25 hand-computed cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES)('$name', ({ deadline, date, lateFrom }) => {
    const d = deadline();
    expect(d.date).toBe(date);
    expect(new Date(d.lateFrom).toISOString()).toBe(lateFrom);
    expect(d.endsAt).toBe(Date.parse(lateFrom) - 1);
    // The refusal instant is local midnight of the next day, and the last in-time instant is still the date.
    expect(localDateOf(d.endsAt, d.timeZone)).toBe(date);
    expect(localDateOf(d.lateFrom, d.timeZone)).not.toBe(date);
    expect(isPast(d, d.endsAt)).toBe(false);
    expect(isPast(d, d.lateFrom)).toBe(true);
  });
});

describe('where the clock starts', () => {
  it('a receipt clock says so, with the presumption it applied', () => {
    const d = noticeWindowDeadline({
      noticeDate: '2025-03-15',
      window: fromReceipt(days(120)),
      timeZone: NY,
    });
    expect(d.countedFrom).toEqual({
      basis: 'receipt',
      date: '2025-03-20',
      noticeDate: '2025-03-15',
      presumptionDays: 5,
    });
    expect(describeCountedFrom(d.countedFrom)).toBe(
      'counted from receipt on 2025-03-20 (presumed 5 days after the notice of 2025-03-15)',
    );
  });

  it('a remittance clock ignores receiptPresumptionDays', () => {
    const d = noticeWindowDeadline({
      noticeDate: '2025-03-15',
      window: fromRemittance(days(180)),
      timeZone: NY,
    });
    expect(d.countedFrom).toEqual({ basis: 'remittance', date: '2025-03-15' });
    expect(describeCountedFrom(d.countedFrom)).toBe('counted from the remittance date 2025-03-15');
  });

  it('an appeal filed at 23:00 local on the deadline date is in time, one at 00:01 the next day is late', () => {
    const d = noticeWindowDeadline({
      noticeDate: '2025-03-15',
      window: fromReceipt(days(120)),
      timeZone: NY,
    });
    expect(isPast(d, Date.parse('2025-07-18T23:00:00-04:00'))).toBe(false);
    expect(isPast(d, Date.parse('2025-07-19T00:01:00-04:00'))).toBe(true);
    // The old rule (00:00 UTC at the start of the date) refused at 20:00 New York time the day before.
    expect(isPast(d, Date.parse('2025-07-17T21:00:00-04:00'))).toBe(false);
  });

  it('refuses invalid dates, zones and periods', () => {
    expect(() =>
      timelyFilingDeadline({ dateOfService: '2025-02-29', limit: years(1), timeZone: NY }),
    ).toThrow(RangeError);
    expect(() =>
      timelyFilingDeadline({ dateOfService: '2025-02-01', limit: years(1), timeZone: 'Mars/Base' }),
    ).toThrow(/IANA/);
    expect(() => timelyFilingDeadline({ dateOfService: '2025-02-01', limit: days(0), timeZone: NY })).toThrow(
      /positive/,
    );
    expect(isValidTimeZone(NY)).toBe(true);
    expect(isValidTimeZone('EST5EDT-nonsense')).toBe(false);
  });
});

describe('Medicare corrections after the remittance', () => {
  const reopening = reopeningDeadline({ initialDeterminationDate: '2025-04-10', timeZone: NY });
  const appeal = noticeWindowDeadline({
    noticeDate: '2026-02-01',
    window: fromReceipt(days(120)),
    timeZone: NY,
  });

  it('is a reopening within one year of the initial determination', () => {
    expect(
      medicareCorrectionRoute({ atMs: Date.parse('2026-04-10T23:30:00-04:00'), reopening }),
    ).toMatchObject({
      allowed: true,
      route: 'reopening',
    });
  });

  it('is steered to the appeal after the year while the appeal window is open', () => {
    const route = medicareCorrectionRoute({
      atMs: Date.parse('2026-04-11T00:01:00-04:00'),
      reopening,
      appeal,
    });
    expect(route).toMatchObject({ allowed: false, steerTo: 'appeal' });
    expect(route.allowed === false && route.reason).toBe(
      'the reopening deadline (one year from the initial determination) ended on 2026-04-10 (end of day, America/New_York); file an appeal instead, open until 2026-06-06 (end of day, America/New_York)',
    );
  });

  it('is refused with the deadline once both have passed', () => {
    const route = medicareCorrectionRoute({ atMs: Date.parse('2026-07-01T12:00:00Z'), reopening, appeal });
    expect(route).toEqual({
      allowed: false,
      reason:
        'the reopening deadline (one year from the initial determination) ended on 2026-04-10 (end of day, America/New_York)',
    });
  });
});

describe('US federal holidays, computed with observed days', () => {
  it('computes the 2026 calendar (Independence Day on a Saturday is observed on Friday 07-03)', () => {
    expect(federalHolidays(2026).map((h) => [h.date, h.observed])).toEqual([
      ['2026-01-01', '2026-01-01'],
      ['2026-01-19', '2026-01-19'],
      ['2026-02-16', '2026-02-16'],
      ['2026-05-25', '2026-05-25'],
      ['2026-06-19', '2026-06-19'],
      ['2026-07-04', '2026-07-03'],
      ['2026-09-07', '2026-09-07'],
      ['2026-10-12', '2026-10-12'],
      ['2026-11-11', '2026-11-11'],
      ['2026-11-26', '2026-11-26'],
      ['2026-12-25', '2026-12-25'],
    ]);
  });

  it('observes a Saturday holiday on Friday and a Sunday one on Monday, across the year end', () => {
    expect(isFederalHoliday('2021-12-31')).toBe(true); // New Year's Day 2022 was a Saturday
    expect(isFederalHoliday('2023-01-02')).toBe(true); // New Year's Day 2023 was a Sunday
    expect(isFederalHoliday('2022-06-20')).toBe(true); // Juneteenth 2022 was a Sunday
    expect(isFederalHoliday('2028-11-10')).toBe(true); // Veterans Day 2028 is a Saturday
    expect(isFederalHoliday('2020-06-19')).toBe(false); // before Juneteenth was enacted
    expect(isFederalHoliday('2025-11-28')).toBe(false); // the Friday after Thanksgiving is a workday
  });

  it('counts business days around holidays', () => {
    expect(addBusinessDays('2025-12-24', 1)).toBe('2025-12-26');
    expect(addBusinessDays('2026-01-16', 1)).toBe('2026-01-20'); // MLK day 01-19
    expect(businessDaysBetween('2025-06-13', '2025-06-30')).toBe(10);
    expect(weekday('2025-06-13')).toBe(5);
  });
});

describe('calendar arithmetic and the end of day', () => {
  it('clamps month ends and leap days', () => {
    expect(addCalendarMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addCalendarMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addCalendarMonths('2025-03-31', -1)).toBe('2025-02-28');
    expect(addCalendarMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addCalendarYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addCalendarYears('2024-02-29', 1)).toBe('2025-02-28');
  });

  it('ends a day at 23:59:59.999 local in zones east of UTC too', () => {
    expect(new Date(endOfDayIn('2025-07-01', 'Asia/Kolkata')).toISOString()).toBe('2025-07-01T18:29:59.999Z');
    expect(new Date(endOfDayIn('2025-07-01', 'UTC')).toISOString()).toBe('2025-07-01T23:59:59.999Z');
    expect(new Date(endOfDayIn('2025-07-01', 'Pacific/Honolulu')).toISOString()).toBe(
      '2025-07-02T09:59:59.999Z',
    );
  });
});

describe('observed holidays for database queries', () => {
  it('lists the observed days of a range, including a New Year observed in the year before', () => {
    expect(observedFederalHolidaysBetween('2027-12-01', '2028-01-31')).toEqual([
      '2027-12-24',
      '2027-12-31',
      '2028-01-17',
    ]);
  });
});
