/**
 * The HTTP API as a Fastify app built by a factory (`buildApp(deps)`), so tests use `app.inject()` on the
 * very app production listens with. The plugins carry what holds for every route (problem+json errors,
 * request guards, API keys and roles, Idempotency-Key, the OpenAPI document); each route file registers
 * one resource and imports only its own schema file. Nothing imports this file but main.ts and tests.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { registerAuth } from './plugins/auth.js';
import { registerGuards, requestIdOf } from './plugins/guards.js';
import { registerIdempotency } from './plugins/idempotency.js';
import { registerOpenApi } from './plugins/openapi.js';
import { registerProblems } from './plugins/problems.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { claimRoutes } from './routes/claims.js';
import { decisionRoutes } from './routes/decisions.js';
import { documentRoutes } from './routes/documents.js';
import { exportRoutes } from './routes/exports.js';
import { healthRoutes } from './routes/health.js';
import { kpiRoutes } from './routes/kpis.js';
import { payerRuleRoutes } from './routes/payer-rules.js';
import { remittanceRoutes } from './routes/remittances.js';
import { workQueueRoutes } from './routes/work-queues.js';
import type { App, AppDeps } from './types.js';

export type { App, AppDeps, RouteRoles } from './types.js';

/** Builds the API. The caller owns `db` and `temporal` and closes them after `app.close()`. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.log,
    bodyLimit: deps.config.api.bodyLimitBytes,
    genReqId: (req) => requestIdOf(req.headers['x-request-id']),
    // Unknown fields are an error, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array' } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  // Answers are plain JSON.stringify: response schemas document and are tested (the fuzz run checks
  // every answer against them), but never reshape an answer silently.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // Order matters: the rate limit answers before a key is looked up, authentication runs before the
  // guards' and the idempotency preHandlers, and the route-config hooks (roles, documentation) must be in
  // place before the first route is added.
  registerProblems(app);
  await registerGuards(app, deps);
  registerAuth(app, deps.db);
  registerIdempotency(app, deps.db);
  await registerOpenApi(app);

  await app.register(healthRoutes(deps));
  await app.register(claimRoutes(deps));
  await app.register(decisionRoutes(deps));
  await app.register(workQueueRoutes(deps));
  await app.register(remittanceRoutes(deps));
  await app.register(payerRuleRoutes(deps));
  await app.register(kpiRoutes(deps));
  await app.register(exportRoutes(deps));
  await app.register(apiKeyRoutes(deps));
  if (deps.documents) await app.register(documentRoutes({ ...deps, documents: deps.documents }));
  return app;
}
