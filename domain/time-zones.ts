/**
 * Dates on a practice's wall calendar and the instants they end, in its IANA time zone, with `Intl` only
 * (the tz database that ships with the runtime; no package and no fixed offsets). A deadline is the end
 * of its date where the practice works: 23:59:59.999 local, which is 03:59:59.999Z or 04:59:59.999Z in
 * New York depending on daylight saving time (docs/deadline-rules.md).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows `timeZone` as an IANA zone name (e.g. `America/New_York`). */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone === '' || timeZone.length > 64) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The `YYYY-MM-DD` date on the wall calendar of `timeZone` at instant `atMs`. */
export function localDateOf(atMs: number, timeZone: string): string {
  let year = '';
  let month = '';
  let day = '';
  for (const part of formatter(timeZone).formatToParts(new Date(atMs))) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year.padStart(4, '0')}-${month}-${day}`;
}

const HOUR_MS = 3_600_000;

/**
 * The last millisecond of `date` in `timeZone` (23:59:59.999 local on an ordinary day), as epoch ms.
 * Found as the instant before the local date first turns over, so it is right on days that are 23 or 25
 * hours long and in zones whose clocks jump at midnight. `date` must be a `YYYY-MM-DD` calendar date.
 */
export function endOfDayIn(date: string, timeZone: string): number {
  const next = Date.parse(`${date}T00:00:00Z`) + 24 * HOUR_MS;
  if (Number.isNaN(next)) throw new RangeError(`"${date}" is not a YYYY-MM-DD date`);
  // UTC offsets lie within -12 h and +14 h, so local midnight of the next day is inside this bracket.
  let before = next - 15 * HOUR_MS;
  let after = next + 13 * HOUR_MS;
  // Fast path: the offset at the guess usually is the offset at local midnight.
  const guess = next - offsetAt(next, timeZone);
  if (localDateOf(guess - 1, timeZone) <= date && localDateOf(guess, timeZone) > date) return guess - 1;
  while (after - before > 1) {
    const mid = before + Math.floor((after - before) / 2);
    if (localDateOf(mid, timeZone) > date) after = mid;
    else before = mid;
  }
  return before;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset at `atMs`, in ms (negative west of Greenwich). */
export function offsetAt(atMs: number, timeZone: string): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormatters.set(timeZone, f);
  }
  const v: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(atMs))) {
    if (part.type !== 'literal') v[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    v.year ?? 1970,
    (v.month ?? 1) - 1,
    v.day ?? 1,
    v.hour ?? 0,
    v.minute ?? 0,
    v.second ?? 0,
  );
  const whole = atMs - (((atMs % 1000) + 1000) % 1000);
  return wall - whole;
}
