/**
 * Claims: intake (single and batch: stores the claim and starts its workflow), the filtered claim list,
 * the claim screen (row, lines, postings with plain-language CARC/RARC, live workflow state), its
 * timeline, and the biller decisions, each a Temporal update whose validator may refuse it (409).
 */
import { randomUUID } from 'node:crypto';
import {
  type WorkflowHandle,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateStage,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { FastifyRequest } from 'fastify';
import { type Static, type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { claimEvents } from '../../db/claim-events.js';
import {
  claimPostings,
  claimRefOf,
  getClaimByUuid,
  getClaimLines,
  insertClaim,
  listClaims,
} from '../../db/claims.js';
import type { ClaimRow } from '../../db/schema.js';
import { carcText, DENIAL_CATEGORIES, rarcText } from '../../domain/carc.js';
import { CLAIM_STATUSES, type ClaimStatus } from '../../domain/claim-status.js';
import { correctionError } from '../../domain/corrections.js';
import { isValidIsoDate } from '../../domain/dates.js';
import { startClaim } from '../../temporal/claim-client.js';
import { claimWorkflowId } from '../../workflows/ids.js';
import * as m from '../../workflows/messages.js';
import type { App, AppDeps } from '../app.js';
import { badRequest, conflict, type FieldError, notFound, Problem, unprocessable } from '../errors.js';
import { skipIdempotencyStore, updateIdFor } from '../idempotency.js';
import { decodeCursor, encodeCursor, page } from '../pagination.js';
import * as r from '../responses.js';
import * as s from '../schemas.js';
import { claimJson, forbiddenPractice, isoTimestamp, practicesFor } from '../views.js';
import { DEFAULT_WAITS, TIMED_OUT, waitAtMost } from '../waits.js';

const INTAKE_ROLES = ['biller', 'supervisor', 'admin', 'integration'] as const;
const WORK_ROLES = ['biller', 'supervisor', 'admin'] as const;
/** How long the claim screen waits for the workflow's live state. */
const LIVE_STATE_WAIT_MS = 5_000;
/** Most items one batch may carry: a bounded request time and body. */
export const MAX_BATCH = 100;

/** Loads a claim the caller may see; another practice's claim is indistinguishable from a missing one. */
export async function claimForPrincipal(deps: AppDeps, req: FastifyRequest, id: string): Promise<ClaimRow> {
  const claim = await getClaimByUuid(deps.db, id);
  if (!claim || !req.principal?.practiceIds.includes(claim.practice_id)) throw notFound(`claim ${id}`);
  return claim;
}

/** What a decision came to: the new state, or accepted by the workflow and still being applied. */
type DecisionOutcome = { kind: 'done'; state: m.ClaimView } | { kind: 'pending' };

function refusalOf(err: unknown): Problem | undefined {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    return conflict(
      cause instanceof ApplicationFailure || cause instanceof Error
        ? cause.message
        : 'the decision was refused',
    );
  }
  if (err instanceof WorkflowNotFoundError)
    return conflict('the claim is closed: its workflow is no longer running');
  return undefined;
}

/**
 * Runs a decision update within `waitMs`: a refusal (validator or handler) is 409 with the workflow's
 * reason; not accepted in time is 503 (nothing happened; the same update id makes a retry safe);
 * accepted but not finished in time is `pending` (it is in the workflow's history and will complete).
 */
async function decide<T>(
  deps: AppDeps,
  handle: WorkflowHandle,
  def: UpdateDefinition<m.ClaimView, [T]>,
  input: T,
  updateId: string,
  waitMs: number,
): Promise<DecisionOutcome> {
  const deadline = Date.now() + waitMs;
  try {
    const update = await waitAtMost(deps.temporal, waitMs, () =>
      handle.startUpdate(def, { args: [input], updateId, waitForStage: WorkflowUpdateStage.ACCEPTED }),
    );
    if (update === TIMED_OUT) {
      throw new Problem(
        503,
        'Service Unavailable',
        'the claim workflow did not take the decision in time; send it again',
        {
          updateId,
        },
      );
    }
    const state = await waitAtMost(deps.temporal, deadline - Date.now(), () => update.result());
    return state === TIMED_OUT ? { kind: 'pending' } : { kind: 'done', state };
  } catch (err) {
    throw refusalOf(err) ?? err;
  }
}

const PracticeId = Type.String({ pattern: '^[a-z0-9-]{1,20}$' });
const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD (inclusive)' });
const Cursor = Type.String({
  minLength: 1,
  maxLength: 400,
  description: 'the `nextCursor` of the previous page',
});

const ClaimListQuery = Type.Object(
  {
    practiceId: Type.Optional(PracticeId),
    status: Type.Optional(Type.Array(Type.Enum(CLAIM_STATUSES), { maxItems: 20 })),
    payerId: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 })),
    denialCategory: Type.Optional(Type.Array(Type.Enum(DENIAL_CATEGORIES), { maxItems: 20 })),
    assignedTo: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    unassigned: Type.Optional(Type.Boolean()),
    escalated: Type.Optional(Type.Boolean()),
    createdFrom: Type.Optional(IsoDate),
    createdTo: Type.Optional(IsoDate),
    dateOfServiceFrom: Type.Optional(IsoDate),
    dateOfServiceTo: Type.Optional(IsoDate),
    deniedFrom: Type.Optional(IsoDate),
    deniedTo: Type.Optional(IsoDate),
    minOpenBalanceCents: Type.Optional(Type.Integer({ minimum: 0 })),
    maxOpenBalanceCents: Type.Optional(Type.Integer({ minimum: 0 })),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

const EventsQuery = Type.Object(
  {
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

const BatchBody = Type.Object(
  {
    claims: Type.Array(
      Type.Object(
        {},
        {
          additionalProperties: true,
          description: 'a POST /claims body; each item is validated on its own and reported in `results`',
        },
      ),
      { minItems: 1, maxItems: MAX_BATCH },
    ),
  },
  { additionalProperties: false },
);

/**
 * Checks that inclusive date ranges of a query are not inverted; a bad pair names its `from` field.
 * (Calendar validity is the schema's `format: date`.)
 */
export function checkRanges(query: Record<string, unknown>, pairs: [string, string][]): void {
  const errors: FieldError[] = [];
  for (const [from, to] of pairs) {
    const a = query[from];
    const b = query[to];
    if (typeof a === 'string' && typeof b === 'string' && a > b)
      errors.push({ field: `querystring/${from}`, message: `is after ${to}` });
  }
  if (errors.length > 0) throw badRequest('the query is not consistent', errors);
}

const validateClaimBody = Compile(s.CreateClaimBody);

/** Schema errors of one batch item, with paths under `body/claims/<index>`. */
function itemSchemaErrors(index: number, item: unknown): FieldError[] {
  const base = `body/claims/${index}`;
  const out: FieldError[] = [];
  for (const e of validateClaimBody.Errors(item)) {
    if (e.keyword === 'additionalProperties') continue;
    if (e.keyword === 'required') {
      for (const p of (e.params as { requiredProperties?: string[] }).requiredProperties ?? []) {
        out.push({ field: `${base}${e.instancePath}/${p}`, message: 'is required' });
      }
      continue;
    }
    if (e.keyword === 'boolean' && e.schemaPath.endsWith('additionalProperties')) {
      out.push({ field: `${base}${e.instancePath}`, message: 'is not an allowed field' });
      continue;
    }
    out.push({ field: `${base}${e.instancePath}`, message: e.message });
  }
  return out;
}

type IntakeOutcome =
  | { outcome: 'created' | 'exists'; claim: ClaimRow }
  | { outcome: 'invalid' | 'forbidden'; errors: FieldError[] };

/** Validates, stores and starts one claim. Storing is one transaction: nothing is half-written. */
async function intake(
  deps: AppDeps,
  req: FastifyRequest,
  body: s.CreateClaimBody,
  prefix: string,
): Promise<IntakeOutcome> {
  if (!req.principal!.practiceIds.includes(body.practiceId)) {
    return {
      outcome: 'forbidden',
      errors: [
        { field: `${prefix}/practiceId`, message: `this key may not act for practice ${body.practiceId}` },
      ],
    };
  }
  const errors = await intakeErrors(deps, body, prefix);
  if (errors.length > 0) return { outcome: 'invalid', errors };
  const { created, claim } = await insertClaim(deps.db, {
    practiceId: body.practiceId,
    claimId: body.claimId,
    patient: body.patient,
    payerId: body.payerId,
    billingProviderNpi: body.billingProviderNpi,
    dateOfService: body.dateOfService,
    diagnosisCodes: body.diagnosisCodes,
    lines: body.lines.map((l) => ({
      procedureCode: l.procedureCode,
      modifiers: l.modifiers ?? [],
      units: l.units,
      chargeCents: l.chargeCents,
      serviceDate: l.serviceDate ?? body.dateOfService,
      diagnosisPointers: l.diagnosisPointers ?? [1],
    })),
    workflowId: claimWorkflowId(body.practiceId, body.claimId),
  });
  // Also on a repeat: a claim stored while Temporal was unreachable gets its workflow now.
  await startClaim(deps.temporal, deps.config.temporal.taskQueue, {
    claim: claimRefOf(claim),
    status: claim.status as ClaimStatus,
    openBalanceCents: claim.open_balance_cents,
  });
  return { outcome: created ? 'created' : 'exists', claim };
}

function postingJson(p: Awaited<ReturnType<typeof claimPostings>>[number]) {
  const coded = (codes: string[], text: (c: string) => string) =>
    codes.map((code) => ({ code, text: text(code) }));
  return {
    id: p.id,
    payerId: p.payer_id,
    traceNumber: p.trace_number,
    paymentDate: p.payment_date,
    payerClaimNumber: p.payer_claim_number,
    statusCode: p.status_code,
    isReversal: p.is_reversal,
    chargeCents: p.charge_cents,
    paidCents: p.paid_cents,
    patientResponsibilityCents: p.patient_responsibility_cents,
    remarks: coded(p.remark_codes, rarcText),
    postedAt: isoTimestamp(p.posted_at),
    adjustments: p.adjustments.map((a) => ({
      lineNumber: a.line_number,
      procedureCode: a.procedure_code,
      group: a.group_code,
      reason: { code: a.reason_code, text: carcText(a.reason_code) },
      amountCents: a.amount_cents,
      remarks: coded(a.remark_codes, rarcText),
    })),
  };
}

export function claimRoutes(deps: AppDeps) {
  const view = (row: ClaimRow) => claimJson(deps, row);
  const waits = { ...DEFAULT_WAITS, ...deps.waits };
  return async function routes(app: App): Promise<void> {
    app.post(
      '/claims',
      {
        schema: {
          body: s.CreateClaimBody,
          tags: ['claims'],
          summary: 'Submit a claim: stores it and starts its workflow',
          description: '201 when new, 200 when the claim id is already known.',
          response: { 200: r.CreatedClaim, 201: r.CreatedClaim, 422: r.ProblemSchema, ...r.problemResponses },
        },
        config: { roles: INTAKE_ROLES, idempotent: true },
      },
      async (req, reply) => {
        const result = await intake(deps, req, req.body, 'body');
        if (!('claim' in result)) {
          if (result.outcome === 'forbidden') throw forbiddenPractice(req.body.practiceId);
          throw unprocessable('the claim cannot be accepted', result.errors);
        }
        return reply
          .status(result.outcome === 'created' ? 201 : 200)
          .send({ ...view(result.claim), created: result.outcome === 'created' });
      },
    );

    app.post(
      '/claims/batch',
      {
        schema: {
          body: BatchBody,
          tags: ['claims'],
          summary: 'Submit up to 100 claims; each is validated, stored and started on its own',
          description:
            'Always 200 once the envelope is valid: read `results` ' +
            '(one per item, in order). An item is stored whole or not at all; a refused item never affects another. ' +
            'After a 5xx some items may be stored: sending the same batch again is safe (known claim ids answer ' +
            '`exists` and get their workflow started).',
          response: { 200: r.BatchResult, ...r.problemResponses },
        },
        config: { roles: INTAKE_ROLES, idempotent: true },
      },
      async (req) => {
        const items = req.body.claims as unknown[];
        const results: Static<typeof r.BatchResult>['results'] = new Array(items.length);
        // A few items at a time: bounded pressure on Postgres and Temporal, still well under a second per 100.
        let next = 0;
        const worker = async () => {
          while (next < items.length) {
            const index = next++;
            const item = items[index];
            const schemaErrors = itemSchemaErrors(index, item);
            if (schemaErrors.length > 0) {
              results[index] = { index, outcome: 'invalid', errors: schemaErrors };
              continue;
            }
            const res = await intake(deps, req, item as s.CreateClaimBody, `body/claims/${index}`);
            results[index] =
              'claim' in res
                ? { index, outcome: res.outcome, claim: view(res.claim) }
                : { index, outcome: res.outcome, errors: res.errors };
          }
        };
        await Promise.all(Array.from({ length: Math.min(4, items.length) }, worker));
        const accepted = results.filter((x) => x.outcome === 'created' || x.outcome === 'exists').length;
        return { accepted, refused: results.length - accepted, results };
      },
    );

    app.get(
      '/claims',
      {
        schema: {
          querystring: ClaimListQuery,
          tags: ['claims'],
          summary: 'Claims of the caller’s practices, newest first, filtered and cursor-paginated',
          description:
            'Array filters (status, payerId, denialCategory) take repeated ' +
            'parameters and mean "any of". A practiceId the key does not hold answers 403.',
          response: { 200: r.PageOf(r.ClaimSummary), ...r.problemResponses },
        },
        config: { roles: WORK_ROLES },
      },
      async (req) => {
        const q = req.query;
        checkRanges(q, [
          ['createdFrom', 'createdTo'],
          ['dateOfServiceFrom', 'dateOfServiceTo'],
          ['deniedFrom', 'deniedTo'],
        ]);
        if (
          q.minOpenBalanceCents !== undefined &&
          q.maxOpenBalanceCents !== undefined &&
          q.minOpenBalanceCents > q.maxOpenBalanceCents
        ) {
          throw badRequest('the query is not consistent', [
            { field: 'querystring/minOpenBalanceCents', message: 'is above maxOpenBalanceCents' },
          ]);
        }
        const limit = q.limit ?? 50;
        const after = q.cursor ? decodeCursor('claims', q.cursor, ['timestamp', 'uuid'] as const) : undefined;
        const rows = await listClaims(deps.db, {
          practiceIds: practicesFor(req, q.practiceId),
          statuses: q.status,
          payerIds: q.payerId,
          denialCategories: q.denialCategory,
          assignedTo: q.assignedTo,
          unassigned: q.unassigned,
          escalated: q.escalated,
          createdFrom: q.createdFrom,
          createdTo: q.createdTo,
          dateOfServiceFrom: q.dateOfServiceFrom,
          dateOfServiceTo: q.dateOfServiceTo,
          deniedFrom: q.deniedFrom,
          deniedTo: q.deniedTo,
          minOpenBalanceCents: q.minOpenBalanceCents,
          maxOpenBalanceCents: q.maxOpenBalanceCents,
          after: after ? { createdAt: after[0], id: after[1] } : undefined,
          limit,
        });
        const p = page(rows, limit, (last) => encodeCursor('claims', [last.cursor_ts, last.id]));
        return { items: p.items.map(view), nextCursor: p.nextCursor };
      },
    );

    app.get(
      '/claims/:id',
      {
        schema: {
          params: s.ClaimIdParams,
          tags: ['claims'],
          summary:
            'A claim with its lines, postings (CARC/RARC with plain-language text) and live workflow state',
          description: 'Another practice’s claim answers 404.',
          response: { 200: r.ClaimDetail, ...r.problemResponses },
        },
        config: { roles: WORK_ROLES },
      },
      async (req) => {
        const claim = await claimForPrincipal(deps, req, req.params.id);
        const [lines, postings] = await Promise.all([
          getClaimLines(deps.db, claim.id),
          claimPostings(deps.db, claim.id),
        ]);
        let live: m.ClaimView | null = null;
        try {
          // A query needs a worker; without one the screen still answers, from Postgres.
          const answer = await waitAtMost(deps.temporal, LIVE_STATE_WAIT_MS, () =>
            deps.temporal.workflow.getHandle(claim.workflow_id).query(m.stateQuery),
          );
          live = answer === TIMED_OUT ? null : answer;
        } catch (err) {
          req.log.warn(
            { claimId: claim.claim_id, workflowId: claim.workflow_id, err: { message: String(err) } },
            'live state unavailable',
          );
        }
        return {
          ...view(claim),
          lines: lines.map((l) => ({
            lineNumber: l.line_number,
            procedureCode: l.procedure_code,
            modifiers: l.modifiers,
            units: l.units,
            chargeCents: l.charge_cents,
            serviceDate: l.service_date,
          })),
          postings: postings.map(postingJson),
          live: live as Static<typeof r.ClaimDetail>['live'],
          ...(live ? {} : { liveError: 'live workflow state is unavailable right now' }),
        };
      },
    );

    app.get(
      '/claims/:id/events',
      {
        schema: {
          params: s.ClaimIdParams,
          querystring: EventsQuery,
          tags: ['claims'],
          summary:
            'The claim’s timeline: every audit event (claim_events) in order, with actor and request id',
          response: { 200: r.PageOf(r.ClaimEvent), ...r.problemResponses },
        },
        config: { roles: WORK_ROLES },
      },
      async (req) => {
        const claim = await claimForPrincipal(deps, req, req.params.id);
        const limit = req.query.limit ?? 100;
        const after = req.query.cursor
          ? decodeCursor('events', req.query.cursor, ['serial'] as const)[0]
          : undefined;
        const rows = await claimEvents(deps.db, claim.id, after, limit);
        const p = page(rows, limit, (last) => encodeCursor('events', [String(last.id)]));
        return {
          items: p.items.map((e) => ({
            // bigserial: parsed to a number by db/pool.ts, shown as a string like every id.
            id: String(e.id),
            at: isoTimestamp(e.at),
            actor: e.actor,
            kind: e.kind,
            fromStatus: e.from_status,
            toStatus: e.to_status,
            reason: e.reason,
            data: e.data,
            requestId: e.request_id,
          })),
          nextCursor: p.nextCursor,
        };
      },
    );

    const decision = <B extends TSchema, T>(
      path: string,
      body: B,
      def: UpdateDefinition<m.ClaimView, [T]>,
      summary: string,
      check: (b: Static<B>) => FieldError[] = () => [],
    ) => {
      app.post(
        `/claims/:id/${path}`,
        {
          schema: {
            params: s.ClaimIdParams,
            body,
            tags: ['decisions'],
            summary,
            description:
              'A Temporal update: answers the claim and its new state, or 409 with the reason the workflow ' +
              'refused the decision. 202 when the workflow accepted it but is still applying it (e.g. waiting ' +
              'on the payer); 503 when the workflow did not take it in time (send it again: with the same ' +
              'Idempotency-Key it is never applied twice). The caller and request id are recorded in the timeline.',
            response: {
              200: r.DecisionResult,
              202: r.PendingDecision,
              503: r.ProblemSchema,
              409: r.ProblemSchema,
              422: r.ProblemSchema,
              ...r.problemResponses,
            },
          },
          config: { roles: WORK_ROLES, idempotent: true },
        },
        async (req, reply) => {
          const params = req.params as Static<typeof s.ClaimIdParams>;
          const claim = await claimForPrincipal(deps, req, params.id);
          const errors = check(req.body as Static<B>);
          if (errors.length > 0) throw unprocessable('the decision is not well formed', errors);
          const handle = deps.temporal.workflow.getHandle(claim.workflow_id);
          const input = { ...(req.body as object), actor: req.principal!.userId, requestId: req.id } as T;
          const updateId = updateIdFor(req) ?? randomUUID();
          const outcome = await decide(deps, handle, def, input, updateId, waits.decisionMs);
          const row = view((await getClaimByUuid(deps.db, claim.id))!);
          if (outcome.kind === 'pending') {
            // Not stored under the Idempotency-Key: a retry with it attaches to this same update.
            skipIdempotencyStore(req);
            return reply.status(202).send({
              accepted: true as const,
              updateId,
              claim: row,
              detail:
                'the claim workflow accepted the decision and is still applying it; see the claim’s timeline',
            });
          }
          return reply.status(200).send({ claim: row, state: outcome.state as Static<typeof r.LiveState> });
        },
      );
    };
    decision(
      'resubmit-corrected',
      s.ResubmitBody,
      m.resubmitCorrectedUpdate,
      'Send a corrected claim (frequency 7, or a new original after a rejection)',
      (b) => {
        const problem = correctionError(b.changes);
        if (!problem) return [];
        return [
          {
            field: problem.field === 'changes' ? 'body/changes' : `body/changes/${problem.field}`,
            message: problem.message,
          },
        ];
      },
    );
    decision('appeals', s.AppealBody, m.fileAppealUpdate, 'File the next appeal level');
    decision(
      'appeal-decision',
      s.AppealDecisionBody,
      m.recordAppealDecisionUpdate,
      'Record the payer’s appeal decision',
    );
    decision('write-off', s.WriteOffBody, m.writeOffUpdate, 'Write off the open balance');
    decision(
      'transfer-to-patient',
      s.TransferBody,
      m.transferToPatientUpdate,
      'Bill the denied amount to the patient',
    );
    decision('assign', s.AssignBody, m.assignUpdate, 'Assign the claim to a biller (null unassigns)');
    decision('notes', s.NoteBody, m.addNoteUpdate, 'Add a note to the claim');
    decision('holds', s.HoldBody, m.placeHoldUpdate, 'Place a dunning hold on the patient balance');
    decision('holds/release', s.HoldBody, m.releaseHoldUpdate, 'Release a dunning hold');
    decision(
      'payment-plan',
      s.PaymentPlanBody,
      m.setupPaymentPlanUpdate,
      'Put the patient balance on a payment plan',
    );

    app.post(
      '/claims/:id/patient-payments',
      {
        schema: {
          params: s.ClaimIdParams,
          body: s.PatientPaymentBody,
          tags: ['patients'],
          summary:
            'Record a patient payment (a signal to the claim, which passes it to its patient-balance workflow)',
          description: '202: the claim will apply it; the reference makes it count once.',
          response: {
            202: Type.Object(
              { accepted: Type.Boolean(), reference: Type.String() },
              { additionalProperties: false },
            ),
            409: r.ProblemSchema,
            ...r.problemResponses,
          },
        },
        config: { roles: WORK_ROLES, idempotent: true },
      },
      async (req, reply) => {
        const claim = await claimForPrincipal(deps, req, req.params.id);
        const payment: m.PatientPayment = {
          reference: req.body.reference,
          amountCents: req.body.amountCents,
          method: req.body.method,
          receivedAt: req.body.receivedAt ?? new Date().toISOString(),
        };
        try {
          await deps.temporal.workflow
            .getHandle(claim.workflow_id)
            .signal(m.patientPaymentReceivedSignal, payment);
        } catch (err) {
          if (err instanceof WorkflowNotFoundError)
            throw conflict('the claim is closed: record the payment as unapplied cash');
          throw err;
        }
        return reply.status(202).send({ accepted: true, reference: payment.reference });
      },
    );
  };
}

/** Checks that need the database or today's date; each names its field. Nothing is written on failure. */
async function intakeErrors(deps: AppDeps, body: s.CreateClaimBody, prefix: string): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const [payer, practice] = await Promise.all([
    deps.db.selectFrom('payers').select('id').where('id', '=', body.payerId).executeTakeFirst(),
    deps.db.selectFrom('practices').select('id').where('id', '=', body.practiceId).executeTakeFirst(),
  ]);
  if (!payer) errors.push({ field: `${prefix}/payerId`, message: `unknown payer ${body.payerId}` });
  if (!practice)
    errors.push({ field: `${prefix}/practiceId`, message: `unknown practice ${body.practiceId}` });
  const today = new Date().toISOString().slice(0, 10);
  if (isValidIsoDate(body.dateOfService) && body.dateOfService > today) {
    errors.push({ field: `${prefix}/dateOfService`, message: 'is in the future' });
  }
  if (body.patient.birthDate > body.dateOfService) {
    errors.push({ field: `${prefix}/patient/birthDate`, message: 'is after the date of service' });
  }
  body.lines.forEach((l, i) => {
    if (l.serviceDate && l.serviceDate > today)
      errors.push({ field: `${prefix}/lines/${i}/serviceDate`, message: 'is in the future' });
    for (const [j, p] of (l.diagnosisPointers ?? [1]).entries()) {
      if (p > body.diagnosisCodes.length) {
        errors.push({
          field: `${prefix}/lines/${i}/diagnosisPointers/${j}`,
          message: `points past the ${body.diagnosisCodes.length} diagnosis codes`,
        });
      }
    }
  });
  return errors;
}
