import type { Cents } from './money.js';

/** The identity of a claim as the workflows carry it: ids and amounts, never patient details. */
export interface ClaimRef {
  /** claims.id (uuid) */
  claimUuid: string;
  practiceId: string;
  /** The practice's claim id; also the patient control number (CLM01). */
  claimId: string;
  patientControlNumber: string;
  payerId: string;
  dateOfService: string;
  totalChargeCents: Cents;
}
