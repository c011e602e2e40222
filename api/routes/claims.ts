/**
 * Claims: intake (stores the claim and starts its workflow), the claim screen (row + live workflow
 * state), and the biller decisions, each a Temporal update whose validator may refuse it (409).
 */
import {
  WorkflowExecutionAlreadyStartedError,
  type WorkflowHandle,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { claimRefOf, getClaimByUuid, getClaimLines, insertClaim } from '../../db/claims.js';
import type { ClaimRow } from '../../db/schema.js';
import { isValidIsoDate } from '../../domain/dates.js';
import { claimWorkflowId } from '../../workflows/ids.js';
import * as m from '../../workflows/messages.js';
import * as sa from '../../workflows/search-attributes.js';
import type { App, AppDeps } from '../app.js';
import { conflict, notFound, Problem, unprocessable } from '../errors.js';
import * as s from '../schemas.js';

const INTAKE_ROLES = ['biller', 'supervisor', 'admin', 'integration'] as const;
const WORK_ROLES = ['biller', 'supervisor', 'admin'] as const;

/** Loads a claim the caller may see; another practice's claim is indistinguishable from a missing one. */
export async function claimForPrincipal(deps: AppDeps, req: FastifyRequest, id: string): Promise<ClaimRow> {
  const claim = await getClaimByUuid(deps.db, id);
  if (!claim || !req.principal?.practiceIds.includes(claim.practice_id)) throw notFound(`claim ${id}`);
  return claim;
}

function claimJson(row: ClaimRow) {
  return {
    id: row.id,
    practiceId: row.practice_id,
    claimId: row.claim_id,
    payerId: row.payer_id,
    status: row.status,
    workflowId: row.workflow_id,
    dateOfService: row.date_of_service,
    totalChargeCents: row.total_charge_cents,
    paidCents: row.paid_cents,
    adjustmentCents: row.adjustment_cents,
    patientResponsibilityCents: row.patient_responsibility_cents,
    patientPaidCents: row.patient_paid_cents,
    writtenOffCents: row.written_off_cents,
    openBalanceCents: row.open_balance_cents,
    denialCategory: row.denial_category,
    recommendedAction: row.recommended_action,
    assignedTo: row.assigned_to,
    escalated: row.escalated,
    priority: row.priority,
    nextDeadline: row.next_deadline?.toISOString() ?? null,
    payerClaimNumber: row.payer_claim_number,
    createdAt: row.created_at.toISOString(),
  };
}

/** Starts the claim workflow; a running or finished run for the same id is left as it is. */
export async function startClaimWorkflow(deps: AppDeps, row: ClaimRow): Promise<void> {
  try {
    await deps.temporal.workflow.start('claimWorkflow', {
      workflowId: row.workflow_id,
      taskQueue: deps.config.temporal.taskQueue,
      args: [{ claim: claimRefOf(row) }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A claim that already ran to the end is reopened only by a remittance, never by intake.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: sa.ClaimStatusKey, value: 'SUBMITTING' },
        { key: sa.PracticeIdKey, value: row.practice_id },
        { key: sa.PayerIdKey, value: row.payer_id },
        { key: sa.OpenBalanceCentsKey, value: row.open_balance_cents },
        { key: sa.EscalatedKey, value: false },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** Runs a decision update and maps a refusal to 409 with the workflow's reason. */
async function decide<T>(
  handle: WorkflowHandle,
  def: import('@temporalio/common').UpdateDefinition<m.ClaimView, [T]>,
  input: T,
): Promise<m.ClaimView> {
  try {
    return await handle.executeUpdate(def, { args: [input] });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = err.cause;
      const reason =
        cause instanceof ApplicationFailure || cause instanceof Error
          ? cause.message
          : 'the decision was refused';
      throw conflict(reason);
    }
    if (err instanceof WorkflowNotFoundError)
      throw conflict('the claim is closed: its workflow is no longer running');
    throw err;
  }
}

export function claimRoutes(deps: AppDeps) {
  return async function routes(app: App): Promise<void> {
    app.post(
      '/claims',
      {
        schema: {
          body: s.CreateClaimBody,
          tags: ['claims'],
          summary: 'Submit a claim: stores it and starts its workflow',
        },
        config: { roles: INTAKE_ROLES },
      },
      async (req, reply) => {
        const body = req.body;
        if (!req.principal!.practiceIds.includes(body.practiceId)) {
          throw new Problem(403, 'Forbidden', `this key may not act for practice ${body.practiceId}`);
        }
        const errors = await intakeErrors(deps, body);
        if (errors.length > 0) throw unprocessable('the claim cannot be accepted', errors);
        const workflowId = claimWorkflowId(body.practiceId, body.claimId);
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
          workflowId,
        });
        // Also on a repeat: a claim stored while Temporal was unreachable gets its workflow now.
        await startClaimWorkflow(deps, claim);
        return reply.status(created ? 201 : 200).send({ ...claimJson(claim), created });
      },
    );

    app.get(
      '/claims/:id',
      {
        schema: {
          params: s.ClaimIdParams,
          tags: ['claims'],
          summary: 'A claim with its lines and live workflow state',
        },
        config: { roles: WORK_ROLES },
      },
      async (req) => {
        const claim = await claimForPrincipal(deps, req, req.params.id);
        const lines = await getClaimLines(deps.db, claim.id);
        let live: m.ClaimView | null = null;
        let liveError: string | undefined;
        try {
          live = await deps.temporal.workflow.getHandle(claim.workflow_id).query(m.stateQuery);
        } catch (err) {
          liveError = err instanceof Error ? err.message : String(err);
        }
        return {
          ...claimJson(claim),
          lines: lines.map((l) => ({
            lineNumber: l.line_number,
            procedureCode: l.procedure_code,
            modifiers: l.modifiers,
            units: l.units,
            chargeCents: l.charge_cents,
            serviceDate: l.service_date,
          })),
          live,
          ...(liveError ? { liveError: 'live workflow state is unavailable right now' } : {}),
        };
      },
    );

    const decision = <B extends TSchema, T>(
      path: string,
      body: B,
      def: import('@temporalio/common').UpdateDefinition<m.ClaimView, [T]>,
      summary: string,
      roles: readonly ('biller' | 'supervisor' | 'admin')[] = WORK_ROLES,
      toInput: (b: Static<B>) => Omit<T, 'actor' | 'requestId'> = (b) => b as Omit<T, 'actor' | 'requestId'>,
    ) => {
      app.post(
        `/claims/:id/${path}`,
        { schema: { params: s.ClaimIdParams, body, tags: ['decisions'], summary }, config: { roles } },
        async (req) => {
          const params = req.params as Static<typeof s.ClaimIdParams>;
          const claim = await claimForPrincipal(deps, req, params.id);
          const handle = deps.temporal.workflow.getHandle(claim.workflow_id);
          const input = {
            ...toInput(req.body as Static<B>),
            actor: req.principal!.userId,
            requestId: req.id,
          } as T;
          const state = await decide(handle, def, input);
          return { claim: claimJson((await getClaimByUuid(deps.db, claim.id))!), state };
        },
      );
    };
    decision(
      'resubmit-corrected',
      s.ResubmitBody,
      m.resubmitCorrectedUpdate,
      'Send a corrected claim (frequency 7 or a new original)',
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
    decision('assign', s.AssignBody, m.assignUpdate, 'Assign the claim to a biller', [
      'supervisor',
      'admin',
      'biller',
    ]);
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
          summary: 'Record a patient payment',
        },
        config: { roles: WORK_ROLES },
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
async function intakeErrors(deps: AppDeps, body: s.CreateClaimBody) {
  const errors: { field: string; message: string }[] = [];
  const [payer, practice] = await Promise.all([
    deps.db.selectFrom('payers').select('id').where('id', '=', body.payerId).executeTakeFirst(),
    deps.db.selectFrom('practices').select('id').where('id', '=', body.practiceId).executeTakeFirst(),
  ]);
  if (!payer) errors.push({ field: 'body/payerId', message: `unknown payer ${body.payerId}` });
  if (!practice) errors.push({ field: 'body/practiceId', message: `unknown practice ${body.practiceId}` });
  const today = new Date().toISOString().slice(0, 10);
  if (isValidIsoDate(body.dateOfService) && body.dateOfService > today) {
    errors.push({ field: 'body/dateOfService', message: 'is in the future' });
  }
  if (body.patient.birthDate > body.dateOfService)
    errors.push({ field: 'body/patient/birthDate', message: 'is after the date of service' });
  body.lines.forEach((l, i) => {
    if (l.serviceDate && l.serviceDate > today)
      errors.push({ field: `body/lines/${i}/serviceDate`, message: 'is in the future' });
    for (const [j, p] of (l.diagnosisPointers ?? [1]).entries()) {
      if (p > body.diagnosisCodes.length) {
        errors.push({
          field: `body/lines/${i}/diagnosisPointers/${j}`,
          message: `points past the ${body.diagnosisCodes.length} diagnosis codes`,
        });
      }
    }
  });
  return errors;
}
