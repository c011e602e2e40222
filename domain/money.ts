/**
 * Money is always integer cents. X12 and JSON decimal strings are parsed exactly (string arithmetic),
 * never through floating point, so "1234.56" is 123456 cents and never 123455.99999.
 */
export type Cents = number;

/** Thrown for a value that is not an exact decimal amount with at most two fraction digits. */
export class MoneyFormatError extends Error {
  readonly type = 'invalid_amount';
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

/**
 * Parses an X12/JSON decimal amount ("100", "-12.5", ".75", "1234.56") into integer cents.
 * Refuses more than two significant fraction digits rather than rounding money silently.
 */
export function parseCents(text: string): Cents {
  const m = DECIMAL.exec(text.trim());
  if (!m || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) {
    throw new MoneyFormatError(`"${text}" is not a decimal amount`);
  }
  const sign = m[1] === '-' ? -1 : 1;
  const whole = m[2] === '' || m[2] === undefined ? '0' : m[2];
  let frac = m[3] ?? '';
  // Trailing zeros beyond cents are harmless ("12.500"); other digits would be lost precision.
  frac = frac.replace(/0+$/, '');
  if (frac.length > 2) throw new MoneyFormatError(`"${text}" has more than two decimal places`);
  const cents = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) throw new MoneyFormatError(`"${text}" is out of range`);
  return sign * cents === 0 ? 0 : sign * cents;
}

/** Formats cents as an X12 decimal amount: no trailing zeros beyond what is needed ("100", "12.5", "0.07"). */
export function formatX12Amount(cents: Cents): string {
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const whole = Math.trunc(abs / 100);
  const frac = abs % 100;
  let s = String(whole);
  if (frac !== 0) s += `.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
  return neg ? `-${s}` : s;
}

/** Formats cents for people: "$1,234.56". */
export function formatUsd(cents: Cents): string {
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const whole = Math.trunc(abs / 100).toLocaleString('en-US');
  return `${neg ? '-' : ''}$${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** Sums cents; exists so call sites read as money arithmetic. */
export function sumCents(values: readonly Cents[]): Cents {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
