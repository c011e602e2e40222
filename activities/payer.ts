/**
 * Payer activities: the claim (837P), the claim status inquiry (276/277) and appeals, through the payer
 * gateway (activities/payer/). Payer errors become retry decisions (failures.ts).
 */
import { recordAppealDecision, recordAppealFiled } from '../db/appeals.js';
import { getClaimByUuid, getClaimLines, getClaimPatient } from '../db/claims.js';
import type { ActivityDeps } from './deps.js';
import { callPayer, claimNotFound } from './failures.js';

export function createPayerActivities({ db, payer, log }: ActivityDeps) {
  return {
    async submitClaim(input: { claimUuid: string; idempotencyKey: string; frequencyCode: '1' | '7' }) {
      const claim = await getClaimByUuid(db, input.claimUuid);
      if (!claim) throw claimNotFound(input.claimUuid);
      const [lines, patient] = await Promise.all([getClaimLines(db, claim.id), getClaimPatient(db, claim)]);
      log.info(
        { claimId: claim.claim_id, practiceId: claim.practice_id, frequency: input.frequencyCode },
        'submitting claim',
      );
      return callPayer(() =>
        payer.submitClaim({
          idempotencyKey: input.idempotencyKey,
          practiceId: claim.practice_id,
          claimId: claim.claim_id,
          patientControlNumber: claim.patient_control_number,
          payerId: claim.payer_id,
          frequencyCode: input.frequencyCode,
          originalPayerClaimNumber:
            input.frequencyCode === '7' ? (claim.payer_claim_number ?? undefined) : undefined,
          billingProviderNpi: claim.billing_provider_npi,
          patient: {
            memberId: patient.member_id,
            firstName: patient.first_name,
            lastName: patient.last_name,
            birthDate: patient.birth_date,
          },
          dateOfService: claim.date_of_service,
          totalChargeCents: claim.total_charge_cents,
          // ICD-10 codes travel in X12 (837P HI) without their decimal point.
          diagnosisCodes: claim.diagnosis_codes.map((c) => c.replace('.', '')),
          lines: lines.map((l) => ({
            lineNumber: l.line_number,
            procedureCode: l.procedure_code,
            modifiers: l.modifiers,
            units: l.units,
            chargeCents: l.charge_cents,
            serviceDate: l.service_date,
            diagnosisPointers: l.diagnosis_pointers,
          })),
        }),
      );
    },

    async claimStatusInquiry(input: { payerId: string; patientControlNumber: string }) {
      return callPayer(() => payer.claimStatus(input));
    },

    /** Files the appeal with the payer, then records it (keyed by claim and level, so a retry is harmless). */
    async submitAppeal(input: {
      claimUuid: string;
      level: number;
      grounds: string;
      attachments: string[];
      idempotencyKey: string;
      deadline: string;
      actor: string;
    }): Promise<{ appealId: string; receivedAt: string }> {
      const claim = await getClaimByUuid(db, input.claimUuid);
      if (!claim) throw claimNotFound(input.claimUuid);
      const result = await callPayer(() =>
        payer.submitAppeal({
          idempotencyKey: input.idempotencyKey,
          patientControlNumber: claim.patient_control_number,
          payerClaimNumber: claim.payer_claim_number ?? '',
          level: input.level,
          grounds: input.grounds,
          attachments: input.attachments,
        }),
      );
      await recordAppealFiled(db, {
        claimUuid: claim.id,
        level: input.level,
        grounds: input.grounds,
        attachments: input.attachments,
        deadline: input.deadline,
        payerAppealId: result.appealId,
        filedBy: input.actor,
        filedAt: result.receivedAt,
      });
      return { appealId: result.appealId, receivedAt: result.receivedAt };
    },

    async appealStatus(input: { appealId: string }) {
      return callPayer(() => payer.appealStatus(input.appealId));
    },

    async recordAppealDecision(input: {
      claimUuid: string;
      level: number;
      outcome: 'overturned' | 'upheld';
      reason: string | null;
      decidedAt: string;
    }): Promise<void> {
      await recordAppealDecision(db, input);
    },
  };
}
