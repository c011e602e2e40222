/**
 * The simulated clearinghouse + payer: accepts or rejects claims, adjudicates them when they fall due,
 * runs check runs that write 835 files, answers claim status (276/277) and decides appeals. It holds no
 * HTTP concerns (app.ts maps its answers to responses) and reads time only through the injected clock.
 *
 * Time is lazy: every call first catches up with the work that fell due (`advance`), and app.ts also calls
 * `advance` on a timer, so the answers are the same whether or not the background timer ran.
 */
import { createHash } from 'node:crypto';
import { build835, type ClaimPayment } from '../domain/x12/index.js';
import {
  adjudicate,
  decideAppeal,
  denialAdjustments,
  finalizedCategory,
  interestCents,
  movedMoney,
  recoupmentCents,
  reverseClaimPayment,
  type SelectedScenario,
  selectScenario,
} from './adjudicate.js';
import { type PendingPayment, runCheck } from './check-run.js';
import type { SimControls } from './config.js';
import { correctedScenario } from './corrections.js';
import { isoDay } from './dates.js';
import { type FrontEndRejection, frontEndEdits } from './edits.js';
import type { ScenarioRule } from './scenarios.js';
import type {
  AppealBody,
  AppealStatusResult,
  ClaimBody,
  ClaimStatusResult,
  ErrorBody,
  RemittanceListing,
  SubmissionResult,
} from './schemas.js';
import {
  type AcceptedSubmission,
  emptyState,
  type IdempotencyRecord,
  type RemittanceFile,
  type SimAppeal,
  type SimClaim,
  type SimLogger,
  type SimState,
} from './store.js';

/** An answer of the simulated API: an HTTP status and a JSON body. */
export interface SimAnswer<T> {
  statusCode: number;
  body: T | ErrorBody;
  /** True when the body is the stored answer of an earlier request with the same Idempotency-Key. */
  replayed?: boolean;
}

/** What one `advance` did. */
export interface AdvanceSummary {
  adjudicated: number;
  followUps: number;
  appealsDecided: number;
  remittanceIds: string[];
}

/** What the simulator is built from: its state, scenario rules, live controls, clock, logger, persistence hook. */
export interface PayerSimulatorDeps {
  state: SimState;
  rules: readonly ScenarioRule[];
  /** The live runtime controls (PUT /sim/config changes this object). */
  controls: SimControls;
  now: () => number;
  log: SimLogger;
  envelope: { senderId: string; receiverId: string };
  /** Called after every change of the state (persistence). */
  onChange: (state: SimState) => void;
}

/** What payer-sim decided about a claim, for tests and demos (`GET /sim/claims/:pcn`). No PHI. */
export interface SimClaimView {
  patientControlNumber: string;
  payerId: string;
  submissions: number;
  rejectedSubmissions: number;
  duplicateSubmissions: number;
  state: 'rejected' | 'lost' | 'pending' | 'adjudicated' | 'voided';
  scenario?: string;
  outcome?: string;
  lastRejection?: FrontEndRejection;
  statusCategory: string;
  payerClaimNumber?: string;
  payerClaimNumbers: string[];
  claimStatusCode?: string;
  chargeCents?: number;
  paidCents?: number;
  patientResponsibilityCents?: number;
  adjustments: { lineNumber?: number; group: string; reason: string; amountCents: number }[];
  remarkCodes: string[];
  dueAt?: string;
  appeals: { appealId: string; level: number; status: string; reason?: string }[];
  remittanceIds: string[];
  events: { at: string; event: string; detail?: string }[];
}

/** `GET /sim/ledger`: what the payer received and produced (no PHI). */
export interface SimLedger {
  claims: {
    payerId: string;
    patientControlNumber: string;
    /** Distinct submissions (each new Idempotency-Key); replays of a key do not count. */
    submissions: number;
    rejectedSubmissions: number;
    /** Second originals of a claim already on file (a client that filed twice with new keys). */
    duplicateSubmissions: number;
    voided: boolean;
    payerClaimNumbers: string[];
    remittanceIds: string[];
  }[];
  /** Every stored Idempotency-Key (only answers that created something are stored). */
  idempotencyKeys: {
    key: string;
    operation: 'submitClaim' | 'submitAppeal';
    statusCode: number;
    at: string;
  }[];
  appeals: {
    appealId: string;
    patientControlNumber: string;
    payerClaimNumber: string;
    level: number;
    status: string;
  }[];
  remittances: {
    id: string;
    payerId: string;
    producedAt: string;
    traceNumbers: string[];
    patientControlNumbers: string[];
  }[];
}

const DUPLICATE_SCENARIO: SelectedScenario = {
  name: 'duplicate-submission',
  outcome: { kind: 'denied', group: 'OA', reason: '18', scope: 'claim', claimStatus: '4' },
  allowedPercent: 80,
  delayFactor: 1,
};

/** Canonical JSON (sorted keys), so the same body always has the same fingerprint. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function fingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function claimKey(payerId: string, patientControlNumber: string): string {
  return JSON.stringify([payerId, patientControlNumber]);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The clearinghouse and payer behind payer-sim's HTTP API. */
export class PayerSimulator {
  private state: SimState;
  /** Claims with an adjudication (or duplicate) not yet done; avoids scanning every claim per request. */
  private pendingClaims = new Set<string>();
  private pendingAppeals = new Set<string>();
  /** Earliest instant any pending work falls due; `advance` before it is free. */
  private nextDueAt = Number.POSITIVE_INFINITY;

  constructor(private readonly deps: PayerSimulatorDeps) {
    this.state = deps.state;
    this.reindex();
  }

  /** The state, for persistence and tests. */
  get snapshot(): SimState {
    return this.state;
  }

  /** Forgets everything: a fresh state with a new epoch (so no identifier is ever reissued). */
  reset(): void {
    this.state = emptyState(this.deps.now());
    this.reindex();
    this.changed();
  }

  // ---- claims ---------------------------------------------------------------------------------------

  /**
   * POST /v1/claims. Front-end edits first (a rejection is an answer, not an error), then acceptance.
   * The Idempotency-Key makes a retried submission return the stored answer and never file the claim twice.
   */
  submitClaim(idempotencyKey: string, claim: ClaimBody): SimAnswer<SubmissionResult> {
    return this.idempotent<SubmissionResult>('submitClaim', idempotencyKey, claim, () => {
      const now = this.deps.now();
      this.advance(now);
      const at = iso(now);
      const today = isoDay(now);
      const key = claimKey(claim.payerId, claim.patientControlNumber);
      let record = this.state.claims[key];
      if (!record) {
        record = {
          payerId: claim.payerId,
          patientControlNumber: claim.patientControlNumber,
          billingProviderNpi: claim.billingProviderNpi,
          submissions: 0,
          rejectedSubmissions: 0,
          duplicateSubmissions: 0,
          voided: false,
          payerClaimNumbers: [],
          duplicates: [],
          remittanceIds: [],
          events: [],
        };
        this.state.claims[key] = record;
      }
      record.submissions += 1;
      const clearinghouseClaimId = this.nextClearinghouseClaimId();
      // Pure and cheap, so it is chosen even for a claim the edits refuse; rules may reject at the front end.
      let scenario = selectScenario(claim, this.deps.rules, {
        receivedDate: today,
        priorLost: record.current?.lost === true,
      });
      // A replacement is judged against what the payer denied: fixed, it is paid; unchanged, denied again.
      if (claim.frequencyCode === '7' && record.current && record.adjudication) {
        scenario = correctedScenario(
          scenario,
          { claim: record.current.claim, payment: record.adjudication.payment },
          claim,
        );
      }
      let rejection = frontEndEdits(claim, today) ?? this.relationalEdit(record, claim);
      if (!rejection && scenario.outcome.kind === 'front_end_rejection') {
        const { category, statusCode, field, message } = scenario.outcome;
        rejection =
          field === undefined ? { category, statusCode, message } : { category, statusCode, field, message };
      }
      if (rejection) {
        const r = rejection;
        record.rejectedSubmissions += 1;
        record.lastRejection = { ...r, at, clearinghouseClaimId };
        this.event(record, at, 'rejected', `${r.category}:${r.statusCode} ${r.field ?? ''}`.trim());
        this.deps.log.info(
          {
            payerId: claim.payerId,
            patientControlNumber: claim.patientControlNumber,
            category: r.category,
            field: r.field,
          },
          'claim rejected by front-end edits',
        );
        return { statusCode: 200, body: { status: 'rejected', clearinghouseClaimId, ...r } };
      }
      this.accept(key, record, claim, scenario, clearinghouseClaimId, now);
      return { statusCode: 200, body: { status: 'accepted', clearinghouseClaimId, acceptedAt: at } };
    });
  }

  /** Replacement and void claims must name the payer claim number currently in effect for this claim. */
  private relationalEdit(record: SimClaim, claim: ClaimBody): FrontEndRejection | undefined {
    if (claim.frequencyCode === '1') return undefined;
    const original = claim.originalPayerClaimNumber ?? '';
    const field = 'originalPayerClaimNumber';
    if (!record.adjudication || !record.payerClaimNumbers.includes(original)) {
      return {
        category: 'A8',
        statusCode: '464',
        field,
        message: `No adjudicated claim with payer claim number ${original} for this patient control number.`,
      };
    }
    if (record.voided) {
      return { category: 'A8', statusCode: '464', field, message: `Claim ${original} was voided.` };
    }
    if (record.adjudication.payerClaimNumber !== original) {
      return {
        category: 'A8',
        statusCode: '495',
        field,
        message: `Claim ${original} was reprocessed as ${record.adjudication.payerClaimNumber}; reference the new number.`,
      };
    }
    return undefined;
  }

  private accept(
    key: string,
    record: SimClaim,
    claim: ClaimBody,
    scenario: SelectedScenario,
    clearinghouseClaimId: string,
    now: number,
  ): void {
    const at = iso(now);
    const receivedDate = isoDay(now);
    const delay = this.deps.controls.adjudicationDelayMs;
    // A second original of a claim the payer already has is a duplicate: adjudicated separately as OA-18.
    if (claim.frequencyCode === '1' && record.current && !record.current.lost && !record.voided) {
      record.duplicateSubmissions += 1;
      const dueAt = now + delay;
      record.duplicates.push({ clearinghouseClaimId, acceptedAt: at, receivedDate, dueAt, claim });
      this.event(record, at, 'accepted-duplicate', clearinghouseClaimId);
      this.markPending(key, dueAt);
      return;
    }
    const dueAt = now + Math.round(delay * scenario.delayFactor);
    const submission: AcceptedSubmission = {
      clearinghouseClaimId,
      acceptedAt: at,
      receivedDate,
      dueAt,
      claim,
      scenario,
      lost: scenario.outcome.kind === 'lost',
    };
    if (claim.frequencyCode !== '1' && record.adjudication) {
      submission.replacesPayerClaimNumber = record.adjudication.payerClaimNumber;
      if (movedMoney(record.adjudication.payment)) submission.reverses = record.adjudication.payment;
    }
    if (claim.frequencyCode === '1') record.voided = false;
    record.current = submission;
    record.billingProviderNpi = claim.billingProviderNpi;
    const kind =
      claim.frequencyCode === '7' ? 'replacement' : claim.frequencyCode === '8' ? 'void' : 'original';
    this.event(record, at, submission.lost ? 'accepted-lost' : `accepted-${kind}`, scenario.name);
    if (!submission.lost) this.markPending(key, dueAt);
    this.deps.log.info(
      {
        payerId: claim.payerId,
        patientControlNumber: claim.patientControlNumber,
        clearinghouseClaimId,
        scenario: scenario.name,
      },
      'claim accepted',
    );
  }

  /** GET /v1/claims/:pcn/status: a 276/277 answer with the 277 category of the claim's state. */
  claimStatus(payerId: string, patientControlNumber: string): SimAnswer<ClaimStatusResult> {
    const now = this.deps.now();
    this.advance(now);
    const record = this.state.claims[claimKey(payerId, patientControlNumber)];
    return { statusCode: 200, body: this.statusOf(record, isoDay(now)) };
  }

  private statusOf(record: SimClaim | undefined, today: string): ClaimStatusResult {
    const sub = record?.current;
    if (!record || !sub || sub.lost) {
      const rejected = record?.lastRejection && !sub;
      return {
        category: 'A4',
        statusCode: '35',
        message: rejected
          ? 'Claim/encounter not found: the last submission was rejected at the front end.'
          : 'Claim/encounter not found.',
        effectiveDate: today,
      };
    }
    if (record.voided) {
      return {
        category: 'F4',
        statusCode: '101',
        message: 'The claim was voided; no payment forthcoming.',
        effectiveDate: sub.adjudicatedAt?.slice(0, 10) ?? today,
      };
    }
    if (!sub.adjudicatedAt) {
      if (sub.scenario.outcome.kind === 'requests_information') {
        return {
          category: 'R4',
          statusCode: '297',
          message: 'Pending: the payer requests medical notes/report for this claim.',
          effectiveDate: sub.receivedDate,
        };
      }
      return {
        category: 'P1',
        statusCode: '20',
        message: 'Pending: accepted for processing, in process.',
        effectiveDate: sub.receivedDate,
      };
    }
    const adjudication = record.adjudication!;
    const payment = adjudication.payment;
    const category = finalizedCategory(payment);
    const base = {
      category,
      payerClaimNumber: adjudication.payerClaimNumber,
      effectiveDate: adjudication.adjudicatedAt.slice(0, 10),
      paidCents: payment.paidCents,
    };
    if (category === 'F1') return { ...base, statusCode: '65', message: 'Claim/line has been paid.' };
    if (category === 'F2') {
      const reasons = [...new Set(denialAdjustments(payment).map((a) => `${a.group}-${a.reason}`))].join(
        ', ',
      );
      return { ...base, statusCode: '1', message: `Denied (${reasons}); see the remittance advice.` };
    }
    const deductible = [...payment.adjustments, ...payment.serviceLines.flatMap((l) => l.adjustments)].some(
      (a) => a.group === 'PR' && a.reason === '1',
    );
    return deductible
      ? { ...base, statusCode: '98', message: 'Charges applied to deductible; no payment forthcoming.' }
      : { ...base, statusCode: '1', message: 'No payment forthcoming; see the remittance advice.' };
  }

  // ---- appeals --------------------------------------------------------------------------------------

  /** POST /v1/appeals: files an appeal of the adjudication in effect; decided `appealDecisionDelayMs` later. */
  submitAppeal(
    idempotencyKey: string,
    appeal: AppealBody,
  ): SimAnswer<{ appealId: string; receivedAt: string }> {
    return this.idempotent<{ appealId: string; receivedAt: string }>(
      'submitAppeal',
      idempotencyKey,
      appeal,
      () => {
        const now = this.deps.now();
        this.advance(now);
        const found = Object.entries(this.state.claims).find(
          ([, r]) =>
            r.patientControlNumber === appeal.patientControlNumber &&
            r.payerClaimNumbers.includes(appeal.payerClaimNumber),
        );
        const field = 'payerClaimNumber';
        const [key, record] = found ?? [];
        if (key === undefined || !record?.adjudication) {
          return {
            statusCode: 422,
            body: {
              message: 'No adjudicated claim has this patient control number and payer claim number.',
              field,
            },
          };
        }
        const current = record.adjudication.payerClaimNumber;
        if (record.voided) return { statusCode: 422, body: { message: 'The claim was voided.', field } };
        if (current !== appeal.payerClaimNumber) {
          return {
            statusCode: 422,
            body: {
              message: `Claim ${appeal.payerClaimNumber} was reprocessed as ${current}; appeal the current claim number.`,
              field,
            },
          };
        }
        const open = Object.values(this.state.appeals).find(
          (a) => a.claimKey === key && a.status === 'pending',
        );
        if (open) {
          return {
            statusCode: 422,
            body: {
              message: `Appeal ${open.appealId} of this claim is still pending.`,
              field: 'patientControlNumber',
            },
          };
        }
        const seq = ++this.state.sequences.appeal;
        const record2: SimAppeal = {
          appealId: `APL-${this.epochTag()}-${String(seq).padStart(6, '0')}`,
          claimKey: key,
          patientControlNumber: appeal.patientControlNumber,
          payerClaimNumber: appeal.payerClaimNumber,
          level: appeal.level,
          attachmentCount: appeal.attachments.length,
          receivedAt: iso(now),
          decideAt: now + this.deps.controls.appealDecisionDelayMs,
          status: 'pending',
        };
        this.state.appeals[record2.appealId] = record2;
        this.pendingAppeals.add(record2.appealId);
        this.nextDueAt = Math.min(this.nextDueAt, record2.decideAt);
        this.event(
          record,
          record2.receivedAt,
          'appeal-received',
          `${record2.appealId} level ${appeal.level}`,
        );
        return { statusCode: 200, body: { appealId: record2.appealId, receivedAt: record2.receivedAt } };
      },
    );
  }

  /** GET /v1/appeals/:id. */
  appealStatus(appealId: string): SimAnswer<AppealStatusResult> {
    this.advance(this.deps.now());
    const appeal = this.state.appeals[appealId];
    if (!appeal) return { statusCode: 404, body: { message: `Appeal ${appealId} not found.` } };
    const body: AppealStatusResult = { appealId, status: appeal.status };
    if (appeal.decidedAt) body.decidedAt = appeal.decidedAt;
    if (appeal.reason) body.reason = appeal.reason;
    return { statusCode: 200, body };
  }

  // ---- remittances ----------------------------------------------------------------------------------

  /**
   * GET /v1/remittances?after=: files in production order. The cursor embeds the state's epoch: a cursor
   * from before a reset lists from the start again instead of silently skipping the new files.
   */
  listRemittances(after: string | undefined, limit: number): SimAnswer<RemittanceListing> {
    this.advance(this.deps.now());
    let from = 0;
    if (after !== undefined && after !== '') {
      const m = /^([0-9a-z]+)\.(\d+)$/.exec(after);
      if (!m)
        return { statusCode: 422, body: { message: 'after is not a cursor of this API.', field: 'after' } };
      if (m[1] === this.epochTag()) from = Number(m[2]);
    }
    // Sequence numbers are 1, 2, 3... in array order, so seq n is at index n - 1.
    const files = this.state.remittances.slice(from, from + limit);
    const listing: RemittanceListing = {
      items: files.map((f) => ({
        id: f.id,
        payerId: f.payerId,
        producedAt: f.producedAt,
        sizeBytes: Buffer.byteLength(f.body),
      })),
    };
    const last = files[files.length - 1];
    if (last) listing.nextCursor = `${this.epochTag()}.${last.seq}`;
    return { statusCode: 200, body: listing };
  }

  /** GET /v1/remittances/:id: the X12 text, or undefined for an unknown id. */
  remittanceBody(id: string): string | undefined {
    this.advance(this.deps.now());
    const m = /^era-([0-9a-z]+)-(\d+)$/.exec(id);
    if (!m || m[1] !== this.epochTag()) return undefined;
    const file = this.state.remittances[Number(m[2]) - 1];
    return file?.id === id ? file.body : undefined;
  }

  // ---- simulator control ----------------------------------------------------------------------------

  /** GET /sim/claims/:pcn: what the payer decided, for tests and demos. */
  claimView(patientControlNumber: string, payerId?: string): SimClaimView | undefined {
    const now = this.deps.now();
    this.advance(now);
    const record =
      payerId !== undefined
        ? this.state.claims[claimKey(payerId, patientControlNumber)]
        : Object.values(this.state.claims).find((r) => r.patientControlNumber === patientControlNumber);
    if (!record) return undefined;
    const key = claimKey(record.payerId, record.patientControlNumber);
    const sub = record.current;
    const payment = record.adjudication?.payment;
    const view: SimClaimView = {
      patientControlNumber: record.patientControlNumber,
      payerId: record.payerId,
      submissions: record.submissions,
      rejectedSubmissions: record.rejectedSubmissions,
      duplicateSubmissions: record.duplicateSubmissions,
      state: !sub
        ? 'rejected'
        : record.voided
          ? 'voided'
          : sub.lost
            ? 'lost'
            : sub.adjudicatedAt
              ? 'adjudicated'
              : 'pending',
      statusCategory: this.statusOf(record, isoDay(now)).category,
      payerClaimNumbers: [...record.payerClaimNumbers],
      adjustments: payment
        ? [
            ...payment.adjustments.map((a) => ({
              group: a.group,
              reason: a.reason,
              amountCents: a.amountCents,
            })),
            ...payment.serviceLines.flatMap((line) =>
              line.adjustments.map((a) => ({
                lineNumber: Number(line.refs['6R']),
                group: a.group,
                reason: a.reason,
                amountCents: a.amountCents,
              })),
            ),
          ]
        : [],
      remarkCodes: payment
        ? [...new Set([...payment.remarkCodes, ...payment.serviceLines.flatMap((l) => l.remarkCodes)])]
        : [],
      appeals: Object.values(this.state.appeals)
        .filter((a) => a.claimKey === key)
        .map((a) => {
          const item: SimClaimView['appeals'][number] = {
            appealId: a.appealId,
            level: a.level,
            status: a.status,
          };
          if (a.reason) item.reason = a.reason;
          return item;
        }),
      remittanceIds: [...record.remittanceIds],
      events: record.events.map((e) => ({ ...e })),
    };
    if (sub) {
      view.scenario = sub.scenario.name;
      view.outcome = sub.scenario.outcome.kind;
      if (!sub.adjudicatedAt && !sub.lost) view.dueAt = iso(sub.dueAt);
    }
    if (record.lastRejection) {
      const { at: _at, clearinghouseClaimId: _id, ...rejection } = record.lastRejection;
      view.lastRejection = rejection;
    }
    if (record.adjudication && payment) {
      view.payerClaimNumber = record.adjudication.payerClaimNumber;
      view.claimStatusCode = payment.statusCode;
      view.chargeCents = payment.chargeCents;
      view.paidCents = payment.paidCents;
      view.patientResponsibilityCents = payment.patientResponsibilityCents;
    }
    return view;
  }

  /**
   * GET /sim/ledger: everything the payer received and produced, without PHI, so a test or a fault drill
   * can prove from the payer's side that nothing was filed twice: per claim the submission counters and
   * payer claim numbers, every stored Idempotency-Key with its operation, every appeal, and every 835
   * file with its trace numbers and patient control numbers. Read-only (it only catches up on due work,
   * as every request does).
   */
  ledger(): SimLedger {
    this.advance(this.deps.now());
    return {
      claims: Object.values(this.state.claims).map((c) => ({
        payerId: c.payerId,
        patientControlNumber: c.patientControlNumber,
        submissions: c.submissions,
        rejectedSubmissions: c.rejectedSubmissions,
        duplicateSubmissions: c.duplicateSubmissions,
        voided: c.voided,
        payerClaimNumbers: [...c.payerClaimNumbers],
        remittanceIds: [...c.remittanceIds],
      })),
      idempotencyKeys: Object.entries(this.state.idempotency).map(([key, r]) => ({
        key,
        operation: r.operation,
        statusCode: r.statusCode,
        at: r.at,
      })),
      appeals: Object.values(this.state.appeals).map((a) => ({
        appealId: a.appealId,
        patientControlNumber: a.patientControlNumber,
        payerClaimNumber: a.payerClaimNumber,
        level: a.level,
        status: a.status,
      })),
      remittances: this.state.remittances.map((f) => ({
        id: f.id,
        payerId: f.payerId,
        producedAt: f.producedAt,
        traceNumbers: [...f.traceNumbers],
        patientControlNumbers: [...f.patientControlNumbers],
      })),
    };
  }

  /** GET /sim/stats: counters for demos and benchmarks. */
  stats(): Record<string, number> {
    this.advance(this.deps.now());
    const claims = Object.values(this.state.claims);
    return {
      claims: claims.length,
      submissions: claims.reduce((n, c) => n + c.submissions, 0),
      rejectedSubmissions: claims.reduce((n, c) => n + c.rejectedSubmissions, 0),
      duplicateSubmissions: claims.reduce((n, c) => n + c.duplicateSubmissions, 0),
      pendingAdjudication: this.pendingClaims.size,
      appeals: Object.keys(this.state.appeals).length,
      pendingAppeals: this.pendingAppeals.size,
      remittances: this.state.remittances.length,
    };
  }

  // ---- time -----------------------------------------------------------------------------------------

  /**
   * Does the work that fell due by `now`: follow-ups of earlier cycles (reversal + repost, recoupment),
   * adjudications, appeal decisions, then one check run per payer for what was adjudicated. With `force`
   * every accepted claim is adjudicated now (POST /sim/adjudicate); `decideAppeals` then also decides
   * every pending appeal.
   */
  advance(now: number, opts: { force?: boolean; decideAppeals?: boolean } = {}): AdvanceSummary {
    const force = opts.force === true;
    const summary: AdvanceSummary = { adjudicated: 0, followUps: 0, appealsDecided: 0, remittanceIds: [] };
    if (!force && now < this.nextDueAt && this.state.pendingPayments.length === 0) return summary;
    const due = (t: number) => force || t <= now;

    // Only follow-ups scheduled before this cycle run now: one created in this cycle waits for the next,
    // so a reversal always lands in a later 835 than the payment it reverses.
    const scheduled = this.state.scheduled;
    this.state.scheduled = [];
    for (const event of scheduled) {
      if (due(event.dueAt)) {
        this.runFollowUp(event, now);
        summary.followUps += 1;
      } else {
        this.state.scheduled.push(event);
      }
    }
    for (const key of [...this.pendingClaims]) {
      const record = this.state.claims[key];
      if (!record) continue;
      const sub = record.current;
      if (sub && !sub.adjudicatedAt && !sub.lost && due(sub.dueAt)) {
        this.adjudicateSubmission(key, record, sub, now);
        summary.adjudicated += 1;
      }
      for (const dup of record.duplicates) {
        if (!dup.adjudicatedAt && due(dup.dueAt)) {
          const payerClaimNumber = this.nextPayerClaimNumber();
          const payment = adjudicate({
            claim: dup.claim,
            scenario: DUPLICATE_SCENARIO,
            payerClaimNumber,
            receivedDate: dup.receivedDate,
          });
          dup.adjudicatedAt = iso(now);
          dup.payerClaimNumber = payerClaimNumber;
          this.pay(record.payerId, dup.claim.billingProviderNpi, payment, 0);
          this.event(record, dup.adjudicatedAt, 'duplicate-denied', payerClaimNumber);
          summary.adjudicated += 1;
        }
      }
    }
    for (const appealId of [...this.pendingAppeals]) {
      const appeal = this.state.appeals[appealId];
      if (appeal && ((force && opts.decideAppeals) || appeal.decideAt <= now)) {
        this.decide(appeal, now);
        summary.appealsDecided += 1;
      }
    }
    if (this.state.pendingPayments.length > 0) summary.remittanceIds = this.checkRun(now);
    this.recomputeNextDue();
    if (summary.adjudicated + summary.followUps + summary.appealsDecided + summary.remittanceIds.length > 0) {
      this.changed();
    }
    return summary;
  }

  private adjudicateSubmission(key: string, record: SimClaim, sub: AcceptedSubmission, now: number): void {
    const at = iso(now);
    sub.adjudicatedAt = at;
    if (sub.reverses)
      this.pay(record.payerId, record.billingProviderNpi, reverseClaimPayment(sub.reverses), 0);
    if (sub.claim.frequencyCode === '8') {
      record.voided = true;
      this.event(record, at, 'voided', sub.replacesPayerClaimNumber);
      return;
    }
    const payerClaimNumber = this.nextPayerClaimNumber();
    const input: Parameters<typeof adjudicate>[0] = {
      claim: sub.claim,
      scenario: sub.scenario,
      payerClaimNumber,
      receivedDate: sub.receivedDate,
    };
    if (sub.replacesPayerClaimNumber) input.replacesPayerClaimNumber = sub.replacesPayerClaimNumber;
    const payment = adjudicate(input);
    const interest = sub.scenario.interestPercent
      ? interestCents(payment.paidCents, sub.scenario.interestPercent)
      : 0;
    this.pay(record.payerId, record.billingProviderNpi, payment, interest);
    this.setAdjudication(record, payment, at);
    const followUpAt = now + this.deps.controls.adjudicationDelayMs;
    if (sub.scenario.repostAllowedPercent !== undefined) {
      this.state.scheduled.push({
        kind: 'reverse_and_repost',
        claimKey: key,
        dueAt: followUpAt,
        allowedPercent: sub.scenario.repostAllowedPercent,
      });
    }
    if (sub.scenario.recoupPercent !== undefined && payment.paidCents > 0) {
      this.state.scheduled.push({
        kind: 'recoupment',
        claimKey: key,
        dueAt: followUpAt,
        amountCents: recoupmentCents(payment.paidCents, sub.scenario.recoupPercent),
        payerClaimNumber,
      });
    }
    this.deps.log.info(
      {
        payerId: record.payerId,
        patientControlNumber: record.patientControlNumber,
        payerClaimNumber,
        scenario: sub.scenario.name,
        category: finalizedCategory(payment),
        paidCents: payment.paidCents,
      },
      'claim adjudicated',
    );
  }

  private runFollowUp(event: SimState['scheduled'][number], now: number): void {
    const record = this.state.claims[event.claimKey];
    if (!record) return;
    const at = iso(now);
    if (event.kind === 'recoupment') {
      this.state.offsets.push({
        payerId: record.payerId,
        payeeNpi: record.billingProviderNpi,
        reason: 'WO',
        reference: event.payerClaimNumber,
        remainingCents: event.amountCents,
      });
      this.event(record, at, 'recoupment-scheduled', `${event.payerClaimNumber} ${event.amountCents}`);
      return;
    }
    const sub = record.current;
    const previous = record.adjudication;
    // A newer replacement or void supersedes the payer's own reprocessing.
    if (!sub?.adjudicatedAt || !previous || record.voided) return;
    this.reprocess(record, sub, previous, { ...sub.scenario, allowedPercent: event.allowedPercent }, at);
    this.event(record, at, 'reversed-and-reposted', record.adjudication?.payerClaimNumber);
  }

  /** Reversal of the adjudication in effect (when it moved money) and a repost under `scenario`. */
  private reprocess(
    record: SimClaim,
    sub: AcceptedSubmission,
    previous: NonNullable<SimClaim['adjudication']>,
    scenario: SelectedScenario,
    at: string,
  ): string {
    // Reprocessing corrects the pricing: an underpayment is not repeated.
    const { underpayCents: _corrected, ...repriced } = scenario;
    if (movedMoney(previous.payment)) {
      this.pay(record.payerId, record.billingProviderNpi, reverseClaimPayment(previous.payment), 0);
    }
    const payerClaimNumber = this.nextPayerClaimNumber();
    const payment = adjudicate({
      claim: sub.claim,
      scenario: repriced,
      payerClaimNumber,
      receivedDate: sub.receivedDate,
      replacesPayerClaimNumber: previous.payerClaimNumber,
    });
    this.pay(record.payerId, record.billingProviderNpi, payment, 0);
    this.setAdjudication(record, payment, at);
    return payerClaimNumber;
  }

  private decide(appeal: SimAppeal, now: number): void {
    this.pendingAppeals.delete(appeal.appealId);
    const at = iso(now);
    const record = this.state.claims[appeal.claimKey];
    const sub = record?.current;
    const adjudication = record?.adjudication;
    appeal.decidedAt = at;
    if (!record || !sub || !adjudication || record.voided) {
      appeal.status = 'upheld';
      appeal.reason = 'The claim is no longer on file.';
      return;
    }
    const decision = decideAppeal({
      payment: adjudication.payment,
      scenario: sub.scenario,
      level: appeal.level,
      attachmentCount: appeal.attachmentCount,
    });
    appeal.status = decision.decision;
    appeal.reason = decision.reason;
    if (decision.decision === 'overturned') {
      const repost = this.reprocess(
        record,
        sub,
        adjudication,
        { ...sub.scenario, outcome: { kind: 'paid' } },
        at,
      );
      appeal.reason = `${decision.reason} New payer claim number ${repost}.`;
    }
    this.event(record, at, `appeal-${decision.decision}`, appeal.appealId);
    this.deps.log.info(
      {
        appealId: appeal.appealId,
        patientControlNumber: appeal.patientControlNumber,
        decision: decision.decision,
      },
      'appeal decided',
    );
  }

  private setAdjudication(record: SimClaim, payment: ClaimPayment, at: string): void {
    record.adjudication = { adjudicatedAt: at, payerClaimNumber: payment.payerClaimNumber, payment };
    record.payerClaimNumbers.push(payment.payerClaimNumber);
  }

  private pay(payerId: string, payeeNpi: string, claim: ClaimPayment, interest: number): void {
    const pending: PendingPayment = { payerId, payeeNpi, claim, interestCents: interest };
    this.state.pendingPayments.push(pending);
  }

  /** One check run per payer with pending CLP loops: one 835 file per payer, one ST per payee. */
  private checkRun(now: number): string[] {
    const date = isoDay(now);
    const time = iso(now).slice(11, 16).replace(':', '');
    const byPayer = new Map<string, PendingPayment[]>();
    for (const p of this.state.pendingPayments) {
      const list = byPayer.get(p.payerId);
      if (list) list.push(p);
      else byPayer.set(p.payerId, [p]);
    }
    let offsets = this.state.offsets;
    const files: RemittanceFile[] = [];
    let seq = this.state.sequences.remittance;
    for (const [payerId, payments] of byPayer) {
      this.state.sequences.interchange = (this.state.sequences.interchange % 999_999_999) + 1;
      const control = String(this.state.sequences.interchange);
      const result = runCheck({
        payerId,
        payerName: `SIM PAYER ${payerId}`.slice(0, 60),
        payments,
        offsets: offsets.filter((o) => o.payerId === payerId),
        date,
        envelope: { ...this.deps.envelope, interchangeControlNumber: control, groupControlNumber: control },
        nextTraceNumber: () => this.nextTraceNumber(),
      });
      offsets = [...offsets.filter((o) => o.payerId !== payerId), ...result.offsets];
      const body = build835(result.remittances, { date, time });
      seq += 1;
      files.push({
        id: `era-${this.epochTag()}-${String(seq).padStart(6, '0')}`,
        seq,
        payerId,
        producedAt: iso(now),
        body,
        traceNumbers: result.remittances.map((r) => r.traceNumber),
        patientControlNumbers: [...new Set(payments.map((p) => p.claim.patientControlNumber))],
      });
    }
    // Committed only once every file was built, so a failure leaves the payments pending.
    this.state.sequences.remittance = seq;
    this.state.remittances.push(...files);
    this.state.pendingPayments = [];
    this.state.offsets = offsets;
    for (const file of files) {
      for (const pcn of file.patientControlNumbers) {
        this.state.claims[claimKey(file.payerId, pcn)]?.remittanceIds.push(file.id);
      }
      this.deps.log.info(
        { remittanceId: file.id, payerId: file.payerId, claims: file.patientControlNumbers.length },
        '835 produced',
      );
    }
    return files.map((f) => f.id);
  }

  // ---- bookkeeping ----------------------------------------------------------------------------------

  private idempotent<T>(
    operation: IdempotencyRecord['operation'],
    key: string,
    body: unknown,
    run: () => SimAnswer<T>,
  ): SimAnswer<T> {
    const print = fingerprint(body);
    const stored = this.state.idempotency[key];
    if (stored) {
      if (stored.operation !== operation || stored.fingerprint !== print) {
        return {
          statusCode: 422,
          body: {
            message: 'This Idempotency-Key was already used with a different request.',
            field: 'Idempotency-Key',
          },
        };
      }
      return { statusCode: stored.statusCode, body: stored.body as T, replayed: true };
    }
    const answer = run();
    // Only answers that created something are stored: a refused request may be retried once fixed.
    if (answer.statusCode < 300) {
      this.state.idempotency[key] = {
        operation,
        fingerprint: print,
        statusCode: answer.statusCode,
        body: answer.body,
        at: iso(this.deps.now()),
      };
      this.changed();
    }
    return answer;
  }

  private markPending(key: string, dueAt: number): void {
    this.pendingClaims.add(key);
    this.nextDueAt = Math.min(this.nextDueAt, dueAt);
  }

  /** Rebuilds the pending indexes from the state (at start, after a reset). */
  private reindex(): void {
    this.pendingClaims = new Set();
    this.pendingAppeals = new Set();
    for (const [key, record] of Object.entries(this.state.claims)) {
      const sub = record.current;
      if ((sub && !sub.adjudicatedAt && !sub.lost) || record.duplicates.some((d) => !d.adjudicatedAt)) {
        this.pendingClaims.add(key);
      }
    }
    for (const appeal of Object.values(this.state.appeals)) {
      if (appeal.status === 'pending') this.pendingAppeals.add(appeal.appealId);
    }
    this.recomputeNextDue();
  }

  private recomputeNextDue(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const key of [...this.pendingClaims]) {
      const record = this.state.claims[key];
      const sub = record?.current;
      let pending = false;
      if (sub && !sub.adjudicatedAt && !sub.lost) {
        next = Math.min(next, sub.dueAt);
        pending = true;
      }
      for (const dup of record?.duplicates ?? []) {
        if (!dup.adjudicatedAt) {
          next = Math.min(next, dup.dueAt);
          pending = true;
        }
      }
      if (!pending) this.pendingClaims.delete(key);
    }
    for (const event of this.state.scheduled) next = Math.min(next, event.dueAt);
    for (const id of this.pendingAppeals) {
      const appeal = this.state.appeals[id];
      if (appeal) next = Math.min(next, appeal.decideAt);
    }
    this.nextDueAt = next;
  }

  private event(record: SimClaim, at: string, event: string, detail?: string): void {
    record.events.push(detail === undefined ? { at, event } : { at, event, detail });
  }

  private changed(): void {
    this.deps.onChange(this.state);
  }

  /** Base-36 epoch: part of every identifier so none is reissued after a reset. */
  private epochTag(): string {
    return this.state.epoch.toString(36);
  }

  private nextClearinghouseClaimId(): string {
    const seq = ++this.state.sequences.clearinghouse;
    return `CH-${this.epochTag()}-${String(seq).padStart(7, '0')}`;
  }

  /** CLP07: the epoch tag then a sequence, unique across resets and unlike any TRN02. */
  private nextPayerClaimNumber(): string {
    const seq = ++this.state.sequences.payerClaim;
    return `${this.epochTag().toUpperCase()}${String(seq).padStart(7, '0')}`;
  }

  /** TRN02: digits, unique across resets; the posting key is (payer, TRN02, CLP01, CLP07). */
  private nextTraceNumber(): string {
    const seq = ++this.state.sequences.trace;
    return `${this.state.epoch}${String(seq).padStart(6, '0')}`;
  }
}
