/**
 * What a biller may change on a corrected claim, and how each value must look. Shared by the workflow
 * update validator, the API schema and the activity that writes the change.
 */
const LINE_FIELD = /^lines\.(\d+)\.(procedureCode|modifiers|units|chargeCents)$/;
const CODE = /^[A-Z0-9]{5}$/;
const MODIFIER = /^[A-Z0-9]{2}$/;
const ICD10 = /^[A-TV-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$/;

/** Returns the first invalid field and why, or undefined when every change is allowed and well formed. */
export function correctionError(
  changes: Record<string, unknown>,
): { field: string; message: string } | undefined {
  const entries = Object.entries(changes);
  if (entries.length === 0) return { field: 'changes', message: 'at least one change is required' };
  for (const [field, value] of entries) {
    const line = LINE_FIELD.exec(field);
    if (line) {
      const f = line[2];
      if (f === 'procedureCode' && !(typeof value === 'string' && CODE.test(value)))
        return { field, message: 'must be a 5-character procedure code' };
      if (
        f === 'modifiers' &&
        !(
          Array.isArray(value) &&
          value.length <= 4 &&
          value.every((v) => typeof v === 'string' && MODIFIER.test(v))
        )
      ) {
        return { field, message: 'must be up to 4 two-character modifiers' };
      }
      if (f === 'units' && !(Number.isInteger(value) && (value as number) > 0))
        return { field, message: 'must be a positive whole number' };
      if (f === 'chargeCents' && !(Number.isInteger(value) && (value as number) > 0))
        return { field, message: 'must be positive integer cents' };
      continue;
    }
    if (field === 'diagnosisCodes') {
      if (
        !(
          Array.isArray(value) &&
          value.length >= 1 &&
          value.length <= 12 &&
          value.every((v) => typeof v === 'string' && ICD10.test(v))
        )
      ) {
        return { field, message: 'must be 1 to 12 ICD-10-CM codes' };
      }
      continue;
    }
    if (field === 'billingProviderNpi') {
      if (!(typeof value === 'string' && /^\d{10}$/.test(value)))
        return { field, message: 'must be a 10-digit NPI' };
      continue;
    }
    if (field === 'memberId') {
      if (!(typeof value === 'string' && /^[A-Za-z0-9-]{2,30}$/.test(value)))
        return { field, message: 'must be 2-30 letters, digits or dashes' };
      continue;
    }
    return { field, message: 'is not a correctable field' };
  }
  return undefined;
}
