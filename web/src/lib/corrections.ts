/**
 * The correct-and-resubmit form's rows as the API's `changes` object: the field names the API accepts
 * (`lines.<index>.procedureCode`, `diagnosisCodes`, ...) with values typed the way it checks them.
 * The API validates again and answers each bad field by name; this only shapes what a person typed.
 */
import { parseDollars } from './format.js';

export type CorrectionField =
  | 'procedureCode'
  | 'modifiers'
  | 'units'
  | 'charge'
  | 'diagnosisCodes'
  | 'billingProviderNpi'
  | 'memberId';

export interface CorrectionRow {
  field: CorrectionField;
  /** Line index (0-based) for line fields. */
  line: number;
  value: string;
}

export const CORRECTION_FIELDS: { field: CorrectionField; label: string; perLine: boolean }[] = [
  { field: 'procedureCode', label: 'Procedure code', perLine: true },
  { field: 'modifiers', label: 'Modifiers (comma-separated)', perLine: true },
  { field: 'units', label: 'Units', perLine: true },
  { field: 'charge', label: 'Charge ($)', perLine: true },
  { field: 'diagnosisCodes', label: 'Diagnosis codes (comma-separated)', perLine: false },
  { field: 'billingProviderNpi', label: 'Billing provider NPI', perLine: false },
  { field: 'memberId', label: 'Member id', perLine: false },
];

const list = (v: string) =>
  v
    .split(/[,\s]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);

/** The API field name and typed value of one row; an error message when the value cannot be typed. */
export function correctionEntry(row: CorrectionRow): { key: string; value: unknown } | { error: string } {
  const v = row.value.trim();
  switch (row.field) {
    case 'procedureCode':
      return { key: `lines.${row.line}.procedureCode`, value: v.toUpperCase() };
    case 'modifiers':
      return { key: `lines.${row.line}.modifiers`, value: list(v) };
    case 'units': {
      if (!/^\d+$/.test(v)) return { error: 'units must be a whole number' };
      return { key: `lines.${row.line}.units`, value: Number(v) };
    }
    case 'charge': {
      const cents = parseDollars(v);
      if (cents === undefined) return { error: 'the charge must be a dollar amount' };
      return { key: `lines.${row.line}.chargeCents`, value: cents };
    }
    case 'diagnosisCodes':
      return { key: 'diagnosisCodes', value: list(v) };
    case 'billingProviderNpi':
      return { key: 'billingProviderNpi', value: v };
    case 'memberId':
      return { key: 'memberId', value: v };
  }
}

/** All rows as one `changes` object, or the first row that cannot be typed. */
export function correctionChanges(
  rows: readonly CorrectionRow[],
): { changes: Record<string, unknown> } | { error: string; row: number } {
  const changes: Record<string, unknown> = {};
  for (const [i, row] of rows.entries()) {
    const e = correctionEntry(row);
    if ('error' in e) return { error: e.error, row: i };
    changes[e.key] = e.value;
  }
  return { changes };
}
