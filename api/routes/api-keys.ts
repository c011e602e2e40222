/**
 * How a practice provisions its users: its admin issues one API key per person or system, with a role
 * and the practices it may act for (never more than the admin's own), lists them, and revokes them.
 * A key is shown once, at issue; only its SHA-256 hash is stored.
 */
import { issueApiKey, listApiKeys, revokeApiKey } from '../../db/api-keys.js';
import { forbiddenPractice, practicesFor } from '../plugins/auth.js';
import { notFound } from '../plugins/problems.js';
import * as s from '../schemas/api-keys.js';
import type { App, AppDeps } from '../types.js';
import { isoTimestamp } from '../views.js';

function json(k: Awaited<ReturnType<typeof listApiKeys>>[number]) {
  return {
    id: k.id,
    userId: k.userId,
    role: k.role,
    practiceIds: k.practiceIds,
    createdAt: isoTimestamp(k.createdAt),
    revokedAt: k.revokedAt ? isoTimestamp(k.revokedAt) : null,
  };
}

export function apiKeyRoutes(deps: AppDeps) {
  return async function routes(app: App): Promise<void> {
    app.post(
      '/api-keys',
      {
        schema: {
          body: s.IssueBody,
          tags: ['users'],
          operationId: 'issueApiKey',
          summary: 'Issue an API key for a user of the admin’s practices (the key is in this answer only)',
          description: 'A practice the admin does not hold answers 403.',
          response: {
            201: s.IssuedApiKey,
          },
        },
        config: { roles: ['admin'], idempotent: true },
      },
      async (req, reply) => {
        const held = practicesFor(req);
        const outside = req.body.practiceIds.find((p) => !held.includes(p));
        if (outside) throw forbiddenPractice(outside);
        const issued = await issueApiKey(deps.db, req.body);
        req.log.info({ apiKeyId: issued.id, userId: issued.userId, role: issued.role }, 'api key issued');
        return reply.status(201).send({ ...json(issued), key: issued.key });
      },
    );

    app.get(
      '/api-keys',
      {
        schema: {
          querystring: s.ApiKeyListQuery,
          tags: ['users'],
          operationId: 'listApiKeys',
          summary: 'The keys whose practices are all the admin’s',
          response: {
            200: s.ApiKeyList,
          },
        },
        config: { roles: ['admin'] },
      },
      async (req) => ({
        items: (await listApiKeys(deps.db, practicesFor(req), req.query.includeRevoked ?? false)).map(json),
      }),
    );

    app.delete(
      '/api-keys/:id',
      {
        schema: {
          params: s.ApiKeyParams,
          tags: ['users'],
          operationId: 'revokeApiKey',
          summary: 'Revoke a key at once (its next request answers 401)',
          description:
            'A key holding a practice the admin does not hold answers 404. Revoking twice is harmless.',
          response: { 200: s.ApiKeyItem },
        },
        config: { roles: ['admin'] },
      },
      async (req) => {
        const revoked = await revokeApiKey(deps.db, req.params.id, practicesFor(req));
        if (!revoked) throw notFound(`api key ${req.params.id}`);
        req.log.info({ apiKeyId: revoked.id, userId: revoked.userId }, 'api key revoked');
        return json(revoked);
      },
    );
  };
}
