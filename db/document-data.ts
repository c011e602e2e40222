/**
 * Loads the data a document shows from the claim's rows (domain/document-data.ts shapes), for the
 * document activities and the API's template preview alike. Refusals are `DocumentDataMissing` errors
 * with a failure type and the field they are about; callers map them to a failure or a 4xx.
 */

import { categoryOf, type DenialCategory, isExpectedAdjustment } from '../domain/carc.js';
import { addDays, dateToMs, isoDate } from '../domain/dates.js';
import type {
  AppealPacketData,
  Letterhead,
  PatientStatementData,
  StatementLine,
  SubmissionEvent,
} from '../domain/document-data.js';
import { FailureType } from '../domain/failures.js';
import { DEFAULT_RULES, type PayerType } from '../domain/payer-rules.js';
import type { Attachment } from './attachments.js';
import { attachmentsByIds } from './attachments.js';
import { getClaimByUuid, getClaimLines } from './claims.js';
import { getGuarantor, getPayerDocumentSettings, getPracticeDocumentSettings } from './document-settings.js';
import { statementIdOf } from './documents.js';
import { rulesInForce } from './payer-rules.js';
import type { Db } from './pool.js';
import type { StatementRequest } from './records.js';

/** Data a document needs is missing or not this claim's. */
export class DocumentDataMissing extends Error {
  constructor(
    readonly type: FailureType,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DocumentDataMissing';
  }
}

function refuse(type: FailureType, message: string, field?: string): never {
  throw new DocumentDataMissing(type, message, field);
}

/** What an appeal letter is about: the claim, the level, the biller's grounds and chosen attachments. */
export interface AppealLetterRequest {
  claimUuid: string;
  level: number;
  grounds: string;
  attachmentIds: string[];
  /** ISO instant of the appeal deadline. */
  deadline: string;
  /** ISO instant the appeal is filed. */
  filedAt: string;
  actor: string;
}

export async function loadLetterhead(db: Db, practiceId: string): Promise<Letterhead> {
  const practice = await db
    .selectFrom('practices')
    .selectAll()
    .where('id', '=', practiceId)
    .executeTakeFirst();
  const settings = await getPracticeDocumentSettings(db, practiceId);
  if (!practice || !settings) {
    refuse(
      FailureType.DocumentDataInvalid,
      `Practice ${practiceId} has no letterhead (address and phone): set its document settings first.`,
      'letterhead',
    );
  }
  return {
    practiceName: practice.name,
    npi: practice.npi,
    taxId: practice.tax_id ?? undefined,
    address: settings.address,
    phone: settings.phone,
    fax: settings.fax,
    email: settings.email,
  };
}

/** The submission history of a claim, read back from its audit trail. */
export async function submissionHistory(db: Db, claimUuid: string): Promise<SubmissionEvent[]> {
  const rows = await db
    .selectFrom('claim_events')
    .select(['at', 'kind', 'to_status', 'reason', 'data'])
    .where('claim_id', '=', claimUuid)
    .orderBy('id')
    .execute();
  const out: SubmissionEvent[] = [];
  for (const r of rows) {
    const at = r.at.toISOString();
    const accepted = /accepted by the clearinghouse \(([^)]+)\)/.exec(r.reason ?? '');
    if (r.to_status === 'AWAITING_ADJUDICATION' && accepted) {
      const submission = Number((r.data as { submission?: number } | null)?.submission ?? 1);
      out.push({ at, kind: submission > 1 ? 'RESUBMITTED' : 'SUBMITTED', clearinghouseClaimId: accepted[1] });
      out.push({ at, kind: 'ACCEPTED', clearinghouseClaimId: accepted[1] });
    } else if (r.to_status === 'NEEDS_CORRECTION') {
      out.push({ at, kind: 'REJECTED', detail: r.reason ?? undefined });
    } else if (r.kind === 'STATUS_INQUIRY') {
      out.push({ at, kind: 'STATUS_INQUIRY', detail: r.reason ?? undefined });
    }
  }
  return out;
}

/**
 * Loads everything an appeal packet shows, from the claim's rows: letterhead, payer, patient, claim,
 * the denial (from the latest posting that is not a reversal), the remittance excerpt and, for a
 * timely-filing denial, the submission history. The attachments come back as rows in the order asked;
 * their bytes are the caller's to read from the attachment store.
 */
export async function loadAppealPacketData(
  db: Db,
  req: AppealLetterRequest,
): Promise<{ data: AppealPacketData; attachments: Attachment[] }> {
  const claim = await getClaimByUuid(db, req.claimUuid);
  if (!claim) refuse(FailureType.ClaimNotFound, `claim ${req.claimUuid} not found`);
  const [lines, patient, payer, letterhead, payerSettings] = await Promise.all([
    getClaimLines(db, claim.id),
    db.selectFrom('patients').selectAll().where('id', '=', claim.patient_id).executeTakeFirstOrThrow(),
    db.selectFrom('payers').selectAll().where('id', '=', claim.payer_id).executeTakeFirstOrThrow(),
    loadLetterhead(db, claim.practice_id),
    getPayerDocumentSettings(db, claim.payer_id),
  ]);
  const payment = await db
    .selectFrom('claim_payments')
    .innerJoin('remittances', 'remittances.id', 'claim_payments.remittance_id')
    .select([
      'claim_payments.id',
      'claim_payments.trace_number',
      'claim_payments.payer_claim_number',
      'claim_payments.status_code',
      'claim_payments.charge_cents',
      'claim_payments.paid_cents',
      'claim_payments.patient_responsibility_cents',
      'claim_payments.remark_codes',
      'remittances.payment_date',
    ])
    .where('claim_payments.claim_id', '=', claim.id)
    .where('claim_payments.is_reversal', '=', false)
    .orderBy('claim_payments.posted_at', 'desc')
    .executeTakeFirst();
  if (!payment) {
    refuse(FailureType.DocumentDataInvalid, 'The claim has no posted remittance to appeal.', 'remittance');
  }
  const adjustments = await db
    .selectFrom('claim_adjustments')
    .selectAll()
    .where('claim_payment_id', '=', payment.id)
    .orderBy('id')
    .execute();
  const adj = (a: (typeof adjustments)[number]) => ({
    group: a.group_code,
    carc: a.reason_code,
    amountCents: a.amount_cents,
  });
  const denials = adjustments.filter((a) => !isExpectedAdjustment(a.group_code, a.reason_code));
  const rarcs = [...new Set([...payment.remark_codes, ...adjustments.flatMap((a) => a.remark_codes)])];
  const category = (claim.denial_category ?? categoryOf(denials[0]?.reason_code ?? '')) as DenialCategory;

  const { found, missing } = await attachmentsByIds(db, claim.id, req.attachmentIds);
  if (missing.length > 0) {
    refuse(
      FailureType.AttachmentNotFound,
      `Attachment ${missing[0]} is not one of this claim's attachments.`,
      `attachmentIds[${req.attachmentIds.indexOf(missing[0]!)}]`,
    );
  }
  const payerType = payer.payer_type as PayerType;
  let priorDecision: AppealPacketData['appeal']['priorDecision'];
  if (req.level > 1) {
    const prior = await db
      .selectFrom('appeals')
      .select(['decided_at', 'payer_appeal_id'])
      .where('claim_id', '=', claim.id)
      .where('level', '=', req.level - 1)
      .executeTakeFirst();
    if (prior?.decided_at) {
      priorDecision = { date: isoDate(prior.decided_at), reference: prior.payer_appeal_id ?? undefined };
    }
  }
  const data: AppealPacketData = {
    letterhead,
    payer: {
      id: payer.id,
      name: payer.name,
      type: payerType,
      appealAddress: payerSettings.appealAddress,
      planAppealRights: payerSettings.planAppealRights,
      contractorName: payerSettings.contractorName,
    },
    patient: {
      firstName: patient.first_name,
      lastName: patient.last_name,
      birthDate: patient.birth_date,
      memberId: patient.member_id,
    },
    claim: {
      claimId: claim.claim_id,
      patientControlNumber: claim.patient_control_number,
      payerClaimNumber: claim.payer_claim_number ?? payment.payer_claim_number,
      dateOfService: claim.date_of_service,
      totalChargeCents: claim.total_charge_cents,
      billingProviderNpi: claim.billing_provider_npi,
      diagnosisCodes: claim.diagnosis_codes,
      lines: lines.map((l) => ({
        lineNumber: l.line_number,
        procedureCode: l.procedure_code,
        modifiers: l.modifiers,
        units: l.units,
        chargeCents: l.charge_cents,
        dateOfService: l.service_date,
      })),
    },
    denial: {
      denialDate: payment.payment_date,
      category,
      adjustments: denials.map(adj),
      rarcs,
      deniedAmountCents: denials.reduce((n, a) => n + a.amount_cents, 0),
    },
    appeal: {
      level: req.level,
      deadline: req.deadline.slice(0, 10),
      grounds: req.grounds,
      filedOn: req.filedAt.slice(0, 10),
      requester: { name: req.actor },
      priorDecision,
    },
    remittance: {
      payerName: payer.name,
      checkOrEftNumber: payment.trace_number,
      paymentDate: payment.payment_date,
      claimStatusCode: payment.status_code,
      payerClaimNumber: payment.payer_claim_number,
      chargeCents: payment.charge_cents,
      paidCents: payment.paid_cents,
      patientResponsibilityCents: payment.patient_responsibility_cents,
      claimAdjustments: adjustments.filter((a) => a.line_number === null).map(adj),
      lines: lines.map((l) => {
        const own = adjustments.filter((a) => a.line_number === l.line_number);
        return {
          lineNumber: l.line_number,
          procedureCode: l.procedure_code,
          chargeCents: l.charge_cents,
          // An 835 service line balances: charge minus its adjustments is what was paid on it.
          paidCents: Math.max(0, l.charge_cents - own.reduce((n, a) => n + a.amount_cents, 0)),
          adjustments: own.map(adj),
          rarcs: [...new Set(own.flatMap((a) => a.remark_codes))],
        };
      }),
    },
    attachments: [],
  };
  if (category === 'TIMELY_FILING') {
    const rules =
      (await rulesInForce(db, claim.payer_id, claim.practice_id, claim.date_of_service)) ??
      DEFAULT_RULES[payerType];
    data.submissionHistory = await submissionHistory(db, claim.id);
    data.timelyFilingDeadline = isoDate(addDays(dateToMs(claim.date_of_service), rules.timelyFilingDays));
  }
  return { data, attachments: found };
}

/** Creates the document activities. */
export async function latestPayerClaimNumber(db: Db, claimUuid: string): Promise<string> {
  const row = await db
    .selectFrom('claim_payments')
    .select('payer_claim_number')
    .where('claim_id', '=', claimUuid)
    .where('is_reversal', '=', false)
    .orderBy('posted_at', 'desc')
    .executeTakeFirst();
  return row?.payer_claim_number ?? 'unknown';
}

/** The statement's figures from the claim's lines, its latest remittance and the patient's payments. */
export async function loadStatementData(
  db: Db,
  req: StatementRequest & { sequence: number },
): Promise<PatientStatementData | undefined> {
  const claim = await getClaimByUuid(db, req.claimUuid);
  if (!claim) refuse(FailureType.ClaimNotFound, `claim ${req.claimUuid} not found`);
  const guarantor = await getGuarantor(db, claim.patient_id);
  if (!guarantor) return undefined;
  const [patient, payer, lines, settings, letterhead] = await Promise.all([
    db.selectFrom('patients').selectAll().where('id', '=', claim.patient_id).executeTakeFirstOrThrow(),
    db.selectFrom('payers').selectAll().where('id', '=', claim.payer_id).executeTakeFirstOrThrow(),
    getClaimLines(db, claim.id),
    getPracticeDocumentSettings(db, claim.practice_id),
    loadLetterhead(db, claim.practice_id),
  ]);
  const payment = await db
    .selectFrom('claim_payments')
    .select(['id'])
    .where('claim_id', '=', claim.id)
    .where('is_reversal', '=', false)
    .orderBy('posted_at', 'desc')
    .executeTakeFirst();
  const adjustments = payment
    ? await db
        .selectFrom('claim_adjustments')
        .selectAll()
        .where('claim_payment_id', '=', payment.id)
        .execute()
    : [];
  const patientPayments = await db
    .selectFrom('patient_payments')
    .select((eb) => eb.fn.sum<number>('amount_cents').as('paid'))
    .where('claim_id', '=', claim.id)
    .executeTakeFirst();
  // The patient-payment ledger, not the claim row's total: the row is the workflow's projection and can
  // trail a payment just posted, which would show the patient's money as an insurance adjustment.
  const patientPaidTotal = Number(patientPayments?.paid ?? 0);
  let patientPaidLeft = patientPaidTotal;
  const dos = claim.date_of_service;
  const perLine: StatementLine[] = lines.map((l) => {
    const own = adjustments.filter((a) => a.line_number === l.line_number);
    const adjusted = own.filter((a) => a.group_code !== 'PR').reduce((n, a) => n + a.amount_cents, 0);
    const patientShare = own.filter((a) => a.group_code === 'PR').reduce((n, a) => n + a.amount_cents, 0);
    const paid = Math.max(0, l.charge_cents - adjusted - patientShare);
    const patientPaid = Math.min(patientPaidLeft, patientShare);
    patientPaidLeft -= patientPaid;
    return {
      dateOfService: l.service_date,
      // Procedure descriptions are licensed text: the statement says what kind of line it is and its code.
      description: `Medical service, procedure code ${l.procedure_code}`,
      chargeCents: l.charge_cents,
      insurancePaidCents: paid,
      insuranceAdjustedCents: adjusted,
      patientPaidCents: patientPaid,
      patientOwesCents: l.charge_cents - paid - adjusted - patientPaid,
    };
  });
  const owed = perLine.reduce((n, l) => n + l.patientOwesCents, 0);
  // When line-level figures cannot explain the balance (claim-level adjustments, write-offs), one line
  // for the visit shows the claim's totals so the statement always adds up to what is due.
  const statementLines: StatementLine[] =
    owed === req.amountDueCents
      ? perLine
      : [
          {
            dateOfService: dos,
            description: 'Medical services on this date',
            chargeCents: claim.total_charge_cents,
            insurancePaidCents: claim.paid_cents,
            insuranceAdjustedCents:
              claim.total_charge_cents - claim.paid_cents - patientPaidTotal - req.amountDueCents,
            patientPaidCents: patientPaidTotal,
            patientOwesCents: req.amountDueCents,
          },
        ];
  const statementDate = req.at.slice(0, 10);
  const dueDate = req.dueDate ?? isoDate(addDays(dateToMs(statementDate), 30));
  let finalNotice: PatientStatementData['finalNotice'];
  if (req.kind === 'FINAL_NOTICE') {
    const first = await db
      .selectFrom('patient_statements')
      .select('sent_at')
      .where('claim_id', '=', claim.id)
      .orderBy('sent_at')
      .executeTakeFirst();
    const rules =
      (await rulesInForce(db, claim.payer_id, claim.practice_id, dos)) ??
      DEFAULT_RULES[payer.payer_type as PayerType];
    const firstMs = first ? first.sent_at.getTime() : dateToMs(statementDate);
    // Collections no earlier than the 501(r) floor after the first statement, 30 days after this notice,
    // and never before the notice's own due date (docs/dunning.md).
    const actionMs = Math.max(
      addDays(firstMs, rules.collectionsAfterDays),
      addDays(dateToMs(statementDate), 30),
      dateToMs(dueDate),
    );
    finalNotice = {
      actionDate: isoDate(actionMs),
      action: 'the balance may be referred to a collection agency.',
    };
  }
  return {
    statementId: statementIdOf(claim.claim_id, req.statementKey),
    kind: req.kind as PatientStatementData['kind'],
    sequence: req.sequence,
    statementDate,
    dueDate,
    letterhead,
    patient: { firstName: patient.first_name, lastName: patient.last_name, accountNumber: claim.claim_id },
    guarantor,
    payerName: payer.name,
    lines: statementLines,
    amountDueCents: req.amountDueCents,
    paymentOptions: {
      online: settings?.paymentUrl,
      phone: settings?.paymentPhone ?? letterhead.phone,
      mailTo: letterhead.address,
      paymentPlan: settings?.paymentPlanText,
    },
    financialAssistance: {
      summary: settings?.financialAssistanceSummary ?? '',
      howToApply: settings?.financialAssistanceHowToApply ?? '',
    },
    finalNotice,
  };
}
