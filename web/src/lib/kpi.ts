/** KPI report pieces shaped for charts and their text alternatives. Pure. */

/** The last `n` whole calendar months before and including `today`'s month, oldest first, as date ranges. */
export function lastMonths(today: string, n: number): { label: string; from: string; to: string }[] {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const out: { label: string; from: string; to: string }[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const first = new Date(Date.UTC(y, m - 1 - i, 1));
    const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    const to = i === 0 ? today : iso(last);
    out.push({
      label: first.toLocaleDateString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' }),
      from: iso(first),
      to,
    });
  }
  return out;
}

/** A rate as a percentage for a chart axis (null stays null: a gap, not a zero). */
export function pct(rate: number | null | undefined): number | null {
  return rate == null ? null : Math.round(rate * 1000) / 10;
}

/** Dollars (not cents) for a chart axis. */
export function dollars(cents: number): number {
  return Math.round(cents) / 100;
}
