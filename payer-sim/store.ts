/**
 * The simulator's state and its persistence. State lives in memory as one plain JSON-able object; with a
 * state file configured it is written (debounced, atomically through a temporary file and a rename) after
 * every change and read back at start, so a restarted demo continues where it stopped.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ClaimPayment } from '../domain/x12/index.js';
import type { SelectedScenario } from './adjudicate.js';
import type { PendingOffset, PendingPayment } from './check-run.js';
import type { FrontEndRejection } from './edits.js';
import type { ClaimBody } from './schemas.js';

/** The logger methods payer-sim uses; pino and Fastify's logger both fit. */
export interface SimLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A submission that passed the front-end edits. */
export interface AcceptedSubmission {
  clearinghouseClaimId: string;
  /** ISO instant. */
  acceptedAt: string;
  /** ISO day the payer received it (DTM*050). */
  receivedDate: string;
  /** Epoch ms after which the payer adjudicates it. */
  dueAt: number;
  claim: ClaimBody;
  scenario: SelectedScenario;
  /** The payer never received it (scenario `lost`): status A4, never adjudicated. */
  lost: boolean;
  /** Replacement or void: the CLP loop to reverse when this submission is adjudicated. */
  reverses?: ClaimPayment;
  /** Replacement or void: the payer claim number it replaces (REF*F8 on the new CLP). */
  replacesPayerClaimNumber?: string;
  adjudicatedAt?: string;
}

/** The adjudication in effect for a claim: the last CLP loop posted for it (not a reversal). */
export interface Adjudication {
  adjudicatedAt: string;
  payerClaimNumber: string;
  payment: ClaimPayment;
}

/** A second original (frequency 1) of a claim the payer already has: denied OA-18 as a duplicate. */
export interface DuplicateSubmission {
  clearinghouseClaimId: string;
  acceptedAt: string;
  receivedDate: string;
  dueAt: number;
  claim: ClaimBody;
  adjudicatedAt?: string;
  payerClaimNumber?: string;
}

/** One line of a claim's history at the payer (accepted, adjudicated, reversed, appeal decided...). */
export interface SimClaimEvent {
  at: string;
  event: string;
  detail?: string;
}

/** Everything the payer knows about one (payer id, patient control number). */
export interface SimClaim {
  payerId: string;
  patientControlNumber: string;
  billingProviderNpi: string;
  /** Distinct submissions (each new Idempotency-Key), accepted or rejected; replays do not count. */
  submissions: number;
  rejectedSubmissions: number;
  duplicateSubmissions: number;
  lastRejection?: FrontEndRejection & { at: string; clearinghouseClaimId: string };
  current?: AcceptedSubmission;
  adjudication?: Adjudication;
  voided: boolean;
  /** Every payer claim number (CLP07) issued for this claim, oldest first. */
  payerClaimNumbers: string[];
  duplicates: DuplicateSubmission[];
  remittanceIds: string[];
  events: SimClaimEvent[];
}

/** An appeal as the payer keeps it. */
export interface SimAppeal {
  appealId: string;
  claimKey: string;
  patientControlNumber: string;
  payerClaimNumber: string;
  level: number;
  attachmentCount: number;
  receivedAt: string;
  /** Epoch ms after which the payer decides. */
  decideAt: number;
  status: 'pending' | 'overturned' | 'upheld';
  decidedAt?: string;
  reason?: string;
}

/** An appeal packet (one merged PDF) as the payer received it; one record per Idempotency-Key. */
export interface SimAppealPacket {
  packetId: string;
  idempotencyKey: string;
  /** SHA-256 of the canonical metadata: the same key with other content is refused. */
  fingerprint: string;
  payerId: string;
  patientControlNumber: string;
  payerClaimNumber: string;
  level: number;
  appealId?: string;
  sha256: string;
  sizeBytes: number;
  attachmentCount?: number;
  pageCount?: number;
  receivedAt: string;
  /** Requests that carried this key, the first included; replays raise it, never the packet count. */
  deliveries: number;
}

/** The stored answer of an idempotent request, replayed for the same key and body. */
export interface IdempotencyRecord {
  operation: 'submitClaim' | 'submitAppeal';
  /** SHA-256 of the canonical JSON body. */
  fingerprint: string;
  statusCode: number;
  body: unknown;
  at: string;
}

/** Work the payer does one cycle after an adjudication. */
export type ScheduledEvent =
  | { kind: 'reverse_and_repost'; claimKey: string; dueAt: number; allowedPercent: number }
  | { kind: 'recoupment'; claimKey: string; dueAt: number; amountCents: number; payerClaimNumber: string };

/** A produced 835 file and what it holds. */
export interface RemittanceFile {
  id: string;
  seq: number;
  payerId: string;
  producedAt: string;
  /** The X12 835 interchange. */
  body: string;
  traceNumbers: string[];
  patientControlNumbers: string[];
}

/** Everything the simulated payer knows; plain JSON, so it can be saved and restored as is. */
export interface SimState {
  version: 1;
  /**
   * Epoch ms when this state was created. Identifiers (remittance ids, TRN02, CLP07) embed it, so a reset
   * sim never reissues an identifier a consumer has already posted.
   */
  epoch: number;
  sequences: {
    clearinghouse: number;
    payerClaim: number;
    appeal: number;
    remittance: number;
    trace: number;
    interchange: number;
  };
  claims: Record<string, SimClaim>;
  idempotency: Record<string, IdempotencyRecord>;
  appeals: Record<string, SimAppeal>;
  remittances: RemittanceFile[];
  pendingPayments: PendingPayment[];
  offsets: PendingOffset[];
  scheduled: ScheduledEvent[];
  /** Appeal packets received, by Idempotency-Key (absent in state files written before packets existed). */
  appealPackets?: Record<string, SimAppealPacket>;
}

/** A fresh, empty state created at `now` (epoch ms). */
export function emptyState(now: number): SimState {
  return {
    version: 1,
    epoch: now,
    sequences: { clearinghouse: 0, payerClaim: 0, appeal: 0, remittance: 0, trace: 0, interchange: 0 },
    claims: {},
    idempotency: {},
    appeals: {},
    remittances: [],
    pendingPayments: [],
    offsets: [],
    scheduled: [],
  };
}

/** Thrown when the state file exists but is not a payer-sim state this version can read. */
export class StateFileError extends Error {
  readonly type = 'state_file_invalid';
}

function isSimState(value: unknown): value is SimState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.version === 1 &&
    typeof v.epoch === 'number' &&
    typeof v.sequences === 'object' &&
    typeof v.claims === 'object' &&
    typeof v.idempotency === 'object' &&
    typeof v.appeals === 'object' &&
    Array.isArray(v.remittances) &&
    Array.isArray(v.pendingPayments) &&
    Array.isArray(v.offsets) &&
    Array.isArray(v.scheduled)
  );
}

/** Debounced, atomic, serialized writes of the state to one JSON file. */
export class StateFile {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private latest: SimState | undefined;

  constructor(
    readonly path: string,
    private readonly log: SimLogger,
    private readonly debounceMs = 500,
  ) {}

  /** Reads the state file; undefined when it does not exist yet. Runs once at start, so it is synchronous. */
  load(): SimState | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StateFileError(`cannot read state file ${this.path}: ${(err as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new StateFileError(`state file ${this.path} is not JSON: ${(err as Error).message}`);
    }
    if (!isSimState(parsed)) {
      throw new StateFileError(`state file ${this.path} is not a payer-sim state (version 1); move it away`);
    }
    return parsed;
  }

  /** Saves `state` soon; many changes in a burst cost one write. */
  scheduleSave(state: SimState): void {
    this.latest = state;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.write();
    }, this.debounceMs);
    this.timer.unref();
  }

  /** Writes any pending change now and waits for every write to finish (used at shutdown). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.write();
    }
    await this.writing;
  }

  private write(): Promise<void> {
    const state = this.latest;
    if (!state) return this.writing;
    this.latest = undefined;
    const json = JSON.stringify(state);
    // Writes are chained so an older snapshot can never overwrite a newer one.
    this.writing = this.writing.then(async () => {
      try {
        await mkdir(dirname(this.path), { recursive: true });
        const tmp = `${this.path}.${process.pid}.tmp`;
        await writeFile(tmp, json);
        await rename(tmp, this.path);
      } catch (err) {
        this.log.error({ err, stateFile: this.path }, 'payer-sim state could not be saved');
      }
    });
    return this.writing;
  }
}
