/**
 * CSV cells for every CSV the API answers (exports, the cost-to-collect report): RFC 4180 quoting, and
 * text a spreadsheet would run as a formula neutralised (db/reports/exports.ts `neutraliseFormula`).
 */
import { neutraliseFormula } from '../db/reports/exports.js';

/** A cell value as text: timestamps ISO, arrays and objects as JSON, null empty. */
function plain(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return value as string | number | boolean;
}

/**
 * RFC 4180 field: quoted when it holds a comma, quote or line break; quotes doubled. Text that a
 * spreadsheet would run as a formula is neutralised first; numbers and booleans are written as they are.
 */
export function csvField(value: unknown): string {
  const v = plain(value);
  if (v === null) return '';
  const text = typeof v === 'string' ? neutraliseFormula(v) : String(v);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
