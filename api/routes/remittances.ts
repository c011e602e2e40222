/**
 * Remittances: ERA upload, the remittance list, the unmatched queue and the manual match.
 *
 * Upload: the X12 835 text is parsed whole first (a malformed file is refused with the segment and rule,
 * nothing stored or posted), stored by checksum, then posted by the `era-<checksum>` workflow, so the
 * same file twice, or two concurrent uploads of it, post exactly once.
 *
 * Manual match: a supervisor points an unmatched claim loop at the right claim. The posting and the
 * MATCHED mark commit together; the claim is then told through `reopenWithRemittance`
 * (temporal/claim-client.ts), the same path ERA ingestion uses, so a closed claim is reopened from its
 * Postgres row.
 */
import { getClaimByUuid } from '../../db/claims.js';
import {
  getUnmatched,
  listRemittances,
  listUnmatched,
  markSignalled,
  matchUnmatched,
  type PracticeScope,
  pendingSignalOfPayment,
  storeEraFile,
} from '../../db/remittances.js';
import type { X12Warning } from '../../domain/x12/index.js';
import { reopenWithRemittance } from '../../temporal/claim-client.js';
import { eraIngestWorkflowId } from '../../workflows/era-ids.js';
import { decodeCursor, encodeCursor, page } from '../pagination.js';
import { claimForPrincipal, practicesFor } from '../plugins/auth.js';
import { X12_CONTENT_TYPES } from '../plugins/guards.js';
import { skipIdempotencyStore } from '../plugins/idempotency.js';
import { conflict, notFound, Problem, unprocessable } from '../plugins/problems.js';
import { PageOf, problemResponse, withExample } from '../schemas/common.js';
import * as s from '../schemas/remittances.js';
import { type App, type AppDeps, INTAKE_ROLES, OVERSIGHT_ROLES, WORK_ROLES } from '../types.js';
import { claimJson, isoTimestamp, temporalUiUrl } from '../views.js';
import { DEFAULT_WAITS, TIMED_OUT, waitAtMost } from '../waits.js';

/**
 * Practices a request reads remittances of; practice-less rows (payee not recognised) belong to no
 * practice, so only the installation operator sees them.
 */
function scopeOf(req: Parameters<typeof practicesFor>[0], practiceId: string | undefined): PracticeScope {
  return {
    practiceIds: practicesFor(req, practiceId),
    includeUnassigned: practiceId === undefined && req.principal!.role === 'operator',
  };
}

function unmatchedJson(
  u: NonNullable<Awaited<ReturnType<typeof getUnmatched>>>,
  remittance: { trace_number: string; payment_date: string },
) {
  return {
    id: u.id,
    remittanceId: u.remittance_id,
    claimIndex: u.claim_index,
    practiceId: u.practice_id,
    payerId: u.payer_id,
    traceNumber: remittance.trace_number,
    paymentDate: remittance.payment_date,
    patientControlNumber: u.patient_control_number,
    payerClaimNumber: u.payer_claim_number,
    paidCents: u.paid_cents,
    reason: u.reason,
    status: u.status as 'OPEN' | 'MATCHED',
    matchedClaimId: u.matched_claim_id,
    matchedBy: u.matched_by,
    matchedAt: u.matched_at ? isoTimestamp(u.matched_at) : null,
    createdAt: isoTimestamp(u.created_at),
  };
}

export function remittanceRoutes(deps: AppDeps) {
  const waits = { ...DEFAULT_WAITS, ...deps.waits };
  return async function routes(app: App): Promise<void> {
    app.post(
      '/remittances',
      {
        schema: {
          body: withExample(s.EraBody, s.ERA_EXAMPLE),
          consumes: [...X12_CONTENT_TYPES],
          tags: ['remittances'],
          operationId: 'uploadRemittance',
          summary: 'Upload an X12 835 remittance (text/plain or application/edi-x12 body)',
          description:
            '201 for a new file, 200 for a file already received, both once posted. 202 when posting takes ' +
            'longer than the request waits: it goes on in its workflow (upload the file again for the outcome). ' +
            'A malformed file answers 422 naming each segment and rule; nothing of it is posted.',
          response: {
            200: s.UploadResult,
            201: withExample(s.UploadResult, s.UPLOAD_RESULT_EXAMPLE),
            202: s.UploadAccepted,
            415: problemResponse(
              'the body is empty or not text/plain, application/edi-x12, application/x12 or a multipart/form-data file',
            ),
            422: problemResponse(
              'the 835 is malformed (`errors` names each segment and rule; nothing was posted), or the Idempotency-Key was used for another request',
            ),
          },
        },
        config: { roles: INTAKE_ROLES, idempotent: true },
        // A multipart upload becomes the same text body before validation, so the Idempotency-Key
        // fingerprint and everything after it see the file's content.
        preValidation: async (req) => {
          if (!req.isMultipart()) return;
          const file = await req.file();
          if (!file) throw new Problem(400, 'Bad Request', 'the form upload has no file part');
          req.body = (await file.toBuffer()).toString('utf8');
        },
      },
      async (req, reply) => {
        const raw = req.body;
        if (typeof raw !== 'string' || raw.trim() === '') {
          throw new Problem(
            415,
            'Unsupported Media Type',
            'send the 835 as a text/plain or application/edi-x12 body, or as a multipart/form-data file',
          );
        }
        const stored = await storeEraFile(deps.db, { raw, source: 'upload' });
        if (stored.status === 'REJECTED') {
          throw unprocessable(
            'the 835 was refused whole; nothing was posted',
            stored.error.errors.map((e) => ({
              field: `segment ${e.segmentPosition} (${e.segmentId}${e.element ? `${String(e.element).padStart(2, '0')}` : ''})`,
              message: `${e.rule}: ${e.message}`,
            })),
          );
        }
        const workflowId = eraIngestWorkflowId(stored.checksum);
        const ingestion = await deps.temporal.workflow.start('eraIngestWorkflow', {
          workflowId,
          taskQueue: deps.config.temporal.taskQueue,
          args: [{ eraFileId: stored.eraFileId }],
          // Concurrent uploads of the same file attach to one ingestion; a later re-upload re-runs it,
          // which posts nothing new and re-signals anything whose signal was lost.
          workflowIdConflictPolicy: 'USE_EXISTING',
        });
        const result = await waitAtMost(
          deps.temporal,
          waits.eraIngestMs,
          () =>
            ingestion.result() as Promise<{
              posted: number;
              alreadyPosted: number;
              unmatched: number;
              signalled: number;
            }>,
        );
        if (result === TIMED_OUT) {
          // Posting goes on in its workflow; uploading the same file again answers its outcome once done.
          skipIdempotencyStore(req);
          return reply.status(202).send({
            eraFileId: stored.eraFileId,
            checksum: stored.checksum,
            duplicateFile: !stored.isNew,
            transactions: stored.transactions,
            claims: stored.claims,
            warnings: stored.warnings,
            workflowId,
            temporalUiUrl: temporalUiUrl(deps, workflowId),
          });
        }
        return reply.status(stored.isNew ? 201 : 200).send({
          eraFileId: stored.eraFileId,
          checksum: stored.checksum,
          duplicateFile: !stored.isNew,
          transactions: stored.transactions,
          claims: stored.claims,
          warnings: stored.warnings,
          posted: result.posted,
          alreadyPosted: result.alreadyPosted,
          unmatched: result.unmatched,
          signalled: result.signalled,
        });
      },
    );

    app.get(
      '/remittances',
      {
        schema: {
          querystring: s.RemittanceQuery,
          tags: ['remittances'],
          operationId: 'listRemittances',
          summary: 'Remittances (one per 835 payment), newest first, with posted and unmatched claim counts',
          description: 'Remittances whose payee matched no practice are listed to admins only.',
          response: { 200: withExample(PageOf(s.RemittanceItem), s.REMITTANCE_PAGE_EXAMPLE) },
        },
        config: { roles: [...WORK_ROLES, 'operator'], ranges: [['receivedFrom', 'receivedTo']] },
      },
      async (req) => {
        const q = req.query;
        const limit = q.limit ?? 50;
        const after = q.cursor
          ? decodeCursor('remittances', q.cursor, ['timestamp', 'uuid'] as const)
          : undefined;
        const rows = await listRemittances(deps.db, {
          scope: scopeOf(req, q.practiceId),
          payerId: q.payerId,
          receivedFrom: q.receivedFrom,
          receivedTo: q.receivedTo,
          after: after ? { receivedAt: after[0], id: after[1] } : undefined,
          limit,
        });
        const p = page(rows, limit, (last) => encodeCursor('remittances', [last.cursor_ts, last.id]));
        return {
          items: p.items.map((x) => ({
            id: x.id,
            eraFileId: x.era_file_id,
            practiceId: x.practice_id,
            payerId: x.payer_id,
            traceNumber: x.trace_number,
            paymentCents: x.payment_cents,
            paymentMethod: x.payment_method,
            paymentDate: x.payment_date,
            receivedAt: isoTimestamp(x.received_at),
            warnings: (x.parse_warnings ?? []) as X12Warning[],
            postedClaims: x.posted_claims ?? 0,
            unmatchedClaims: x.unmatched_claims ?? 0,
          })),
          nextCursor: p.nextCursor,
        };
      },
    );

    app.get(
      '/remittances/unmatched',
      {
        schema: {
          querystring: s.UnmatchedQuery,
          tags: ['remittances'],
          operationId: 'listUnmatchedRemittanceLoops',
          summary: 'The unmatched queue: claim loops of remittances that matched no claim, oldest first',
          description: 'Loops whose payee matched no practice are listed to admins only.',
          response: { 200: PageOf(s.UnmatchedItem) },
        },
        config: { roles: [...WORK_ROLES, 'operator'] },
      },
      async (req) => {
        const q = req.query;
        const limit = q.limit ?? 50;
        const after = q.cursor
          ? decodeCursor('unmatched', q.cursor, ['timestamp', 'uuid'] as const)
          : undefined;
        const rows = await listUnmatched(deps.db, {
          scope: scopeOf(req, q.practiceId),
          status: q.status ?? 'OPEN',
          after: after ? { createdAt: after[0], id: after[1] } : undefined,
          limit,
        });
        const p = page(rows, limit, (last) => encodeCursor('unmatched', [last.cursor_ts, last.id]));
        return { items: p.items.map((u) => unmatchedJson(u, u)), nextCursor: p.nextCursor };
      },
    );

    app.post(
      '/remittances/unmatched/:id/match',
      {
        schema: {
          params: s.UnmatchedParams,
          body: s.MatchBody,
          tags: ['remittances'],
          operationId: 'matchUnmatchedRemittanceLoop',
          summary: 'Post an unmatched claim loop to the chosen claim and tell the claim',
          description:
            'The posting and the MATCHED mark commit together; the claim is signalled ' +
            'afterwards (`signalled: false` means Temporal was unreachable: re-uploading the ERA re-signals it). ' +
            '409 when the loop is already matched or its posting key was already posted; 422 when the claim ' +
            'belongs to another practice than the remittance.',
          response: {
            200: s.MatchResult,
            409: problemResponse(
              'the loop is already matched, its posting key was already posted, or the Idempotency-Key is still in use',
            ),
            422: problemResponse(
              'the claim belongs to another practice than the remittance (`body/claimId`), or the Idempotency-Key was used for another request',
            ),
          },
        },
        config: { roles: [...OVERSIGHT_ROLES, 'operator'], idempotent: true },
      },
      async (req) => {
        const unmatched = await getUnmatched(deps.db, req.params.id);
        const scope = scopeOf(req, undefined);
        const visible =
          unmatched &&
          (unmatched.practice_id === null
            ? scope.includeUnassigned
            : scope.practiceIds.includes(unmatched.practice_id));
        if (!unmatched || !visible) throw notFound(`unmatched remittance loop ${req.params.id}`);
        const claim = await claimForPrincipal(deps.db, req, req.body.claimId);
        if (unmatched.practice_id !== null && unmatched.practice_id !== claim.practice_id) {
          throw unprocessable('the claim belongs to another practice than the remittance', [
            {
              field: 'body/claimId',
              message: `is a claim of ${claim.practice_id}, the remittance paid ${unmatched.practice_id}`,
            },
          ]);
        }
        const result = await matchUnmatched(deps.db, {
          unmatchedId: unmatched.id,
          claim,
          matchedBy: req.principal!.userId,
        });
        if (result.kind === 'not_open') throw conflict(`the loop is already ${result.status}`);
        if (result.kind === 'already_posted') {
          throw conflict('this remittance loop (payer, trace number, CLP01, CLP07) is already posted');
        }
        let signalled = false;
        try {
          await reopenWithRemittance(
            deps.temporal,
            deps.config.temporal.taskQueue,
            await pendingSignalOfPayment(deps.db, result.paymentId),
          );
          await markSignalled(deps.db, result.paymentId);
          signalled = true;
        } catch (err) {
          req.log.warn(
            { claimId: claim.claim_id, err: { message: String(err) } },
            'manual match posted but not signalled',
          );
        }
        const after = (await getUnmatched(deps.db, unmatched.id))!;
        const remittance = await deps.db
          .selectFrom('remittances')
          .select(['trace_number', 'payment_date'])
          .where('id', '=', after.remittance_id)
          .executeTakeFirstOrThrow();
        return {
          unmatched: unmatchedJson(after, remittance),
          claim: claimJson(deps, (await getClaimByUuid(deps.db, claim.id))!),
          paymentId: result.paymentId,
          signalled,
        };
      },
    );
  };
}
