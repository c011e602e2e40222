/**
 * Schema-driven fuzzing of the whole API from its own OpenAPI document (GET /openapi.json): for every
 * operation, fast-check draws path and query parameters, bodies, keys and Idempotency-Keys from the
 * declared schemas (mostly valid, sometimes broken) and sends them to the real stack. Every answer must be
 * below 500, have a status the operation documents, be sent with a content type the document declares
 * for that status (`application/problem+json` for errors), and match the schema declared for it.
 *
 * `npm test` runs a short pass (FUZZ_API_RUNS per operation, default 5); `npm run fuzz:api` a long one.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/stack.js';
import { anything, type JsonSchema, valid } from './schema-arbitrary.js';
import { adjudicatedClaims, type ClaimJson } from './support.js';

const RUNS = Number(process.env.FUZZ_API_RUNS ?? '5');
const SEED = process.env.FUZZ_API_SEED ? Number(process.env.FUZZ_API_SEED) : undefined;
const ERA = readFileSync(new URL('../fixtures/x12/835-minimal.edi', import.meta.url), 'utf8');

interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

interface Operation {
  method: string;
  path: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}

interface FuzzRequest {
  pathParams: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  auth: string | null;
  idempotencyKey: string | null;
}

let stack: Stack;
let operations: Operation[];
let claimIds: string[];
/** Status counts per operation, logged after the run to show what the fuzzer reached. */
const statuses = new Map<string, Map<number, number>>();

beforeAll(async () => {
  stack = await startStack();
  const claims = (await adjudicatedClaims(stack, ['DENY50-9001', 'COINS-9002', 'PAID-9003'])) as ClaimJson[];
  claimIds = claims.map((c) => c.id);
  const doc = (await stack.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })),
  );
}, 120_000);

afterAll(async () => {
  const lines = [...statuses].map(
    ([op, counts]) =>
      `${op}: ${[...counts]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}x${n}`)
        .join(' ')}`,
  );
  if (lines.length > 0) console.info(`fuzz answers by operation:\n${lines.join('\n')}`);
  await stack?.stop();
});

/** Path parameters: mostly ids that exist (so requests reach Temporal and Postgres), sometimes anything. */
function pathParamArb(op: Operation, p: Parameter): fc.Arbitrary<string> {
  if (p.name === 'id' && op.path.startsWith('/claims/'))
    return fc.oneof(fc.constantFrom(...claimIds), fc.uuid(), fc.string());
  if (p.name === 'id' && op.path.startsWith('/payers/'))
    return fc.oneof(fc.constantFrom('ACME-HEALTH', 'MEDICARE'), fc.string({ minLength: 1 }));
  return fc.oneof(
    { arbitrary: valid(p.schema).map(String), weight: 4 },
    { arbitrary: fc.string({ minLength: 1 }), weight: 1 },
  );
}

/** Steers a drawn value towards this stack's data (its practices and payers) without losing the junk. */
function steer(value: unknown): fc.Arbitrary<unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fc.constant(value);
  const v = value as Record<string, unknown>;
  return fc
    .record({
      practice: fc.constantFrom('sunrise-fp', 'lakeside-ortho', null),
      payer: fc.constantFrom('ACME-HEALTH', 'PAID-PAYER', null),
    })
    .map(({ practice, payer }) => ({
      ...v,
      ...(typeof v.practiceId === 'string' && practice ? { practiceId: practice } : {}),
      ...(typeof v.payerId === 'string' && payer === 'ACME-HEALTH' ? { payerId: payer } : {}),
    }));
}

/**
 * One request: four in five are well-formed (every part drawn from its schema), one in five is drawn
 * from `anything`, so refusals of broken input are exercised without drowning the valid paths.
 */
function requestArb(op: Operation): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom('valid', 'valid', 'valid', 'valid', 'broken').chain((mode) => {
    const draw = mode === 'valid' ? valid : anything;
    const params = op.parameters ?? [];
    const pathParams: Record<string, fc.Arbitrary<string>> = {};
    for (const p of params.filter((x) => x.in === 'path')) pathParams[p.name] = pathParamArb(op, p);
    const query: Record<string, fc.Arbitrary<unknown>> = {};
    // A drawn cursor is never one of ours; cursors are exercised by the route tests.
    for (const p of params.filter((x) => x.in === 'query' && (mode === 'broken' || x.name !== 'cursor'))) {
      query[p.name] = draw(p.schema).chain(steerScalar(p.name));
    }
    const json = op.requestBody?.content['application/json']?.schema;
    const text = op.requestBody && !json;
    const body: fc.Arbitrary<unknown> = json
      ? draw(json).chain(steer)
      : text
        ? fc.oneof(fc.string(), fc.constant(ERA), fc.constant(ERA.replace('CLP*', 'CLX*')))
        : fc.constant(undefined);
    return fc.record({
      pathParams: fc.record(pathParams),
      query: fc.record(query, {
        requiredKeys: params.filter((p) => p.in === 'query' && p.required).map((p) => p.name),
      }),
      body,
      auth: fc.constantFrom(
        'demo-admin-key',
        'demo-supervisor-key',
        'demo-biller-key',
        'demo-integration-key',
        null,
      ),
      // Mostly no key, sometimes a fresh one, sometimes one of a few shared ones (reuse is refused with 422).
      idempotencyKey: fc.oneof(
        { arbitrary: fc.constant(null), weight: 6 },
        { arbitrary: fc.uuid(), weight: 2 },
        { arbitrary: fc.constantFrom('fuzz-a', 'fuzz-b'), weight: 1 },
      ),
    });
  });
}

/** Query practiceIds lean towards a practice the keys hold, so reads get past isolation. */
function steerScalar(name: string) {
  return (v: unknown): fc.Arbitrary<unknown> =>
    name === 'practiceId' && typeof v === 'string'
      ? fc.constantFrom(v, 'sunrise-fp', 'sunrise-fp')
      : fc.constant(v);
}

/**
 * One path parameter as a segment. A value of only dots ("." or "..") is a dot segment that every URL
 * parser removes before sending (RFC 3986 5.2.4), so it would reach another route; its dots are encoded.
 */
function pathSegment(value: string): string {
  return /^\.+$/.test(value) ? value.replace(/\./g, '%2E') : encodeURIComponent(value);
}

function urlOf(op: Operation, req: FuzzRequest): string {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => pathSegment(req.pathParams[name] ?? ''));
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v])
      search.append(k, typeof item === 'object' ? JSON.stringify(item) : String(item));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

const validators = new Map<JsonSchema, ReturnType<typeof Compile>>();
function validatorFor(schema: JsonSchema) {
  let v = validators.get(schema);
  if (!v) {
    v = Compile(schema as never);
    validators.set(schema, v);
  }
  return v;
}

describe(`schema-driven fuzz of the OpenAPI document (${RUNS} runs per operation)`, () => {
  it('covers every operation of the document', () => {
    expect(operations.length).toBeGreaterThan(20);
  });

  it('no operation answers 5xx, an undocumented status or content type, or a body outside its documented schema', async () => {
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(requestArb(op), async (req) => {
          const isText = !!op.requestBody && !op.requestBody.content['application/json'];
          const headers: Record<string, string> = {};
          if (req.auth) headers.authorization = `Bearer ${req.auth}`;
          if (req.idempotencyKey) headers['idempotency-key'] = req.idempotencyKey;
          if (req.body !== undefined) headers['content-type'] = isText ? 'text/plain' : 'application/json';
          const res = await stack.app.inject({
            method: op.method as 'GET',
            url: urlOf(op, req),
            headers,
            ...(req.body === undefined
              ? {}
              : { payload: isText ? String(req.body) : JSON.stringify(req.body) }),
          });
          const counts = statuses.get(`${op.method} ${op.path}`) ?? new Map<number, number>();
          counts.set(res.statusCode, (counts.get(res.statusCode) ?? 0) + 1);
          statuses.set(`${op.method} ${op.path}`, counts);
          const where = `${op.method} ${op.path} -> ${res.statusCode}: ${res.body.slice(0, 300)}`;
          expect(res.statusCode, where).toBeLessThan(500);
          const documented = op.responses[String(res.statusCode)];
          expect(documented, `undocumented status: ${where}`).toBeDefined();
          // The media type sent must be one the document declares for that status (problem+json for errors).
          const type = String(res.headers['content-type'] ?? '')
            .split(';')[0]!
            .trim();
          const declared = Object.keys(documented!.content ?? {});
          expect(declared, `content type ${type || '(none)'} not declared: ${where}`).toContain(type);
          if (!type.endsWith('json') || type === 'application/x-ndjson') return;
          const schema = documented!.content![type]?.schema;
          expect(schema, `no schema for ${where}`).toBeDefined();
          const validator = validatorFor(schema!);
          const body = JSON.parse(res.body) as unknown;
          if (!validator.Check(body)) {
            const errors = [...validator.Errors(body)]
              .slice(0, 3)
              .map((e) => `${e.instancePath} ${e.message}`);
            expect.fail(`schema violation: ${where}\n${errors.join('\n')}`);
          }
        }),
        { numRuns: RUNS, endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
    }
  }, 600_000);
});
