/**
 * The codec server the Temporal UI decodes (and encodes) payloads through: `POST /codec/decode` and
 * `POST /codec/encode` in Temporal's remote-codec format. CORS answers the UI's origin only (the origin
 * of `TEMPORAL_UI_URL`), preflight included. A decode is granted only to a supervisor or admin of the
 * practice of every workflow whose payloads it carries: each sealed payload names its workflow (bound to
 * the ciphertext, so it cannot be relabelled), whose practice comes from the claims table. Every decode
 * request, granted or refused, is written to the codec access log, which admins read at
 * `GET /codec/access-log`.
 */
import type { Payload } from '@temporalio/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { listCodecAccess, practiceOfWorkflow, recordCodecAccess } from '../../db/codec-access.js';
import { AesGcmPayloadCodec, isSealed, sealedWorkflowId } from '../../temporal/codec.js';
import { practicesFor } from '../plugins/auth.js';
import { Problem } from '../plugins/problems.js';
import * as s from '../schemas/codec.js';
import { type App, type AppDeps, WORK_ROLES } from '../types.js';

/** Roles that may read a claim's payloads in the UI (of their own practices only). */
const DECODE_ROLES: readonly string[] = ['supervisor', 'admin'];

type WirePayload = { metadata?: Record<string, string>; data?: string };

const toPayload = (p: WirePayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
  ),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toWire = (p: Payload): WirePayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [
      k,
      Buffer.from(v ?? new Uint8Array()).toString('base64'),
    ]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

export function codecRoutes(deps: AppDeps) {
  return async function routes(app: App): Promise<void> {
    const codec = deps.payloadKeys ? new AesGcmPayloadCodec(deps.payloadKeys) : undefined;
    const uiOrigin = new URL(deps.config.temporal.uiUrl).origin;

    // Every answer of these routes (errors from authentication included) carries the CORS headers the
    // UI's origin needs; other origins get none, so a browser refuses to hand them the answer.
    app.addHook('onSend', async (req, reply) => {
      if (req.headers.origin !== uiOrigin) return;
      reply.header('access-control-allow-origin', uiOrigin);
      reply.header('access-control-allow-credentials', 'true');
      reply.header('vary', 'Origin');
    });

    const preflight = async (req: FastifyRequest, reply: FastifyReply) => {
      if (req.headers.origin !== uiOrigin) throw new Problem(403, 'Forbidden', 'origin not allowed');
      reply.header('access-control-allow-methods', 'POST, OPTIONS');
      reply.header('access-control-allow-headers', 'authorization, content-type, x-namespace, x-request-id');
      reply.header('access-control-max-age', '600');
      return reply.status(204).send();
    };
    for (const path of ['/codec/decode', '/codec/encode']) {
      app.options(
        path,
        {
          // CORS plumbing of the browser, not an operation of the API: left out of the document.
          schema: { hide: true },
          config: { roles: 'public' },
        },
        preflight,
      );
    }

    const requireCodec = () => {
      if (!codec) throw new Problem(503, 'Service Unavailable', 'no payload keys are configured');
      return codec;
    };
    const checkNamespace = (req: FastifyRequest) => {
      const ns = req.headers['x-namespace'];
      if (typeof ns === 'string' && ns !== '' && ns !== deps.config.temporal.namespace)
        throw new Problem(403, 'Forbidden', `namespace ${ns} is not served by this codec`);
    };

    app.post(
      '/codec/decode',
      {
        schema: {
          body: s.CodecBody,
          tags: ['codec'],
          operationId: 'codecDecode',
          summary: 'Decrypt payloads for the Temporal UI (supervisors and admins of the workflow’s practice)',
          description:
            'Every sealed payload must name a workflow of one of the caller’s practices; otherwise 403 and ' +
            'nothing is decrypted. Each request is written to the codec access log, granted or refused.',
          response: { 200: s.CodecAnswer },
        },
        // Every role of the people who work claims reaches the handler, so that a refused decode is
        // logged with who asked; systems (integration keys) are refused before.
        config: { roles: WORK_ROLES },
      },
      async (req) => {
        const c = requireCodec();
        checkNamespace(req);
        const principal = req.principal!;
        const payloads = req.body.payloads.map(toPayload);
        const perWorkflow = new Map<string, number>();
        let unnamed = 0;
        for (const p of payloads) {
          if (!isSealed(p)) continue;
          const wid = sealedWorkflowId(p);
          if (wid) perWorkflow.set(wid, (perWorkflow.get(wid) ?? 0) + 1);
          else unnamed++;
        }
        if (perWorkflow.size === 0 && unnamed === 0) return { payloads: payloads.map(toWire) };
        const practices = new Map<string, string | undefined>();
        for (const wid of perWorkflow.keys()) practices.set(wid, await practiceOfWorkflow(deps.db, wid));
        const roleOk = DECODE_ROLES.includes(principal.role);
        const allowed =
          roleOk &&
          unnamed === 0 &&
          [...practices.values()].every((p) => p !== undefined && principal.practiceIds.includes(p));
        for (const [wid, count] of perWorkflow) {
          await recordCodecAccess(deps.db, {
            userId: principal.userId,
            role: principal.role,
            practiceId: practices.get(wid) ?? null,
            workflowId: wid,
            payloadCount: count,
            allowed,
            requestId: req.id,
          });
        }
        if (!allowed) {
          req.log.warn(
            { userId: principal.userId, workflows: [...perWorkflow.keys()] },
            'codec decode refused',
          );
          throw new Problem(
            403,
            'Forbidden',
            roleOk
              ? 'these payloads belong to a workflow outside your practices'
              : `the ${principal.role} role may not decode payloads`,
          );
        }
        try {
          return { payloads: (await c.decode(payloads)).map(toWire) };
        } catch (err) {
          throw new Problem(422, 'Unprocessable Content', (err as Error).message);
        }
      },
    );

    app.post(
      '/codec/encode',
      {
        schema: {
          body: s.CodecBody,
          tags: ['codec'],
          operationId: 'codecEncode',
          summary: 'Encrypt payloads the Temporal UI sends (a signal typed in the UI) with the active key',
          response: { 200: s.CodecAnswer },
        },
        config: { roles: ['supervisor', 'admin'] },
      },
      async (req) => {
        const c = requireCodec();
        checkNamespace(req);
        return { payloads: (await c.encode(req.body.payloads.map(toPayload))).map(toWire) };
      },
    );

    app.get(
      '/codec/access-log',
      {
        schema: {
          querystring: s.AccessLogQuery,
          tags: ['codec'],
          operationId: 'listCodecAccess',
          summary: 'Who decoded which workflow’s payloads, and when (newest first)',
          response: { 200: s.AccessLog },
        },
        config: { roles: ['admin'] },
      },
      async (req) => {
        const rows = await listCodecAccess(
          deps.db,
          practicesFor(req, req.query.practiceId),
          undefined,
          (req.query.limit ?? 100) - 1,
        );
        return {
          items: rows.map((r) => ({
            id: String(r.id),
            at: r.at.toISOString(),
            userId: r.user_id,
            role: r.role,
            practiceId: r.practice_id,
            workflowId: r.workflow_id,
            payloadCount: r.payload_count,
            allowed: r.allowed,
            requestId: r.request_id,
          })),
        };
      },
    );
  };
}
