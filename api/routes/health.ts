/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: Postgres and Temporal answer). */
import type { Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { Status } from '../schemas/health.js';
import type { App, AppDeps } from '../types.js';

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
          summary: 'Postgres and Temporal are reachable',
          security: [],
          response: { 200: Status, 503: Status },
        },
        config: { roles: 'public' },
      },
      async (_req, reply) => {
        const checks = await Promise.all([
          sql`select 1`.execute(deps.db).then(
            () => ['postgres', 'ok'] as const,
            () => ['postgres', 'unavailable'] as const,
          ),
          (deps.temporal.connection as Connection).healthService.check({}).then(
            () => ['temporal', 'ok'] as const,
            () => ['temporal', 'unavailable'] as const,
          ),
        ]);
        const ready = checks.every(([, v]) => v === 'ok');
        return reply
          .status(ready ? 200 : 503)
          .send({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(checks) });
      },
    );
  };
}
