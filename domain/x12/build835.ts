/**
 * Writes `Remittance835` values as one 005010X221A1 interchange. The inverse of `parse835`: for any
 * remittance the builder accepts, `parse835(build835([r]))` gives `r` back (see the round-trip property test).
 */
import { formatX12Amount } from '../money.js';
import { isoDateToX12 } from './dates.js';
import type {
  Adjustment,
  ClaimPayment,
  Party,
  ProviderAdjustment,
  Remittance835,
  ServiceLine,
} from './model.js';
import {
  type EnvelopeOptions,
  resolveDelimiters,
  resolveEnvelope,
  SegmentWriter,
  writeEnvelopeHeader,
  writeEnvelopeTrailer,
  X12BuildError,
} from './writer.js';

/** GS08/ST03 implementation convention reference of the 835 guide. */
const VERSION_835 = '005010X221A1';

/** X12 CAS allows six (reason, amount, quantity) triplets per segment; PLB six (reason, amount) pairs. */
const MAX_TRIPLETS_PER_CAS = 6;
const MAX_PAIRS_PER_PLB = 6;
/** MOA03..MOA07 hold at most five claim remark codes. */
const MAX_MOA_REMARKS = 5;

/** Options of `build835`; envelope values default to those of the first remittance. */
export type Build835Options = EnvelopeOptions;

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

function quantity(value: number | undefined, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value)) throw new X12BuildError(`${where}: quantity ${value} is not a finite number`);
  // String(1e21) would be exponent notation, which the X12 R type does not allow.
  if (Math.abs(value) >= 1e15) throw new X12BuildError(`${where}: quantity ${value} is too large`);
  return String(value);
}

/**
 * Writes CAS segments: one per group code, in order of first appearance, split into further segments of
 * the same group once six triplets are used (835 guide, CAS segment notes).
 */
function writeCas(w: SegmentWriter, adjustments: Adjustment[], where: string): void {
  const groups = new Map<string, Adjustment[]>();
  for (const a of adjustments) {
    const list = groups.get(a.group);
    if (list) list.push(a);
    else groups.set(a.group, [a]);
  }
  for (const [group, list] of groups) {
    for (let i = 0; i < list.length; i += MAX_TRIPLETS_PER_CAS) {
      const triplets = list
        .slice(i, i + MAX_TRIPLETS_PER_CAS)
        .flatMap((a) => [
          a.reason,
          amount(a.amountCents, `${where} CAS`),
          quantity(a.quantity, `${where} CAS`),
        ]);
      w.add('CAS', group, ...triplets);
    }
  }
}

function writeRefs(w: SegmentWriter, refs: Record<string, string> | undefined): void {
  for (const [qualifier, value] of Object.entries(refs ?? {})) w.add('REF', qualifier, value);
}

function writeN1Party(w: SegmentWriter, party: Party, entity: 'PR' | 'PE'): void {
  w.add('N1', entity, party.name, party.idQualifier, party.id);
  if (party.address) {
    const [line1, line2] = party.address.lines;
    if (party.address.lines.length > 2)
      throw new X12BuildError(`N1*${entity}: N3 holds at most two address lines`);
    if (line1 !== undefined) w.add('N3', line1, line2);
    const { city, state, postalCode, countryCode } = party.address;
    w.add('N4', city, state, postalCode, countryCode);
  }
  writeRefs(w, party.refs);
}

function writeNm1Party(w: SegmentWriter, party: Party | undefined, entity: string): void {
  if (!party) return;
  w.add(
    'NM1',
    entity,
    party.entityType ?? '1',
    party.name,
    party.firstName,
    party.middleName,
    undefined,
    undefined,
    party.idQualifier,
    party.id,
  );
}

function procedureComposite(
  w: SegmentWriter,
  p: ServiceLine['procedure'],
): ReturnType<SegmentWriter['composite']> {
  if (p.modifiers.length > 4) throw new X12BuildError(`SVC procedure ${p.code}: at most four modifiers`);
  return w.composite(p.qualifier, p.code, ...p.modifiers);
}

function writeServiceLine(w: SegmentWriter, line: ServiceLine, where: string): void {
  w.add(
    'SVC',
    procedureComposite(w, line.procedure),
    amount(line.chargeCents, `${where} SVC02`),
    amount(line.paidCents, `${where} SVC03`),
    line.revenueCode,
    quantity(line.unitsPaid, `${where} SVC05`),
    line.originalProcedure ? procedureComposite(w, line.originalProcedure) : undefined,
    quantity(line.originalUnits, `${where} SVC07`),
  );
  // DTM*472 is a single service date; a span is written as DTM*150 (start) + DTM*151 (end).
  if (line.serviceDate !== undefined && line.serviceDateEnd === undefined) {
    w.add('DTM', '472', date(line.serviceDate, `${where} DTM*472`));
  } else if (line.serviceDateEnd !== undefined) {
    if (line.serviceDate !== undefined) w.add('DTM', '150', date(line.serviceDate, `${where} DTM*150`));
    w.add('DTM', '151', date(line.serviceDateEnd, `${where} DTM*151`));
  }
  writeCas(w, line.adjustments, where);
  writeRefs(w, line.refs);
  for (const [qualifier, cents] of Object.entries(line.amounts)) {
    w.add('AMT', qualifier, amount(cents, `${where} AMT*${qualifier}`));
  }
  for (const code of line.remarkCodes) w.add('LQ', 'HE', code);
}

function writeClaim(w: SegmentWriter, claim: ClaimPayment): void {
  const where = `CLP ${claim.patientControlNumber}`;
  w.add(
    'CLP',
    claim.patientControlNumber,
    claim.statusCode,
    amount(claim.chargeCents, `${where} CLP03`),
    amount(claim.paidCents, `${where} CLP04`),
    amount(claim.patientResponsibilityCents, `${where} CLP05`),
    claim.filingIndicator,
    claim.payerClaimNumber,
    claim.facilityCode,
    claim.frequencyCode,
  );
  writeCas(w, claim.adjustments, where);
  writeNm1Party(w, claim.patient, 'QC');
  writeNm1Party(w, claim.insured, 'IL');
  writeNm1Party(w, claim.correctedPatient, '74');
  writeNm1Party(w, claim.renderingProvider, '82');
  if (claim.remarkCodes.length > MAX_MOA_REMARKS) {
    throw new X12BuildError(`${where}: MOA carries at most ${MAX_MOA_REMARKS} remark codes`);
  }
  // Professional remittances carry claim remarks in MOA03..MOA07 (MIA is for inpatient claims).
  if (claim.remarkCodes.length > 0) w.add('MOA', undefined, undefined, ...claim.remarkCodes);
  writeRefs(w, claim.refs);
  for (const [qualifier, iso] of Object.entries(claim.dates)) {
    w.add('DTM', qualifier, date(iso, `${where} DTM*${qualifier}`));
  }
  for (const [qualifier, cents] of Object.entries(claim.amounts)) {
    w.add('AMT', qualifier, amount(cents, `${where} AMT*${qualifier}`));
  }
  for (const [qualifier, value] of Object.entries(claim.quantities)) {
    w.add('QTY', qualifier, quantity(value, `${where} QTY*${qualifier}`));
  }
  claim.serviceLines.forEach((line, i) => {
    writeServiceLine(w, line, `${where} line ${i + 1}`);
  });
}

/** Writes PLB segments: consecutive adjustments of the same provider and fiscal date share a PLB, six at most. */
function writePlb(w: SegmentWriter, adjustments: ProviderAdjustment[]): void {
  let i = 0;
  while (i < adjustments.length) {
    const first = adjustments[i]!;
    const pairs: (string | ReturnType<SegmentWriter['composite']>)[] = [];
    let n = 0;
    while (
      i < adjustments.length &&
      n < MAX_PAIRS_PER_PLB &&
      adjustments[i]!.providerId === first.providerId &&
      adjustments[i]!.fiscalPeriodDate === first.fiscalPeriodDate
    ) {
      const a = adjustments[i]!;
      pairs.push(w.composite(a.reason, a.reference), amount(a.amountCents, `PLB ${a.reason}`));
      i++;
      n++;
    }
    w.add('PLB', first.providerId, date(first.fiscalPeriodDate, 'PLB02'), ...pairs);
  }
}

function writeTransaction(w: SegmentWriter, r: Remittance835): void {
  const start = w.count;
  if (!/^[A-Za-z0-9]{4,9}$/.test(r.transactionControlNumber)) {
    throw new X12BuildError(
      `transactionControlNumber "${r.transactionControlNumber}" must be 4 to 9 characters (ST02)`,
    );
  }
  w.add('ST', '835', r.transactionControlNumber, VERSION_835);
  // BPR05..BPR15 (DFI and account numbers) are not in the model and left empty; BPR16 is the payment date.
  w.add(
    'BPR',
    r.handlingCode,
    amount(r.paymentCents, 'BPR02'),
    r.creditDebit,
    r.paymentMethod,
    ...Array<undefined>(11).fill(undefined),
    date(r.paymentDate, 'BPR16'),
  );
  w.add('TRN', '1', r.traceNumber, r.traceOriginator);
  // REF*EV (receiver identification) precedes REF*F2 in the header (835 guide, table 1 order).
  const headerRefs = Object.entries(r.refs ?? {}).sort(([a], [b]) => (a === 'EV' ? -1 : b === 'EV' ? 1 : 0));
  for (const [qualifier, value] of headerRefs) w.add('REF', qualifier, value);
  if (r.productionDate !== undefined) w.add('DTM', '405', date(r.productionDate, 'DTM*405'));
  writeN1Party(w, r.payer, 'PR');
  writeN1Party(w, r.payee, 'PE');
  if (r.claims.length > 0) {
    // One LX header group per payment: the model does not keep the payer's optional LX grouping.
    w.add('LX', '1');
    for (const claim of r.claims) writeClaim(w, claim);
  }
  writePlb(w, r.providerAdjustments);
  // SE01 counts every segment of the transaction set, ST and SE included.
  w.add('SE', String(w.count - start + 1), r.transactionControlNumber);
}

/**
 * Builds one 005010X221A1 interchange holding every remittance as its own ST..SE transaction set, all in
 * one functional group (GS01 = HP).
 *
 * Envelope values (sender, receiver, ISA13, GS06) come from `opts` or else from the first remittance; the
 * interchange date from `opts.date` or else the first remittance's production or payment date, so the
 * output is a pure function of the input. Claim and line CAS are written one segment per group code (in
 * order of first appearance). The builder does not check balancing: it writes what it is given.
 *
 * @throws X12BuildError when a value cannot be written (bad date, a delimiter inside data, too many
 *   modifiers or remark codes, bad control numbers, no remittances).
 */
export function build835(remittances: Remittance835[], opts: Build835Options = {}): string {
  const first = remittances[0];
  if (!first) throw new X12BuildError('an interchange needs at least one remittance');
  const delimiters = resolveDelimiters(opts.delimiters);
  const env = resolveEnvelope({
    senderId: opts.senderId ?? first.senderId,
    receiverId: opts.receiverId ?? first.receiverId,
    senderQualifier: opts.senderQualifier,
    receiverQualifier: opts.receiverQualifier,
    interchangeControlNumber: opts.interchangeControlNumber ?? first.interchangeControlNumber,
    groupControlNumber: opts.groupControlNumber ?? first.groupControlNumber,
    date: opts.date ?? first.productionDate ?? first.paymentDate,
    time: opts.time,
    usageIndicator: opts.usageIndicator,
  });
  const w = new SegmentWriter(delimiters, opts.lineBreaks ?? false);
  writeEnvelopeHeader(w, env, 'HP', VERSION_835);
  const seen = new Set<string>();
  for (const r of remittances) {
    // ST02 must be unique within the functional group so SE02 and acknowledgments point at one set.
    if (seen.has(r.transactionControlNumber)) {
      throw new X12BuildError(
        `transactionControlNumber ${r.transactionControlNumber} is used twice in one group`,
      );
    }
    seen.add(r.transactionControlNumber);
    writeTransaction(w, r);
  }
  writeEnvelopeTrailer(w, env, remittances.length);
  return w.toString();
}
