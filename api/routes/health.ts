/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: Postgres and Temporal answer). */
import type { Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { RETRY_AFTER_SECONDS } from '../plugins/unavailable.js';
import { Status } from '../schemas/health.js';
import type { App, AppDeps } from '../types.js';

/** Longest a readiness check waits for one dependency. */
export const READINESS_CHECK_MS = 2_000;

/** `p`, or a rejection once READINESS_CHECK_MS have passed. */
function bounded<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('readiness check timed out')), READINESS_CHECK_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function healthRoutes(deps: AppDeps) {
  return async function routes(app: App): Promise<void> {
    app.get(
      '/healthz',
      {
        schema: {
          tags: ['operations'],
          operationId: 'getLiveness',
          summary: 'The API process is alive',
          security: [],
          response: { 200: Status },
        },
        config: { roles: 'public' },
      },
      async () => ({ status: 'ok' }),
    );
    app.get(
      '/readyz',
      {
        schema: {
          tags: ['operations'],
          operationId: 'getReadiness',
          summary: 'Postgres and Temporal are reachable (503 with Retry-After when not)',
          security: [],
          response: { 200: Status, 503: Status },
        },
        config: { roles: 'public' },
      },
      async (_req, reply) => {
        const temporal = deps.temporal.connection as Connection;
        // Each check is bounded: a dependency that hangs (a stopped Temporal frontend, a Postgres that
        // accepts but does not answer) must make readiness say "not ready", not make it hang.
        const checks = await Promise.all([
          bounded(sql`select 1`.execute(deps.db)).then(
            () => ['postgres', 'ok'] as const,
            () => ['postgres', 'unavailable'] as const,
          ),
          // The deadline also stops the SDK's own retries of the call, which would otherwise go on after
          // the answer (and fail loudly once the connection is closed at shutdown).
          bounded(
            temporal.withDeadline(Date.now() + READINESS_CHECK_MS, () => temporal.healthService.check({})),
          ).then(
            () => ['temporal', 'ok'] as const,
            () => ['temporal', 'unavailable'] as const,
          ),
        ]);
        const ready = checks.every(([, v]) => v === 'ok');
        if (!ready) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
        return reply
          .status(ready ? 200 : 503)
          .send({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(checks) });
      },
    );
  };
}
