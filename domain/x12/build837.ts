/**
 * A minimal 005010X222A1 (837P professional claim) builder: one claim, billed by one provider, for a
 * patient who is the subscriber. Enough for payer-sim and clearinghouse submission of what the denial
 * workflows need to send: original claims (frequency 1), replacements (7) and voids (8).
 */
import { formatX12Amount } from '../money.js';
import { isoDateToX12 } from './dates.js';
import {
  type EnvelopeOptions,
  resolveDelimiters,
  resolveEnvelope,
  SegmentWriter,
  writeEnvelopeHeader,
  writeEnvelopeTrailer,
  X12BuildError,
} from './writer.js';

/** GS08/ST03 implementation convention reference of the 837P guide. */
const VERSION_837P = '005010X222A1';
/** HI holds at most twelve diagnosis codes; SV107 points at up to four of them (837P guide). */
const MAX_DIAGNOSES = 12;
const MAX_POINTERS = 4;
/** Loop 2400 repeats at most 50 times in the 837P. */
const MAX_LINES = 50;

/** One service line of the claim (loop 2400). */
export interface Claim837Line {
  lineNumber: number;
  procedureCode: string;
  modifiers: string[];
  units: number;
  chargeCents: number;
  /** `YYYY-MM-DD` */
  serviceDate: string;
  /** REF*6R line item control number, echoed back in the 835 REF*6R; defaults to the line number. */
  lineItemControlNumber?: string;
}

/** The claim to write: what the denial workflows know about a professional claim. */
export interface Claim837Input {
  /** CLM01, echoed back as CLP01 in the 835: the primary matching key. */
  patientControlNumber: string;
  payerId: string;
  payerName?: string;
  /** CLM05-3: 1 original, 7 replacement (corrected claim), 8 void. */
  frequencyCode: '1' | '7' | '8';
  /** The payer's claim number of the claim being replaced or voided (REF*F8), required for 7 and 8. */
  originalPayerClaimNumber?: string;
  billingProviderNpi: string;
  billingProviderName?: string;
  patient: {
    memberId: string;
    firstName: string;
    lastName: string;
    /** `YYYY-MM-DD` */
    birthDate: string;
  };
  /** `YYYY-MM-DD` */
  dateOfService: string;
  /** CLM02; must equal the sum of the line charges. */
  totalChargeCents: number;
  /** ICD-10-CM codes, principal first; a decimal point, if present, is removed as X12 requires. */
  diagnosisCodes: string[];
  lines: Claim837Line[];
}

/** Options of `build837P`: envelope values plus the few claim facts the input does not carry. */
export interface Build837Options extends EnvelopeOptions {
  /** Submitter (loop 1000A): id defaults to the sender id, name to the billing provider name. */
  submitter?: { id?: string; name?: string; contactName?: string; phone?: string };
  /** Receiver (loop 1000B): name and id default to the payer's. */
  receiver?: { id?: string; name?: string };
  /** Billing provider address and tax id (N3/N4 and REF*EI of loop 2010AA), written when given. */
  billingProvider?: {
    address?: { line1: string; line2?: string; city: string; state: string; postalCode: string };
    taxId?: string;
  };
  /** CLM05-1 place of service; `11` (office) by default. */
  placeOfService?: string;
  /** SBR09 claim filing indicator; `CI` (commercial) by default. */
  claimFilingIndicator?: string;
  /** DMG03 patient gender (F, M, U); `U` by default because the input does not carry it. */
  patientGender?: 'F' | 'M' | 'U';
}

function date(iso: string, where: string): string {
  const d = isoDateToX12(iso);
  if (d === undefined) throw new X12BuildError(`${where}: "${iso}" is not a valid YYYY-MM-DD date`);
  return d;
}

function amount(cents: number, where: string): string {
  if (!Number.isSafeInteger(cents))
    throw new X12BuildError(`${where}: ${cents} is not an integer number of cents`);
  return formatX12Amount(cents);
}

function checkClaim(claim: Claim837Input): void {
  if ((claim.frequencyCode === '7' || claim.frequencyCode === '8') && !claim.originalPayerClaimNumber) {
    // 837P guide, loop 2300 REF*F8: required when CLM05-3 is 7 (replacement) or 8 (void).
    throw new X12BuildError(`frequency ${claim.frequencyCode} needs originalPayerClaimNumber for REF*F8`);
  }
  if (claim.lines.length === 0 || claim.lines.length > MAX_LINES) {
    throw new X12BuildError(`a claim has 1 to ${MAX_LINES} service lines`);
  }
  if (claim.diagnosisCodes.length === 0 || claim.diagnosisCodes.length > MAX_DIAGNOSES) {
    throw new X12BuildError(`a claim has 1 to ${MAX_DIAGNOSES} diagnosis codes`);
  }
  if (!/^\d{10}$/.test(claim.billingProviderNpi))
    throw new X12BuildError('billingProviderNpi must be 10 digits');
  // 837P guide, CLM02: the total claim charge must equal the sum of the service line charges (SV102).
  const lineTotal = claim.lines.reduce((sum, l) => sum + l.chargeCents, 0);
  if (lineTotal !== claim.totalChargeCents) {
    throw new X12BuildError(
      `totalChargeCents ${claim.totalChargeCents} must equal the line total ${lineTotal}`,
    );
  }
  for (const line of claim.lines) {
    if (line.modifiers.length > 4) throw new X12BuildError(`line ${line.lineNumber}: at most four modifiers`);
    if (!(line.units > 0) || !Number.isFinite(line.units)) {
      throw new X12BuildError(`line ${line.lineNumber}: units must be a positive number`);
    }
  }
}

/**
 * Builds one 837P interchange (ISA/GS/ST ... SE/GE/IEA) for one claim: submitter, receiver, billing
 * provider (HL 20), subscriber = patient (HL 22), the claim (CLM with the facility:B:frequency composite,
 * REF*F8 for replacements and voids, HI diagnoses) and its lines (LX/SV1/DTP*472/REF*6R).
 *
 * Output is a pure function of the input: the interchange date defaults to the date of service and the
 * control numbers to 1.
 *
 * @throws X12BuildError for input that would make an invalid claim (unbalanced total, missing REF*F8
 *   for frequency 7/8, bad dates, a delimiter inside data, too many lines, codes or modifiers).
 */
export function build837P(claim: Claim837Input, opts: Build837Options = {}): string {
  checkClaim(claim);
  const delimiters = resolveDelimiters(opts.delimiters);
  const env = resolveEnvelope({
    senderId: opts.senderId ?? claim.billingProviderNpi,
    receiverId: opts.receiverId ?? claim.payerId,
    senderQualifier: opts.senderQualifier,
    receiverQualifier: opts.receiverQualifier,
    interchangeControlNumber: opts.interchangeControlNumber ?? '1',
    groupControlNumber: opts.groupControlNumber ?? '1',
    date: opts.date ?? claim.dateOfService,
    time: opts.time,
    usageIndicator: opts.usageIndicator,
  });
  const w = new SegmentWriter(delimiters, opts.lineBreaks ?? false);
  writeEnvelopeHeader(w, env, 'HC', VERSION_837P);

  const start = w.count;
  const stControl = '0001';
  const providerName = claim.billingProviderName ?? 'BILLING PROVIDER';
  w.add('ST', '837', stControl, VERSION_837P);
  // BHT02 00 = original transmission; BHT06 CH = chargeable (a claim, not an encounter).
  w.add('BHT', '0019', '00', claim.patientControlNumber, env.date, env.time, 'CH');

  const submitter = opts.submitter ?? {};
  w.add('NM1', '41', '2', submitter.name ?? providerName, '', '', '', '', '46', submitter.id ?? env.senderId);
  w.add('PER', 'IC', submitter.contactName ?? providerName, 'TE', submitter.phone ?? '0000000000');
  const receiver = opts.receiver ?? {};
  w.add(
    'NM1',
    '40',
    '2',
    receiver.name ?? claim.payerName ?? claim.payerId,
    '',
    '',
    '',
    '',
    '46',
    receiver.id ?? claim.payerId,
  );

  // HL 1: billing provider (level 20), which has a child level.
  w.add('HL', '1', '', '20', '1');
  w.add('NM1', '85', '2', providerName, '', '', '', '', 'XX', claim.billingProviderNpi);
  const bp = opts.billingProvider;
  if (bp?.address) {
    w.add('N3', bp.address.line1, bp.address.line2);
    w.add('N4', bp.address.city, bp.address.state, bp.address.postalCode);
  }
  if (bp?.taxId) w.add('REF', 'EI', bp.taxId);

  // HL 2: subscriber (level 22) with no child: the patient is the subscriber (SBR02 18 = self).
  w.add('HL', '2', '1', '22', '0');
  w.add('SBR', 'P', '18', '', '', '', '', '', '', opts.claimFilingIndicator ?? 'CI');
  const p = claim.patient;
  w.add('NM1', 'IL', '1', p.lastName, p.firstName, '', '', '', 'MI', p.memberId);
  w.add('DMG', 'D8', date(p.birthDate, 'patient birthDate'), opts.patientGender ?? 'U');
  w.add('NM1', 'PR', '2', claim.payerName ?? claim.payerId, '', '', '', '', 'PI', claim.payerId);

  // CLM05 is a composite: place of service : B (professional code set) : claim frequency code.
  const facility = w.composite(opts.placeOfService ?? '11', 'B', claim.frequencyCode);
  const total = amount(claim.totalChargeCents, 'CLM02');
  w.add('CLM', claim.patientControlNumber, total, '', '', facility, 'Y', 'A', 'Y', 'Y');
  if (claim.originalPayerClaimNumber && claim.frequencyCode !== '1') {
    w.add('REF', 'F8', claim.originalPayerClaimNumber);
  }
  // HI: ABK principal diagnosis, ABF other diagnoses (ICD-10-CM), codes without the decimal point.
  const diagnoses = claim.diagnosisCodes.map((code, i) =>
    w.composite(i === 0 ? 'ABK' : 'ABF', code.replaceAll('.', '')),
  );
  w.add('HI', ...diagnoses);

  const pointers = w.composite(
    ...Array.from({ length: Math.min(MAX_POINTERS, claim.diagnosisCodes.length) }, (_, i) => String(i + 1)),
  );
  claim.lines.forEach((line, i) => {
    const where = `line ${line.lineNumber}`;
    w.add('LX', String(i + 1));
    w.add(
      'SV1',
      w.composite('HC', line.procedureCode, ...line.modifiers),
      amount(line.chargeCents, `${where} SV102`),
      'UN',
      String(line.units),
      '',
      '',
      pointers,
    );
    w.add('DTP', '472', 'D8', date(line.serviceDate, `${where} DTP*472`));
    w.add('REF', '6R', line.lineItemControlNumber ?? String(line.lineNumber));
  });
  // SE01 counts every segment of the transaction set, ST and SE included.
  w.add('SE', String(w.count - start + 1), stControl);
  writeEnvelopeTrailer(w, env, 1);
  return w.toString();
}
