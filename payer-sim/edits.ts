/**
 * Front-end edits: what a clearinghouse (999) or payer front end (277CA) checks before a claim enters
 * adjudication. A failed edit is a rejection, not a denial: the claim was never adjudicated and has no
 * appeal rights (docs/deadlines.md). Pure functions; the first failing edit is reported, as most 277CAs do.
 * Status codes are from the X12 Health Care Claim Status Code list (e.g. 164 member number, 562 NPI).
 */
import { isCalendarDate } from './dates.js';
import type { ClaimBody } from './schemas.js';

/** A 277CA rejection: category A3/A6/A7/A8, status code and the field the edit failed on. */
export interface FrontEndRejection {
  category: 'A3' | 'A6' | 'A7' | 'A8';
  statusCode: string;
  field?: string;
  message: string;
}

/** Member ids are 2 to 30 letters, digits or dashes (payers differ; this is the sim's rule). */
const MEMBER_ID = /^[A-Za-z0-9][A-Za-z0-9-]{1,29}$/;
/** CPT (5 digits, or 4 digits + F/T/U) and HCPCS Level II (letter + 4 digits). */
const PROCEDURE_CODE = /^(\d{4}[0-9FTU]|[A-V]\d{4})$/;
const MODIFIER = /^[A-Z0-9]{2}$/;
/** ICD-10-CM shape, written without the dot as on an 837 (A00-Z99, 3 to 7 characters). */
const ICD10 = /^[A-TV-Z][0-9][0-9A-Z][0-9A-Z]{0,4}$/;
/** ICD-10 allows twelve diagnosis codes on a professional claim (HI segment, 837P). */
const MAX_DIAGNOSES = 12;
const NAME = /\S/;

/**
 * True for a 10-digit NPI whose check digit is valid: the Luhn check over the NPI prefixed with 80840
 * (the ISO 7812 card issuer prefix CMS assigned to NPIs).
 */
export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function isRealDate(iso: string): boolean {
  const [y, m, d] = iso.split('-').map(Number);
  return isCalendarDate(y ?? 0, m ?? 0, d ?? 0);
}

/**
 * Runs the front-end edits on a claim received on `today` (ISO date). Returns the first rejection, or
 * undefined when the claim may enter adjudication.
 */
export function frontEndEdits(claim: ClaimBody, today: string): FrontEndRejection | undefined {
  if (claim.lines.length === 0) {
    return { category: 'A6', statusCode: '21', field: 'lines', message: 'The claim has no service lines.' };
  }
  const member = claim.patient.memberId.trim();
  if (member === '') {
    return {
      category: 'A6',
      statusCode: '164',
      field: 'patient.memberId',
      message: "Entity's contract/member number is missing.",
    };
  }
  if (!MEMBER_ID.test(claim.patient.memberId)) {
    return {
      category: 'A7',
      statusCode: '164',
      field: 'patient.memberId',
      message: "Entity's contract/member number is invalid: 2 to 30 letters, digits or dashes.",
    };
  }
  if (!NAME.test(claim.patient.lastName)) {
    return {
      category: 'A6',
      statusCode: '504',
      field: 'patient.lastName',
      message: "Entity's last name is missing.",
    };
  }
  if (!NAME.test(claim.patient.firstName)) {
    return {
      category: 'A6',
      statusCode: '505',
      field: 'patient.firstName',
      message: "Entity's first name is missing.",
    };
  }
  if (!isRealDate(claim.patient.birthDate) || claim.patient.birthDate > today) {
    return {
      category: 'A7',
      statusCode: '158',
      field: 'patient.birthDate',
      message: "Entity's date of birth is invalid.",
    };
  }
  if (!isValidNpi(claim.billingProviderNpi)) {
    return {
      category: 'A7',
      statusCode: '562',
      field: 'billingProviderNpi',
      message: "Entity's National Provider Identifier (NPI) is invalid (10 digits with a valid check digit).",
    };
  }
  const dateRejection = serviceDateEdit(claim.dateOfService, 'dateOfService', today);
  if (dateRejection) return dateRejection;
  if (claim.patient.birthDate > claim.dateOfService) {
    return {
      category: 'A7',
      statusCode: '158',
      field: 'patient.birthDate',
      message: "Entity's date of birth is after the date of service.",
    };
  }
  if (claim.diagnosisCodes.length === 0) {
    return {
      category: 'A6',
      statusCode: '255',
      field: 'diagnosisCodes',
      message: 'Diagnosis code is missing.',
    };
  }
  if (claim.diagnosisCodes.length > MAX_DIAGNOSES) {
    return {
      category: 'A7',
      statusCode: '255',
      field: 'diagnosisCodes',
      message: `At most ${MAX_DIAGNOSES} diagnosis codes are allowed.`,
    };
  }
  for (const [i, code] of claim.diagnosisCodes.entries()) {
    if (!ICD10.test(code)) {
      return {
        category: 'A7',
        statusCode: '255',
        field: `diagnosisCodes[${i}]`,
        message: `Diagnosis code ${JSON.stringify(code)} is not a valid ICD-10-CM code.`,
      };
    }
  }
  const seen = new Set<number>();
  for (const [i, line] of claim.lines.entries()) {
    const rejection = lineEdit(claim, line, i, today, seen);
    if (rejection) return rejection;
  }
  const sum = claim.lines.reduce((total, line) => total + line.chargeCents, 0);
  if (sum !== claim.totalChargeCents) {
    return {
      category: 'A7',
      statusCode: '400',
      field: 'totalChargeCents',
      message: `Claim is out of balance: total charge ${claim.totalChargeCents} cents, lines sum to ${sum} cents.`,
    };
  }
  if (
    (claim.frequencyCode === '7' || claim.frequencyCode === '8') &&
    !claim.originalPayerClaimNumber?.trim()
  ) {
    return {
      category: 'A6',
      statusCode: '464',
      field: 'originalPayerClaimNumber',
      message: 'A replacement or void claim needs the payer assigned claim control number of the original.',
    };
  }
  return undefined;
}

function serviceDateEdit(iso: string, field: string, today: string): FrontEndRejection | undefined {
  if (!isRealDate(iso)) {
    return {
      category: 'A7',
      statusCode: '187',
      field,
      message: `Date of service ${iso} is not a calendar date.`,
    };
  }
  if (iso > today) {
    return { category: 'A7', statusCode: '510', field, message: `Date of service ${iso} is in the future.` };
  }
  return undefined;
}

function lineEdit(
  claim: ClaimBody,
  line: ClaimBody['lines'][number],
  i: number,
  today: string,
  seen: Set<number>,
): FrontEndRejection | undefined {
  const at = `lines[${i}]`;
  if (seen.has(line.lineNumber)) {
    return {
      category: 'A7',
      statusCode: '21',
      field: `${at}.lineNumber`,
      message: `Line number ${line.lineNumber} is used twice.`,
    };
  }
  seen.add(line.lineNumber);
  if (!PROCEDURE_CODE.test(line.procedureCode)) {
    return {
      category: 'A7',
      statusCode: '454',
      field: `${at}.procedureCode`,
      message: `Procedure code ${JSON.stringify(line.procedureCode)} is not a CPT or HCPCS code.`,
    };
  }
  for (const [j, modifier] of line.modifiers.entries()) {
    if (!MODIFIER.test(modifier)) {
      return {
        category: 'A7',
        statusCode: '453',
        field: `${at}.modifiers[${j}]`,
        message: `Procedure code modifier ${JSON.stringify(modifier)} is invalid.`,
      };
    }
  }
  const dateRejection = serviceDateEdit(line.serviceDate, `${at}.serviceDate`, today);
  if (dateRejection) return dateRejection;
  for (const pointer of line.diagnosisPointers ?? []) {
    if (pointer > claim.diagnosisCodes.length) {
      return {
        category: 'A7',
        statusCode: '477',
        field: `${at}.diagnosisPointers`,
        message: `Diagnosis pointer ${pointer} points past the ${claim.diagnosisCodes.length} diagnosis codes.`,
      };
    }
  }
  return undefined;
}
