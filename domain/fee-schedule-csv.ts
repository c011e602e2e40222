/**
 * The fee schedule upload: a CSV file of one payer's contracted rates for one practice, parsed into
 * `FeeScheduleRow`s. A file is accepted or refused whole, with every problem named by file line and
 * column, because a half-loaded contract prices some claims with stale rates and nobody notices.
 * The format is documented in docs/fee-schedules.md.
 */
import { isValidIsoDate } from './dates.js';
import type { FeeScheduleRow } from './fee-schedules.js';
import { parseCents } from './money.js';

/** The header of a fee schedule file. Every column must be present once; their order is free. */
export const FEE_SCHEDULE_CSV_COLUMNS = [
  'procedure_code',
  'modifier',
  'plan_id',
  'allowed',
  'effective_from',
  'effective_to',
  'multiple_procedure_reducible',
] as const;

export type FeeScheduleCsvColumn = (typeof FEE_SCHEDULE_CSV_COLUMNS)[number];

/** At most this many errors are reported; a file with more is usually the wrong file altogether. */
export const MAX_CSV_ERRORS = 100;

/** One problem of an uploaded file. */
export interface FeeScheduleCsvError {
  /**
   * 1-based line of the file where the record starts (the header is line 1), as a spreadsheet or text
   * editor shows it; a quoted field spanning lines does not shift the rows before it.
   */
  row: number;
  /** The header name of the offending column; absent for a problem of the whole record. */
  column?: string;
  message: string;
}

export type FeeScheduleCsvResult =
  | { ok: true; rows: FeeScheduleRow[] }
  | {
      ok: false;
      /** In file order (header problems first), at most `MAX_CSV_ERRORS`. */
      errors: FeeScheduleCsvError[];
      /** True when more errors were found than reported. */
      truncated: boolean;
    };

const PROCEDURE_CODE = /^[A-Z0-9]{5}$/;
const MODIFIER = /^[A-Z0-9]{2}$/;
const DOLLARS = /^\d+(?:\.\d{1,2})?$/;
/** Unicode control characters (C0, DEL, C1), line breaks and tabs among them. */
const CONTROL = /\p{Cc}/u;
const MAX_PLAN_ID = 50;

/**
 * Parses a fee schedule CSV for `payerId` and `practiceId` (the upload's context; the file does not
 * repeat them). RFC 4180 syntax: comma separated, fields optionally in double quotes (a quoted field
 * may hold commas, line breaks and `""` for a quote), CRLF or LF line endings, an optional UTF-8 byte
 * order mark, blank lines ignored. Header names are matched case-insensitively; values are trimmed of
 * surrounding spaces.
 *
 * Each row is checked on its own (procedure code, modifier, plan, amount, dates, Y/N flag), then rows
 * of the same procedure/modifier/plan are checked for overlapping effective ranges, since two rates
 * for one date of service would make the expected amount depend on file order. Any error refuses the
 * whole file.
 */
export function parseFeeScheduleCsv(
  text: string,
  ctx: { payerId: string; practiceId: string },
): FeeScheduleCsvResult {
  const errors = new ErrorList();
  const records = tokenize(text.startsWith('\uFEFF') ? text.slice(1) : text, errors);
  const header = records[0];
  if (header === undefined) {
    if (errors.items.length === 0) {
      errors.add({
        row: 1,
        message: `the file is empty: the first line must be the header ${FEE_SCHEDULE_CSV_COLUMNS.join(',')}`,
      });
    }
    return errors.result();
  }

  // A malformed header has no reliable column names.
  if (header.malformed) return errors.result();
  const positions = new Map<FeeScheduleCsvColumn, number>();
  let headerBad = false;
  const headerError = (column: string, message: string) => {
    headerBad = true;
    errors.add({ row: header.line, column, message });
  };
  header.fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    const known = (FEE_SCHEDULE_CSV_COLUMNS as readonly string[]).includes(name);
    if (!known) {
      headerError(
        raw.trim(),
        name === ''
          ? `column ${i + 1} of the header has no name (a trailing comma?)`
          : `unknown column "${raw.trim()}"; the columns are ${FEE_SCHEDULE_CSV_COLUMNS.join(', ')}`,
      );
    } else if (positions.has(name as FeeScheduleCsvColumn)) {
      headerError(name, `column "${name}" appears more than once`);
    } else {
      positions.set(name as FeeScheduleCsvColumn, i);
    }
  });
  for (const column of FEE_SCHEDULE_CSV_COLUMNS) {
    if (!positions.has(column)) {
      headerError(column, `column "${column}" is missing from the header`);
    }
  }
  // Without a sound header no value can be read from its column.
  if (headerBad) return errors.result();
  if (records.length === 1) {
    // After a quoting error the rows may be there, just unreadable.
    if (errors.items.length === 0)
      errors.add({ row: header.line, message: 'the file has a header but no rates' });
    return errors.result();
  }

  const accepted: { line: number; row: FeeScheduleRow }[] = [];
  for (const record of records.slice(1)) {
    if (record.malformed) continue;
    if (record.fields.length !== header.fields.length) {
      errors.add({
        row: record.line,
        message: `the row has ${record.fields.length} fields; the header has ${header.fields.length}`,
      });
      continue;
    }
    const row = parseRow(record, positions, ctx, errors);
    if (row !== undefined) accepted.push({ line: record.line, row });
  }

  // Rows of one key in file order: each later row is checked against the earlier ones.
  const byKey = new Map<string, { line: number; row: FeeScheduleRow }[]>();
  for (const entry of accepted) {
    const { row } = entry;
    const key = [row.procedureCode, row.modifier ?? '', row.planId ?? ''].join('\u0000');
    const earlier = byKey.get(key) ?? [];
    const clash = earlier.find((e) => overlaps(e.row, row));
    if (clash !== undefined) {
      errors.add({
        row: entry.line,
        column: 'effective_from',
        message:
          `${describeRange(row)} overlaps row ${clash.line} (${describeRange(clash.row)}) for ` +
          `${describeKey(row)}: a date of service may have only one rate`,
      });
    }
    earlier.push(entry);
    byKey.set(key, earlier);
  }

  if (errors.items.length > 0 || errors.truncated) return errors.result();
  return { ok: true, rows: accepted.map((e) => e.row) };
}

/**
 * Writes rows as a fee schedule CSV (the inverse of `parseFeeScheduleCsv`, e.g. for a download of the
 * current contract): the columns in `FEE_SCHEDULE_CSV_COLUMNS` order, CRLF line endings, dollars with
 * two decimals, `Y`/`N`. Payer, practice and modifier percents are not part of the format.
 */
export function formatFeeScheduleCsv(rows: readonly FeeScheduleRow[]): string {
  const lines = [FEE_SCHEDULE_CSV_COLUMNS.join(',')];
  for (const r of rows) {
    if (!Number.isSafeInteger(r.allowedCents) || r.allowedCents < 0) {
      throw new RangeError(
        `allowedCents ${r.allowedCents} of ${r.procedureCode} is not whole non-negative cents`,
      );
    }
    const values: Record<FeeScheduleCsvColumn, string> = {
      procedure_code: r.procedureCode,
      modifier: r.modifier ?? '',
      plan_id: r.planId ?? '',
      allowed: `${Math.trunc(r.allowedCents / 100)}.${String(r.allowedCents % 100).padStart(2, '0')}`,
      effective_from: r.effectiveFrom,
      effective_to: r.effectiveTo ?? '',
      multiple_procedure_reducible: r.multipleProcedureReducible ? 'Y' : 'N',
    };
    lines.push(FEE_SCHEDULE_CSV_COLUMNS.map((c) => quote(values[c])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

function quote(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function parseRow(
  record: CsvRecord,
  positions: ReadonlyMap<FeeScheduleCsvColumn, number>,
  ctx: { payerId: string; practiceId: string },
  errors: ErrorList,
): FeeScheduleRow | undefined {
  let ok = true;
  const fail = (column: FeeScheduleCsvColumn, message: string) => {
    ok = false;
    errors.add({ row: record.line, column, message });
  };
  const get = (column: FeeScheduleCsvColumn) => (record.fields[positions.get(column)!] ?? '').trim();

  const procedureCode = get('procedure_code');
  if (procedureCode === '') fail('procedure_code', 'a procedure code is required');
  else if (!PROCEDURE_CODE.test(procedureCode)) {
    fail('procedure_code', `"${procedureCode}" is not a CPT or HCPCS code: 5 capital letters or digits`);
  }

  const modifier = get('modifier');
  if (modifier !== '' && !MODIFIER.test(modifier)) {
    fail('modifier', `"${modifier}" is not a modifier: 2 capital letters or digits, or empty`);
  }

  const planId = get('plan_id');
  if (CONTROL.test(planId)) fail('plan_id', 'the plan id contains a control character or line break');
  else if (planId.length > MAX_PLAN_ID)
    fail('plan_id', `the plan id is longer than ${MAX_PLAN_ID} characters`);

  const allowed = get('allowed');
  let allowedCents = 0;
  if (allowed === '') fail('allowed', 'an allowed amount is required');
  else if (allowed.startsWith('-')) fail('allowed', `"${allowed}" is negative`);
  else if (/^\d*\.\d{3,}$/.test(allowed)) fail('allowed', `"${allowed}" has more than 2 decimals`);
  else if (!DOLLARS.test(allowed)) {
    fail('allowed', `"${allowed}" is not an amount in dollars like 123.45 (no "$", no thousands separators)`);
  } else {
    try {
      allowedCents = parseCents(allowed);
    } catch {
      fail('allowed', `"${allowed}" is out of range`);
    }
  }

  const effectiveFrom = get('effective_from');
  const fromOk = isValidIsoDate(effectiveFrom);
  if (effectiveFrom === '') fail('effective_from', 'an effective_from date is required');
  else if (!fromOk) fail('effective_from', `"${effectiveFrom}" is not a date YYYY-MM-DD`);

  const effectiveTo = get('effective_to');
  if (effectiveTo !== '') {
    if (!isValidIsoDate(effectiveTo)) fail('effective_to', `"${effectiveTo}" is not a date YYYY-MM-DD`);
    else if (fromOk && effectiveTo < effectiveFrom) {
      fail('effective_to', `${effectiveTo} is before effective_from ${effectiveFrom}`);
    }
  }

  const reducible = get('multiple_procedure_reducible');
  if (reducible !== '' && reducible !== 'Y' && reducible !== 'N') {
    fail('multiple_procedure_reducible', `"${reducible}" is not Y or N (empty means N)`);
  }

  if (!ok) return undefined;
  const row: FeeScheduleRow = {
    payerId: ctx.payerId,
    practiceId: ctx.practiceId,
    procedureCode,
    allowedCents,
    effectiveFrom,
    multipleProcedureReducible: reducible === 'Y',
  };
  if (modifier !== '') row.modifier = modifier;
  if (planId !== '') row.planId = planId;
  if (effectiveTo !== '') row.effectiveTo = effectiveTo;
  return row;
}

function overlaps(a: FeeScheduleRow, b: FeeScheduleRow): boolean {
  const aEndsBeforeB = a.effectiveTo !== undefined && a.effectiveTo < b.effectiveFrom;
  const bEndsBeforeA = b.effectiveTo !== undefined && b.effectiveTo < a.effectiveFrom;
  return !aEndsBeforeB && !bEndsBeforeA;
}

function describeRange(r: FeeScheduleRow): string {
  return `${r.effectiveFrom} to ${r.effectiveTo ?? 'open end'}`;
}

function describeKey(r: FeeScheduleRow): string {
  return [
    r.procedureCode,
    r.modifier === undefined ? 'no modifier' : `modifier ${r.modifier}`,
    r.planId === undefined ? 'all plans' : `plan ${r.planId}`,
  ].join(', ');
}

class ErrorList {
  readonly items: FeeScheduleCsvError[] = [];
  truncated = false;

  add(e: FeeScheduleCsvError): void {
    if (this.items.length < MAX_CSV_ERRORS) this.items.push(e);
    else this.truncated = true;
  }

  result(): FeeScheduleCsvResult {
    return { ok: false, errors: this.items, truncated: this.truncated };
  }
}

interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  fields: string[];
  /** A quoting error was reported for it; its fields are not to be read. */
  malformed: boolean;
}

/**
 * Splits CSV text into records. Blank lines are dropped. A quote that does not open or close a field
 * is an error of its record (the rest of the line is skipped); an unclosed quote is an error at the
 * line the record started on.
 */
function tokenize(text: string, errors: ErrorList): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  /** Consumes a line ending at `i` if there is one; true when it did. */
  const lineEnd = (): boolean => {
    if (text[i] === '\r') {
      i += text[i + 1] === '\n' ? 2 : 1;
    } else if (text[i] === '\n') {
      i += 1;
    } else {
      return false;
    }
    line += 1;
    return true;
  };

  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let bad = false;
    let anyQuoted = false;
    // One record: fields until a line ending outside quotes, or the end of the text.
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        anyQuoted = true;
        i += 1;
        let closed = false;
        while (i < n) {
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
            } else {
              i += 1;
              closed = true;
              break;
            }
          } else if (c === '\r' || c === '\n') {
            value += c === '\r' && text[i + 1] === '\n' ? '\r\n' : c;
            lineEnd();
          } else {
            value += c;
            i += 1;
          }
        }
        if (!closed) {
          errors.add({ row: start, message: 'a quoted field is not closed before the end of the file' });
          return records;
        }
        if (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          errors.add({
            row: line,
            message: 'a closing quote must be followed by a comma or the end of the line',
          });
          bad = true;
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          if (text[i] === '"' && !bad) {
            errors.add({
              row: line,
              message: 'a quote inside an unquoted field: quote the whole field and double the quote ("")',
            });
            bad = true;
          }
          value += text[i];
          i += 1;
        }
      }
      if (bad) {
        while (i < n && text[i] !== '\r' && text[i] !== '\n') i += 1;
      }
      fields.push(value);
      if (i < n && text[i] === ',') {
        i += 1;
        continue;
      }
      lineEnd();
      break;
    }
    const blank = fields.length === 1 && !anyQuoted && (fields[0] ?? '').trim() === '';
    if (!blank) records.push({ line: start, fields, malformed: bad });
  }
  return records;
}
