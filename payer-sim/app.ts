/**
 * payer-sim's Fastify app: the clearinghouse REST API under /v1 (bearer auth, faults) and the simulator
 * control API under /sim (no auth: bind payer-sim to loopback). `buildPayerSim` is the factory;
 * `payerSimPlugin` holds the routes, so the sim could also be mounted inside another Fastify instance.
 * The API is documented in payer-sim/README.md.
 */
import {
  type FastifyPluginAsyncTypebox,
  Type,
  type TypeBoxTypeProvider,
} from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyReply } from 'fastify';
import { type Logger, pino } from 'pino';
import { AppealPacketInbox, registerAppealPacketApi, registerAppealPacketControl } from './appeal-packets.js';
import {
  type PayerSimConfig,
  type PayerSimOptions,
  resolvePayerSimConfig,
  type SimControls,
  SimControlsSchema,
  SimControlsUpdateSchema,
} from './config.js';
import { registerFaults, seededRandom } from './faults.js';
import { DEFAULT_MIX, loadScenarioRules } from './scenarios.js';
import {
  AppealBodySchema,
  AppealStatusResultSchema,
  AppealSubmissionResultSchema,
  ClaimBodySchema,
  ClaimStatusResultSchema,
  ErrorBodySchema,
  IdempotencyHeadersSchema,
  RemittanceListingSchema,
  SubmissionResultSchema,
} from './schemas.js';
import { PayerSimulator, type SimAnswer } from './simulator.js';
import { emptyState, StateFile } from './store.js';

/**
 * Log redaction: payer-sim receives PHI (names, birth dates, member ids) and must never log it, even if a
 * body or claim object ends up in a log line by mistake.
 */
export const PHI_REDACT_PATHS = [
  'patient',
  '*.patient',
  '*.*.patient',
  'memberId',
  '*.memberId',
  'firstName',
  '*.firstName',
  'lastName',
  '*.lastName',
  'birthDate',
  '*.birthDate',
  'req.headers.authorization',
  'headers.authorization',
];

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

function send<T>(reply: FastifyReply, answer: SimAnswer<T>): FastifyReply {
  if (answer.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(answer.statusCode).send(answer.body);
}

/** Turns an Ajv error location into the field name clients see, e.g. `lines[0].chargeCents`. */
function fieldOf(
  context: string | undefined,
  error: { instancePath?: string; params?: Record<string, unknown> } | undefined,
): string | undefined {
  if (!error) return undefined;
  const parts = (error.instancePath ?? '')
    .split('/')
    .filter((p) => p !== '')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const missing = error.params?.missingProperty;
  if (typeof missing === 'string') parts.push(missing);
  if (context === 'headers' && parts[0] === 'idempotency-key') return 'Idempotency-Key';
  let field = '';
  for (const part of parts) field += /^\d+$/.test(part) ? `[${part}]` : field === '' ? part : `.${part}`;
  return field === '' ? undefined : field;
}

/** Options of the routes plugin. */
export interface PayerSimPluginOptions {
  config: PayerSimConfig;
}

/** The routes of payer-sim: /v1 (clearinghouse API), /sim (simulator control) and /health. */
export const payerSimPlugin: FastifyPluginAsyncTypebox<PayerSimPluginOptions> = async (app, { config }) => {
  const rules = config.scenarios ?? loadScenarioRules(config.scenariosFile);
  const stateFile = config.stateFile ? new StateFile(config.stateFile, app.log) : undefined;
  const state = stateFile?.load() ?? emptyState(config.now());
  const controls: SimControls = structuredClone(config.controls);
  const sim = new PayerSimulator({
    state,
    rules,
    controls,
    now: config.now,
    log: app.log,
    envelope: { senderId: config.senderId, receiverId: config.receiverId },
    onChange: (s) => stateFile?.scheduleSave(s),
  });
  const packets = new AppealPacketInbox({
    now: config.now,
    state: () => sim.snapshot,
    onChange: () => stateFile?.scheduleSave(sim.snapshot),
    knowsAppeal: (appealId) => appealId in sim.snapshot.appeals,
  });
  const shutdown = new AbortController();
  // Requests catch up on due work themselves; the timer makes files appear for clients that only wait.
  const timer = setInterval(() => {
    try {
      sim.advance(config.now());
    } catch (err) {
      app.log.error({ err }, 'payer-sim background cycle failed');
    }
  }, config.tickMs);
  timer.unref();
  app.addHook('preClose', async () => {
    shutdown.abort();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await stateFile?.flush();
  });
  if (stateFile) app.log.info({ stateFile: stateFile.path }, 'payer-sim state file in use');

  app.get('/health', async () => ({ status: 'ok' }));

  // How many requests per Idempotency-Key reached a handler (retries and replays included), in memory
  // only: with the stored keys it shows a client that retried N times and filed once.
  const receivedByKey = new Map<string, number>();
  const received = {
    counts: () => Object.fromEntries(receivedByKey),
    reset: () => receivedByKey.clear(),
  };

  let faults: ReturnType<typeof registerFaults> | undefined;
  await app.register(
    async (scope) => {
      const v1 = scope.withTypeProvider<TypeBoxTypeProvider>();
      faults = registerFaults(scope, {
        apiKey: config.apiKey,
        controls,
        now: config.now,
        random: config.faultSeed === undefined ? Math.random : seededRandom(config.faultSeed),
        shutdown: shutdown.signal,
      });

      scope.addHook('preHandler', async (request) => {
        const key = request.headers['idempotency-key'];
        if (request.method === 'POST' && typeof key === 'string')
          receivedByKey.set(key, (receivedByKey.get(key) ?? 0) + 1);
      });

      v1.post(
        '/claims',
        {
          schema: {
            headers: IdempotencyHeadersSchema,
            body: ClaimBodySchema,
            response: { 200: SubmissionResultSchema },
          },
        },
        async (request, reply) =>
          send(reply, sim.submitClaim(request.headers['idempotency-key'], request.body)),
      );

      v1.get(
        '/claims/:patientControlNumber/status',
        {
          schema: {
            params: Type.Object({ patientControlNumber: Type.String({ minLength: 1 }) }),
            querystring: Type.Object({ payerId: Type.String({ minLength: 1 }) }),
            response: { 200: ClaimStatusResultSchema },
          },
        },
        async (request, reply) =>
          send(reply, sim.claimStatus(request.query.payerId, request.params.patientControlNumber)),
      );

      v1.post(
        '/appeals',
        {
          schema: {
            headers: IdempotencyHeadersSchema,
            body: AppealBodySchema,
            response: { 200: AppealSubmissionResultSchema },
          },
        },
        async (request, reply) =>
          send(reply, sim.submitAppeal(request.headers['idempotency-key'], request.body)),
      );

      v1.get(
        '/appeals/:appealId',
        {
          schema: {
            params: Type.Object({ appealId: Type.String({ minLength: 1 }) }),
            response: { 200: AppealStatusResultSchema },
          },
        },
        async (request, reply) => send(reply, sim.appealStatus(request.params.appealId)),
      );

      await registerAppealPacketApi(scope, packets);

      v1.get(
        '/remittances',
        {
          schema: {
            querystring: Type.Object({
              after: Type.Optional(Type.String({ maxLength: 100 })),
              limit: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,3}$' })),
            }),
            response: { 200: RemittanceListingSchema },
          },
        },
        async (request, reply) => {
          const limit = Math.min(MAX_PAGE, Number(request.query.limit ?? DEFAULT_PAGE));
          return send(reply, sim.listRemittances(request.query.after, limit));
        },
      );

      v1.get(
        '/remittances/:remittanceId',
        { schema: { params: Type.Object({ remittanceId: Type.String({ minLength: 1 }) }) } },
        async (request, reply) => {
          const body = sim.remittanceBody(request.params.remittanceId);
          if (body === undefined) {
            return reply.code(404).send({ message: `Remittance ${request.params.remittanceId} not found.` });
          }
          return reply.type('text/plain; charset=utf-8').send(body);
        },
      );
    },
    { prefix: '/v1' },
  );

  await app.register(
    async (scope) => {
      const control = scope.withTypeProvider<TypeBoxTypeProvider>();
      control.get('/config', { schema: { response: { 200: SimControlsSchema } } }, async () => controls);

      control.put(
        '/config',
        {
          schema: {
            body: SimControlsUpdateSchema,
            response: { 200: SimControlsSchema, 422: ErrorBodySchema },
          },
        },
        async (request, reply) => {
          const { outageForMs, ...update } = request.body;
          const outage = update.outage;
          if (outage && (Number.isNaN(Date.parse(outage.from)) || Number.isNaN(Date.parse(outage.until)))) {
            return reply
              .code(422)
              .send({ message: 'outage.from and outage.until must be ISO instants.', field: 'outage' });
          }
          Object.assign(controls, update);
          if (outageForMs !== undefined) {
            const now = config.now();
            controls.outage = {
              from: new Date(now).toISOString(),
              until: new Date(now + outageForMs).toISOString(),
            };
          }
          request.log.info({ controls }, 'payer-sim controls changed');
          return controls;
        },
      );

      control.post('/adjudicate', async (request) => {
        const body = request.body as { appeals?: unknown } | undefined;
        return sim.advance(config.now(), { force: true, decideAppeals: body?.appeals === true });
      });

      control.get(
        '/claims/:patientControlNumber',
        {
          schema: {
            params: Type.Object({ patientControlNumber: Type.String({ minLength: 1 }) }),
            querystring: Type.Object({ payerId: Type.Optional(Type.String({ minLength: 1 })) }),
          },
        },
        async (request, reply) => {
          const view = sim.claimView(request.params.patientControlNumber, request.query.payerId);
          if (!view) return reply.code(404).send({ message: 'The payer has no record of this claim.' });
          return view;
        },
      );

      control.get('/stats', async () => sim.stats());

      control.get('/ledger', async () => ({ ...sim.ledger(), requestsByIdempotencyKey: received.counts() }));
      registerAppealPacketControl(scope, packets);

      control.get('/scenarios', async () => ({ rules, defaultMix: DEFAULT_MIX }));

      control.post('/reset', async () => {
        sim.reset();
        packets.reset();
        Object.assign(controls, structuredClone(config.controls));
        faults?.reset();
        received.reset();
        return { status: 'reset' };
      });
    },
    { prefix: '/sim' },
  );
};

/**
 * Builds the payer-sim Fastify app (not yet listening). `log` is a pino logger (a silent one in tests);
 * PHI paths are redacted on top of whatever it already redacts.
 */
export function buildPayerSim(options: PayerSimOptions = {}, log?: Logger) {
  const config = resolvePayerSimConfig(options);
  const base = log ?? pino({ level: 'info' });
  const logger = base.child(
    { component: 'payer-sim' },
    { redact: { paths: PHI_REDACT_PATHS, censor: '[redacted]' } },
  );
  const app = Fastify({
    loggerInstance: logger,
    // Strict JSON: no type coercion, so "1500" is not silently accepted as 1500 cents.
    ajv: { customOptions: { coerceTypes: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const first = error.validation[0];
      const field = fieldOf(error.validationContext, first);
      const subject = field ?? error.validationContext ?? 'request';
      const message =
        first?.keyword === 'required'
          ? `${subject} is required`
          : `${subject} ${first?.message ?? 'is invalid'}`;
      return reply.code(422).send(field === undefined ? { message } : { message, field });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return reply.code(422).send({ message: 'The request body is not valid JSON.' });
    }
    const status = error.statusCode ?? 500;
    if (status < 500) return reply.code(status).send({ message: error.message });
    request.log.error({ err: error }, 'payer-sim internal error');
    return reply.code(500).send({ message: 'Internal error.' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ message: `No route ${request.method} ${request.url.split('?')[0]}.` }),
  );
  app.register(payerSimPlugin, { config });
  return app;
}
