/**
 * The HTTP API as a Fastify app built by a factory (`buildApp(deps)`), so tests use `app.inject()` on the
 * very app production listens with. The plugins carry what holds for every route (problem+json errors,
 * request guards, API keys and roles, Idempotency-Key, the OpenAPI document); each route file registers
 * one resource and imports only its own schema file. Nothing imports this file but main.ts and tests.
 */
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { registerAuth, registerRequestScope } from './plugins/auth.js';
import { registerGuards, requestIdOf } from './plugins/guards.js';
import { registerIdempotency } from './plugins/idempotency.js';
import { registerOpenApi } from './plugins/openapi.js';
import { registerProblems } from './plugins/problems.js';
import { registerStrictBody } from './plugins/strict-body.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { auditRoutes } from './routes/audit.js';
import { claimRuleRoutes } from './routes/claim-rules.js';
import { claimRoutes } from './routes/claims.js';
import { codecRoutes } from './routes/codec.js';
import { costToCollectRoutes } from './routes/cost-to-collect.js';
import { decisionRoutes } from './routes/decisions.js';
import { documentRoutes } from './routes/documents.js';
import { exportRoutes } from './routes/exports.js';
import { feeScheduleRoutes } from './routes/fee-schedules.js';
import { healthRoutes } from './routes/health.js';
import { kpiRoutes } from './routes/kpis.js';
import { notificationRoutes } from './routes/notifications.js';
import { payerRuleRoutes } from './routes/payer-rules.js';
import { remittanceRoutes } from './routes/remittances.js';
import { searchRoutes } from './routes/search.js';
import { sessionRoutes } from './routes/session.js';
import { userRoutes } from './routes/users.js';
import { workQueueRoutes } from './routes/work-queues.js';
import { DEFAULT_SESSION_LIMITS } from './sessions/plugin.js';
import type { App, AppDeps } from './types.js';
import { defaultWebRoot, registerWebConsole } from './web-console.js';

export type { App, AppDeps, RouteRoles } from './types.js';

/** Builds the API. The caller owns `db` and `temporal` and closes them after `app.close()`. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.log,
    bodyLimit: deps.config.api.bodyLimitBytes,
    genReqId: (req) => requestIdOf(req.headers['x-request-id']),
    // Unknown fields are an error, not silently dropped. Coercion is for query strings and path
    // parameters (text by nature); bodies are type-checked before it (plugins/strict-body.ts).
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array' } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  // Answers are plain JSON.stringify: response schemas document and are tested (the fuzz run checks
  // every answer against them), but never reshape an answer silently.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // Order matters: the rate limit answers before a key is looked up, authentication runs before the
  // guards' and the idempotency preHandlers, and the route-config hooks (roles, documentation) must be in
  // place before the first route is added.
  registerProblems(app);
  // CONSOLE HOOK (sessions): cookies are parsed before the rate limit (keyed per session) and auth.
  await app.register(cookie);
  registerStrictBody(app);
  await registerGuards(app, deps);
  registerAuth(app, deps.db, { ...DEFAULT_SESSION_LIMITS, ...deps.sessions });
  if (deps.requestScope) registerRequestScope(app, deps.requestScope);
  registerIdempotency(app, deps.db);
  await registerOpenApi(app);

  await app.register(healthRoutes(deps));
  await app.register(claimRoutes(deps));
  await app.register(decisionRoutes(deps));
  await app.register(workQueueRoutes(deps));
  await app.register(remittanceRoutes(deps));
  await app.register(payerRuleRoutes(deps));
  await app.register(feeScheduleRoutes(deps));
  await app.register(claimRuleRoutes(deps));
  await app.register(kpiRoutes(deps));
  await app.register(costToCollectRoutes(deps));
  await app.register(exportRoutes(deps));
  await app.register(apiKeyRoutes(deps));
  // CONSOLE HOOK: sign-in and sessions, console users, claim search, and the built console at /.
  await app.register(sessionRoutes(deps));
  await app.register(userRoutes(deps));
  await app.register(searchRoutes(deps));
  if (deps.webRoot !== false) await registerWebConsole(app, deps.webRoot ?? defaultWebRoot());
  await app.register(codecRoutes(deps));
  await app.register(notificationRoutes(deps));
  await app.register(auditRoutes(deps));
  if (deps.documents) await app.register(documentRoutes({ ...deps, documents: deps.documents }));
  return app;
}
