/**
 * The payer/clearinghouse gateway: the one interface the activities use to talk to payers.
 * `createHttpPayerGateway` (http-gateway.ts) implements it over the clearinghouse-style REST API that
 * payer-sim serves (documented in payer-sim/README.md). Every call has a timeout; every error is a
 * `PayerGatewayError` whose `kind` tells Temporal whether to retry.
 */
import type { Cents } from '../../domain/money.js';

export interface SubmittedLine {
  lineNumber: number;
  procedureCode: string;
  modifiers: string[];
  units: number;
  chargeCents: Cents;
  serviceDate: string;
  diagnosisPointers?: number[];
}

/** What we send for an 837P. PHI lives only here and in Postgres, never in workflow ids or logs. */
export interface ClaimSubmission {
  /** Made in the workflow (stable across activity retries), sent as the Idempotency-Key header. */
  idempotencyKey: string;
  practiceId: string;
  claimId: string;
  /** CLM01, echoed back as CLP01 on the 835. */
  patientControlNumber: string;
  payerId: string;
  /** 1 original, 7 replacement (corrected), 8 void. */
  frequencyCode: '1' | '7' | '8';
  /** REF*F8 payer claim control number, required for frequency 7 and 8. */
  originalPayerClaimNumber?: string;
  billingProviderNpi: string;
  patient: { memberId: string; firstName: string; lastName: string; birthDate: string };
  dateOfService: string;
  totalChargeCents: Cents;
  diagnosisCodes: string[];
  lines: SubmittedLine[];
}

/** A 999/277CA-style front-end answer. A rejection never reached adjudication: it is not a denial. */
export type SubmissionResult =
  | { status: 'accepted'; clearinghouseClaimId: string; acceptedAt: string }
  | {
      status: 'rejected';
      clearinghouseClaimId: string;
      /** 277CA category: A3 returned as unprocessable, A6 missing info, A7 invalid, A8 rejected by payer. */
      category: 'A3' | 'A6' | 'A7' | 'A8';
      /** 277 status code (e.g. 21 missing/invalid information) and the field the edit failed on. */
      statusCode: string;
      field?: string;
      message: string;
    };

/** A 276/277 claim status answer. */
export interface ClaimStatusResult {
  /** 277 category: A1-A8, P0-P5, R0-R16, F0-F4, E0-E4, D0. A4 means "not found" (no record). */
  category: string;
  statusCode?: string;
  message: string;
  payerClaimNumber?: string;
  /** Date the payer says the status applies from. */
  effectiveDate: string;
  paidCents?: Cents;
}

export interface AppealSubmission {
  idempotencyKey: string;
  patientControlNumber: string;
  payerClaimNumber: string;
  level: number;
  grounds: string;
  attachments: string[];
}

export interface AppealSubmissionResult {
  appealId: string;
  receivedAt: string;
}

export interface AppealStatusResult {
  appealId: string;
  status: 'pending' | 'overturned' | 'upheld';
  decidedAt?: string;
  reason?: string;
}

/** One appeal packet (the merged PDF) and what the payer needs to file it with the claim. */
export interface AppealPacketDelivery {
  /** Made in the workflow, stable across retries: the payer keeps one packet per key. */
  idempotencyKey: string;
  payerId: string;
  patientControlNumber: string;
  payerClaimNumber: string;
  level: number;
  appealId?: string;
  /** SHA-256 of `pdf`; the payer checks it, so a damaged upload is refused rather than filed. */
  sha256: string;
  attachmentCount: number;
  pageCount: number;
  pdf: Uint8Array;
}

/** The payer's receipt for a packet. */
export interface AppealPacketReceipt {
  packetId: string;
  sha256: string;
  receivedAt: string;
}

export interface RemittanceListing {
  items: { id: string; payerId: string; producedAt: string; sizeBytes: number }[];
  /** Pass back as `after` to list only newer files; absent when nothing new. */
  nextCursor?: string;
}

export interface PayerGateway {
  submitClaim(claim: ClaimSubmission): Promise<SubmissionResult>;
  claimStatus(query: { payerId: string; patientControlNumber: string }): Promise<ClaimStatusResult>;
  submitAppeal(appeal: AppealSubmission): Promise<AppealSubmissionResult>;
  appealStatus(appealId: string): Promise<AppealStatusResult>;
  /** Sends an appeal packet PDF; the same idempotency key is filed once however often it is sent. */
  sendAppealPacket(packet: AppealPacketDelivery): Promise<AppealPacketReceipt>;
  listRemittances(after?: string): Promise<RemittanceListing>;
  /** The raw X12 835 text of one remittance file. */
  fetchRemittance(id: string): Promise<string>;
}

/**
 * How a gateway call failed. `retryable`: 5xx, timeouts, connection errors. `rate_limited`: 429 with the
 * Retry-After delay. `rejected`: the payer refused the request (4xx validation): retrying cannot help.
 */
export class PayerGatewayError extends Error {
  constructor(
    message: string,
    readonly kind: 'retryable' | 'rate_limited' | 'rejected',
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'PayerGatewayError';
  }
}
