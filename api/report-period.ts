/**
 * The period of a report query (GET /kpis, GET /reports/cost-to-collect): one definition of its
 * defaults and its longest span, so every report answers the same query the same way.
 */
import { isoDate } from '../domain/dates.js';
import { periodDays } from '../domain/kpi.js';
import { checkRanges } from './plugins/guards.js';
import { badRequest } from './plugins/problems.js';
import { DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS } from './schemas/kpis.js';

/**
 * The inclusive period of a report query: `to` defaults to today (UTC), `from` to
 * `DEFAULT_PERIOD_DAYS` before it; a reversed range or one longer than `MAX_PERIOD_DAYS` is a 400.
 */
export function reportPeriod(
  q: { from?: string; to?: string },
  now: Date,
): { from: string; to: string; days: number } {
  const to = q.to ?? isoDate(now);
  const from = q.from ?? isoDate(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_PERIOD_DAYS - 1) * 86_400_000);
  checkRanges({ from, to }, [['from', 'to']]);
  const days = periodDays(from, to);
  if (days > MAX_PERIOD_DAYS) {
    throw badRequest('the period is too long', [
      { field: 'querystring/from', message: `the period may span at most ${MAX_PERIOD_DAYS} days` },
    ]);
  }
  return { from, to, days };
}
