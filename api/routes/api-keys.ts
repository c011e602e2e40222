/**
 * How a practice provisions its users: its admin issues one API key per person or system, with a role
 * and the practices it may act for (never more than the admin's own), lists them, and revokes them.
 * A key is shown once, at issue; only its SHA-256 hash is stored.
 */
import { Type } from 'typebox';
import { issueApiKey, listApiKeys, ROLES, revokeApiKey } from '../../db/api-keys.js';
import type { App, AppDeps } from '../app.js';
import { notFound } from '../errors.js';
import * as r from '../responses.js';
import { forbiddenPractice, isoTimestamp, practicesFor } from '../views.js';

const PracticeId = Type.String({ pattern: '^[a-z0-9-]{1,20}$' });

const ApiKeyItem = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    userId: Type.String(),
    role: Type.Enum(ROLES),
    practiceIds: Type.Array(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
    revokedAt: r.Nullable(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

const IssueBody = Type.Object(
  {
    userId: Type.String({
      pattern: '^[A-Za-z0-9._@-]{1,100}$',
      description: 'who uses the key (recorded as the actor of every decision)',
    }),
    role: Type.Enum(ROLES),
    practiceIds: Type.Array(PracticeId, { minItems: 1, maxItems: 100, uniqueItems: true }),
  },
  { additionalProperties: false },
);

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
          body: IssueBody,
          tags: ['users'],
          summary: 'Issue an API key for a user of the admin’s practices (the key is in this answer only)',
          description: 'A practice the admin does not hold answers 403.',
          response: {
            201: Type.Object(
              { ...ApiKeyItem.properties, key: Type.String() },
              { additionalProperties: false },
            ),
            ...r.problemResponses,
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
          querystring: Type.Object(
            { includeRevoked: Type.Optional(Type.Boolean({ default: false })) },
            { additionalProperties: false },
          ),
          tags: ['users'],
          summary: 'The keys whose practices are all the admin’s',
          response: {
            200: Type.Object({ items: Type.Array(ApiKeyItem) }, { additionalProperties: false }),
            ...r.problemResponses,
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
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
          tags: ['users'],
          summary: 'Revoke a key at once (its next request answers 401)',
          description:
            'A key holding a practice the admin does not hold answers 404. Revoking twice is harmless.',
          response: { 200: ApiKeyItem, ...r.problemResponses },
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
