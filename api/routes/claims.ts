/**
 * Claims: intake (single and batch: stores the claim and starts its workflow), the filtered claim list,
 * the claim screen (row, lines, postings with plain-language CARC/RARC, live workflow state) and its
 * timeline. The decisions on a claim are routes/decisions.ts.
 */
import type { FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { claimEvents } from '../../db/claim-events.js';
import { claimPostings, claimRefOf, getClaimLines, insertClaim, listClaims } from '../../db/claims.js';
import type { ClaimRow } from '../../db/schema.js';
import { carcText, rarcText } from '../../domain/carc.js';
import type { ClaimStatus } from '../../domain/claim-status.js';
import { isValidIsoDate } from '../../domain/dates.js';
import { startClaim } from '../../temporal/claim-client.js';
import { claimWorkflowId } from '../../workflows/ids.js';
import * as m from '../../workflows/messages.js';
import { decodeCursor, encodeCursor, page } from '../pagination.js';
import { claimForPrincipal, forbiddenPractice, practicesFor } from '../plugins/auth.js';
import { type FieldError, unprocessable } from '../plugins/problems.js';
import * as s from '../schemas/claims.js';
import { PageOf, problemResponse, withExample } from '../schemas/common.js';
import { type App, type AppDeps, INTAKE_ROLES, WORK_ROLES } from '../types.js';
import { claimJson, isoTimestamp } from '../views.js';
import { TIMED_OUT, waitAtMost } from '../waits.js';

/** How long the claim screen waits for the workflow's live state. */
const LIVE_STATE_WAIT_MS = 5_000;
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
  return async function routes(app: App): Promise<void> {
    app.post(
      '/claims',
      {
        schema: {
          body: withExample(s.CreateClaimBody, s.CREATE_CLAIM_EXAMPLE),
          tags: ['claims'],
          operationId: 'createClaim',
          summary: 'Submit a claim: stores it and starts its workflow',
          description: '201 when new, 200 when the claim id is already known.',
          response: {
            200: s.CreatedClaim,
            201: withExample(s.CreatedClaim, s.CREATED_CLAIM_EXAMPLE),
            422: problemResponse(
              'the claim cannot be accepted (unknown payer or practice, a date in the future, a diagnosis pointer past the codes); `errors` names each field',
            ),
          },
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
          body: s.BatchBody,
          tags: ['claims'],
          operationId: 'submitClaimBatch',
          summary: 'Submit up to 100 claims; each is validated, stored and started on its own',
          description:
            'Always 200 once the envelope is valid: read `results` ' +
            '(one per item, in order). An item is stored whole or not at all; a refused item never affects another. ' +
            'After a 5xx some items may be stored: sending the same batch again is safe (known claim ids answer ' +
            '`exists` and get their workflow started).',
          response: { 200: s.BatchResult },
        },
        config: { roles: INTAKE_ROLES, idempotent: true },
      },
      async (req) => {
        const items = req.body.claims as unknown[];
        const results: Static<typeof s.BatchResult>['results'] = new Array(items.length);
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
          querystring: s.ClaimListQuery,
          tags: ['claims'],
          operationId: 'listClaims',
          summary: 'Claims of the caller’s practices, newest first, filtered and cursor-paginated',
          description:
            'Array filters (status, payerId, denialCategory) take repeated ' +
            'parameters and mean "any of". A practiceId the key does not hold answers 403.',
          response: { 200: withExample(PageOf(s.ClaimSummary), s.CLAIM_PAGE_EXAMPLE) },
        },
        config: { roles: WORK_ROLES, ranges: s.CLAIM_LIST_RANGES },
      },
      async (req) => {
        const q = req.query;
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
          operationId: 'getClaim',
          summary:
            'A claim with its lines, postings (CARC/RARC with plain-language text) and live workflow state',
          description: 'Another practice’s claim answers 404.',
          response: { 200: s.ClaimDetail },
        },
        config: { roles: WORK_ROLES },
      },
      async (req) => {
        const claim = await claimForPrincipal(deps.db, req, req.params.id);
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
          live: (live ?? null) as Static<typeof s.ClaimDetail>['live'],
          ...(live ? {} : { liveError: 'live workflow state is unavailable right now' }),
        };
      },
    );

    app.get(
      '/claims/:id/events',
      {
        schema: {
          params: s.ClaimIdParams,
          querystring: s.EventsQuery,
          tags: ['claims'],
          operationId: 'listClaimEvents',
          summary:
            'The claim’s timeline: every audit event (claim_events) in order, with actor and request id',
          response: { 200: PageOf(s.ClaimEvent) },
        },
        config: { roles: WORK_ROLES },
      },
      async (req) => {
        const claim = await claimForPrincipal(deps.db, req, req.params.id);
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
