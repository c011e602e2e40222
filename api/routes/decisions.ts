/**
 * What people decide on a claim: each decision is a Temporal update on the claim workflow, whose
 * validator refuses what the claim's current state forbids (409 with its reason) and a correction whose
 * values do not hold (422 naming the field). A patient payment is a signal to the claim.
 */

import { randomUUID } from 'node:crypto';
import {
  type WorkflowHandle,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateStage,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Static, TSchema } from 'typebox';
import { attachmentsByIds } from '../../db/attachments.js';
import { getClaimByUuid } from '../../db/claims.js';
import { FailureType } from '../../domain/failures.js';
import * as m from '../../workflows/messages.js';
import { claimForPrincipal } from '../plugins/auth.js';
import { skipIdempotencyStore, updateIdFor } from '../plugins/idempotency.js';
import { conflict, type FieldError, Problem, unprocessable } from '../plugins/problems.js';
import { problemResponse, withExample } from '../schemas/common.js';
import * as s from '../schemas/decisions.js';
import { type App, type AppDeps, WORK_ROLES } from '../types.js';
import { claimJson } from '../views.js';
import { DEFAULT_WAITS, TIMED_OUT, waitAtMost } from '../waits.js';

/** What a decision came to: the new state, or accepted by the workflow and still being applied. */
type DecisionOutcome = { kind: 'done'; state: m.ClaimView } | { kind: 'pending' };

/**
 * The path of a corrected field in the request (`body/changes/lines.1.units`) from the field the
 * validator names (`changes.lines.1.units`, or `changes` for the whole set).
 */
function changePath(field: string): string {
  const name = field.replace(/^changes\.?/, '');
  return name === '' ? 'body/changes' : `body/changes/${name}`;
}

/** The corrected field an `InvalidCorrection` failure names (its first detail's `field`). */
function correctionFieldOf(failure: ApplicationFailure): string {
  const detail = failure.details?.[0] as { field?: unknown } | undefined;
  return typeof detail?.field === 'string' ? detail.field : 'changes';
}

/**
 * The answer to a refused decision: a correction the workflow's validator found invalid is 422 naming
 * the field; any other refusal (validator or handler) is 409 with the workflow's reason; a closed claim
 * (no running workflow) is 409.
 */
export function refusalOf(err: unknown): Problem | undefined {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && cause.type === FailureType.InvalidCorrection) {
      return unprocessable('the decision is not well formed', [
        { field: changePath(correctionFieldOf(cause)), message: cause.message },
      ]);
    }
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
 * Runs a decision update within `waitMs`: a refusal (validator or handler) is 409 (422 for an invalid
 * correction); not accepted in time is 503 (nothing happened; the same update id makes a retry safe);
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
        { updateId },
      );
    }
    const state = await waitAtMost(deps.temporal, deadline - Date.now(), () => update.result());
    return state === TIMED_OUT ? { kind: 'pending' } : { kind: 'done', state };
  } catch (err) {
    throw refusalOf(err) ?? err;
  }
}

const DECISION_DESCRIPTION =
  'A Temporal update: answers the claim and its new state, or 409 with the reason the workflow ' +
  'refused the decision. 202 when the workflow accepted it but is still applying it (e.g. waiting ' +
  'on the payer); 503 when the workflow did not take it in time (send it again: with the same ' +
  'Idempotency-Key it is never applied twice). The caller and request id are recorded in the timeline.';

export function decisionRoutes(deps: AppDeps) {
  const waits = { ...DEFAULT_WAITS, ...deps.waits };
  return async function routes(app: App): Promise<void> {
    const decision = <B extends TSchema, T>(
      path: string,
      operationId: string,
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
            body: withExample(body, s.DECISION_BODY_EXAMPLES[path as keyof typeof s.DECISION_BODY_EXAMPLES]),
            operationId,
            tags: ['decisions'],
            summary,
            description: DECISION_DESCRIPTION,
            response: {
              200: withExample(s.DecisionResult, s.DECISION_RESULT_EXAMPLE),
              202: s.PendingDecision,
              409: problemResponse(
                'the claim workflow refused the decision (its reason is the detail), the claim is closed, or the Idempotency-Key is still in use',
              ),
              422: problemResponse(
                'the decision is not well formed (a correction naming a field it may not change, or a bad value; `errors` names it), or the Idempotency-Key was used for another request',
              ),
              503: problemResponse(
                'the claim workflow did not take the decision in time; nothing happened, send it again',
              ),
            },
          },
          config: { roles: WORK_ROLES, idempotent: true },
        },
        async (req, reply) => {
          const params = req.params as Static<typeof s.ClaimIdParams>;
          const claim = await claimForPrincipal(deps.db, req, params.id);
          const errors = check(req.body as Static<B>);
          if (errors.length > 0) throw unprocessable('the decision is not well formed', errors);
          // Attachments named for an appeal packet must be this claim's, checked before anything is filed.
          const attachmentIds = (req.body as { attachmentIds?: string[] }).attachmentIds ?? [];
          if (attachmentIds.length > 0) {
            const { missing } = await attachmentsByIds(deps.db, claim.id, attachmentIds);
            if (missing.length > 0) {
              throw unprocessable(
                'the appeal names attachments this claim does not have',
                missing.map((id) => ({
                  field: `body/attachmentIds/${attachmentIds.indexOf(id)}`,
                  message: `${id} is not an attachment of this claim`,
                })),
              );
            }
          }
          const handle = deps.temporal.workflow.getHandle(claim.workflow_id);
          const input = { ...(req.body as object), actor: req.principal!.userId, requestId: req.id } as T;
          const updateId = updateIdFor(req) ?? randomUUID();
          const outcome = await decide(deps, handle, def, input, updateId, waits.decisionMs);
          const row = claimJson(deps, (await getClaimByUuid(deps.db, claim.id))!);
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
          return reply.status(200).send({ claim: row, state: outcome.state as Static<typeof s.LiveState> });
        },
      );
    };
    decision(
      'resubmit-corrected',
      'resubmitCorrectedClaim',
      s.ResubmitBody,
      m.resubmitCorrectedUpdate,
      'Send a corrected claim (frequency 7, or a new original after a rejection)',
    );
    decision('appeals', 'fileAppeal', s.AppealBody, m.fileAppealUpdate, 'File the next appeal level');
    decision(
      'appeal-decision',
      'recordAppealDecision',
      s.AppealDecisionBody,
      m.recordAppealDecisionUpdate,
      'Record the payer’s appeal decision',
    );
    decision(
      'override-claim-rules',
      'overrideClaimRules',
      s.OverrideRulesBody,
      m.overrideClaimRulesUpdate,
      'File a claim held by claim rules as it is; the reason is recorded in the timeline',
    );
    decision('write-off', 'writeOffClaim', s.WriteOffBody, m.writeOffUpdate, 'Write off the open balance');
    decision(
      'transfer-to-patient',
      'transferClaimToPatient',
      s.TransferBody,
      m.transferToPatientUpdate,
      'Bill the denied amount to the patient',
    );
    decision(
      'assign',
      'assignClaim',
      s.AssignBody,
      m.assignUpdate,
      'Assign the claim to a biller (null unassigns)',
    );
    decision('notes', 'addClaimNote', s.NoteBody, m.addNoteUpdate, 'Add a note to the claim');
    decision(
      'holds',
      'placeHold',
      s.HoldBody,
      m.placeHoldUpdate,
      'Place a dunning hold on the patient balance',
    );
    decision('holds/release', 'releaseHold', s.HoldBody, m.releaseHoldUpdate, 'Release a dunning hold');
    decision(
      'payment-plan',
      'setUpPaymentPlan',
      s.PaymentPlanBody,
      m.setupPaymentPlanUpdate,
      'Put the patient balance on a payment plan',
    );

    app.post(
      '/claims/:id/patient-payments',
      {
        schema: {
          params: s.ClaimIdParams,
          body: withExample(s.PatientPaymentBody, s.PATIENT_PAYMENT_EXAMPLE),
          operationId: 'recordPatientPayment',
          tags: ['patients'],
          summary:
            'Record a patient payment (a signal to the claim, which passes it to its patient-balance workflow)',
          description: '202: the claim will apply it; the reference makes it count once.',
          response: {
            202: s.PatientPaymentAccepted,
            409: problemResponse(
              'the claim is closed: record the payment as unapplied cash; or the Idempotency-Key is still in use',
            ),
          },
        },
        config: { roles: WORK_ROLES, idempotent: true },
      },
      async (req, reply) => {
        const claim = await claimForPrincipal(deps.db, req, req.params.id);
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
