/**
 * The OpenAPI document says exactly what the server does, so a client generated from it gets every
 * answer right: every response of every operation declares the media type the server sends (problem+json
 * for errors) with a schema, operation ids are stable, the examples satisfy their schemas, the cursor,
 * the KPI period and every range are stated and enforced, and an undeclared method on a known path is
 * 405 with `Allow` (a path no route has stays 404).
 */
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../api/pagination.js';
import { MAX_PERIOD_DAYS } from '../../api/schemas/kpis.js';
import type { JsonSchema } from './schema-arbitrary.js';
import { startDbApp, sunrise } from './support.js';

interface Media {
  schema?: JsonSchema;
  example?: unknown;
}
interface Operation {
  operationId?: string;
  description?: string;
  parameters?: { in: string; name: string; description?: string; schema: Record<string, unknown> }[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { description?: string; content?: Record<string, Media> }>;
}
type Doc = { paths: Record<string, Record<string, Operation>> };

/**
 * The operation ids, frozen: the console's generated client names its functions after them, so renaming
 * one is a breaking change that must show up here.
 */
const OPERATION_IDS = [
  'acceptClaimRuleProposal',
  'addClaimNote',
  'addPayerRuleVersion',
  'assignClaim',
  'codecDecode',
  'codecEncode',
  'createClaim',
  'createUser',
  'disableUser',
  'exportPracticeData',
  'fileAppeal',
  'getClaim',
  'getClaimRuleEffect',
  'getCostSettings',
  'getCostToCollectReport',
  'getFeeSchedule',
  'getKpis',
  'getLiveness',
  'getOpenApiDocument',
  'getPayerRules',
  'getReadiness',
  'getSession',
  'getWorklist',
  'issueApiKey',
  'listApiKeys',
  'listClaimEvents',
  'listClaimRuleProposals',
  'listClaimRuleVersions',
  'listClaimRules',
  'listClaims',
  'listCodecAccess',
  'listFailedNotifications',
  'listFeeScheduleVersions',
  'listPaymentVariances',
  'listRemittances',
  'listStuckClaims',
  'listUnmatchedRemittanceLoops',
  'listUsers',
  'matchUnmatchedRemittanceLoop',
  'mineClaimRules',
  'overrideClaimRules',
  'placeHold',
  'putClaimRule',
  'putCostSettings',
  'recordAppealDecision',
  'recordPatientPayment',
  'redeliverNotification',
  'rejectClaimRuleProposal',
  'releaseHold',
  'replaceFeeScheduleRates',
  'resubmitCorrectedClaim',
  'revokeApiKey',
  'searchClaims',
  'setUpPaymentPlan',
  'signIn',
  'signOut',
  'signOutEverywhere',
  'submitClaimBatch',
  'transferClaimToPatient',
  'uploadFeeSchedule',
  'uploadRemittance',
  'verifyAuditTrail',
  'writeOffClaim',
];

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'] as const;

let ctx: Awaited<ReturnType<typeof startDbApp>>;
let doc: Doc;
let operations: (Operation & { method: string; path: string })[];

beforeAll(async () => {
  ctx = await startDbApp();
  doc = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json() as Doc;
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })),
  );
});

afterAll(async () => {
  await ctx?.stop();
});

const byId = (id: string) => {
  const op = operations.find((o) => o.operationId === id);
  if (!op) throw new Error(`no operation ${id}`);
  return op;
};

function check(schema: JsonSchema, value: unknown): string[] {
  const v = Compile(schema as never);
  return v.Check(value) ? [] : [...v.Errors(value)].slice(0, 3).map((e) => `${e.instancePath} ${e.message}`);
}

describe('the OpenAPI document', () => {
  it('gives every operation a unique, stable operationId', () => {
    const ids = operations.map((o) => o.operationId ?? `(none: ${o.method} ${o.path})`);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(OPERATION_IDS);
  });

  it('declares every response with a media type and a schema; errors as application/problem+json', () => {
    const problems: string[] = [];
    for (const op of operations) {
      const where = `${op.method} ${op.path}`;
      for (const status of ['429', '500']) {
        if (!op.responses[status]) problems.push(`${where}: ${status} not declared`);
      }
      for (const [status, response] of Object.entries(op.responses)) {
        const media = Object.entries(response.content ?? {});
        if (media.length === 0) problems.push(`${where} ${status}: no content`);
        for (const [type, m] of media) if (!m.schema) problems.push(`${where} ${status} ${type}: no schema`);
        // /readyz answers its 503 as the same status document as its 200, not as a problem.
        const isError = Number(status) >= 400 && !(op.operationId === 'getReadiness' && status === '503');
        if (isError && media.map(([t]) => t).join() !== 'application/problem+json')
          problems.push(`${where} ${status}: ${media.map(([t]) => t).join()} instead of problem+json`);
      }
      if (op.parameters?.length || op.requestBody) {
        if (!op.responses['400']) problems.push(`${where}: takes input but declares no 400`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('shows request and response examples on claims, decisions, worklist and remittances, each valid', () => {
    const withRequestExample = [
      'createClaim',
      'resubmitCorrectedClaim',
      'fileAppeal',
      'recordAppealDecision',
      'writeOffClaim',
      'transferClaimToPatient',
      'assignClaim',
      'addClaimNote',
      'placeHold',
      'releaseHold',
      'setUpPaymentPlan',
      'recordPatientPayment',
      'uploadRemittance',
    ];
    const withResponseExample: [string, string][] = [
      ['createClaim', '201'],
      ['listClaims', '200'],
      ['getWorklist', '200'],
      ['uploadRemittance', '201'],
      ['listRemittances', '200'],
      ...withRequestExample
        .filter((id) => !['createClaim', 'recordPatientPayment', 'uploadRemittance'].includes(id))
        .map((id): [string, string] => [id, '200']),
    ];
    for (const id of withRequestExample) {
      const media = Object.values(byId(id).requestBody?.content ?? {});
      expect(media.length, id).toBeGreaterThan(0);
      for (const m of media) {
        expect(m.example, `${id} request example`).toBeDefined();
        expect(check(m.schema!, m.example), `${id} request example`).toEqual([]);
      }
    }
    for (const [id, status] of withResponseExample) {
      const m = byId(id).responses[status]?.content?.['application/json'];
      expect(m?.example, `${id} ${status} example`).toBeDefined();
      expect(check(m!.schema!, m!.example), `${id} ${status} example`).toEqual([]);
    }
  });

  it('declares the cursor’s shape, and the cursors the API hands out have it', () => {
    const cursors = operations.flatMap((o) =>
      (o.parameters ?? []).filter((p) => p.in === 'query' && p.name === 'cursor').map((p) => p.schema),
    );
    expect(cursors.length).toBeGreaterThanOrEqual(5);
    for (const schema of cursors) {
      expect(schema).toMatchObject({ minLength: 1, maxLength: 400, pattern: expect.any(String) });
      const ours = encodeCursor('worklist', ['2026-12-02T14:00:00.000000Z', 8000, crypto.randomUUID()]);
      expect(ours).toMatch(new RegExp(schema.pattern as string));
      expect(ours.length).toBeLessThanOrEqual(400);
    }
  });

  it('states the longest KPI period in the parameter and in the 400 answer', () => {
    const kpis = byId('getKpis');
    const from = kpis.parameters!.find((p) => p.name === 'from')!;
    expect(from.description).toContain(`${MAX_PERIOD_DAYS} days`);
    expect(kpis.responses['400']!.description).toContain(`${MAX_PERIOD_DAYS} days`);
  });
});

describe('ranges', () => {
  const cases: [operationId: string, url: string, field: string][] = [
    ['listClaims', '/claims?createdFrom=2026-02-01&createdTo=2026-01-31', 'createdFrom'],
    ['listClaims', '/claims?dateOfServiceFrom=2026-02-01&dateOfServiceTo=2026-01-31', 'dateOfServiceFrom'],
    ['listClaims', '/claims?deniedFrom=2026-02-01&deniedTo=2026-01-31', 'deniedFrom'],
    ['listClaims', '/claims?minOpenBalanceCents=500&maxOpenBalanceCents=499', 'minOpenBalanceCents'],
    ['listRemittances', '/remittances?receivedFrom=2026-02-01&receivedTo=2026-01-31', 'receivedFrom'],
    ['exportPracticeData', '/exports/claims?practiceId=sunrise-fp&from=2026-02-01&to=2026-01-31', 'from'],
    ['getKpis', '/kpis?practiceId=sunrise-fp&from=2026-02-01&to=2026-01-31', 'from'],
  ];

  it.each(cases)('%s refuses %s naming its lower bound, and documents it', async (id, url, field) => {
    const res = await ctx.app.inject({ method: 'GET', url, headers: sunrise('supervisor') });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((res.json() as { errors: { field: string }[] }).errors[0]!.field).toBe(`querystring/${field}`);
    const op = byId(id);
    expect(op.responses['400']!.description).toContain(`\`${field}\` exceeds`);
    expect(op.description).toContain(`\`${field}\` <=`);
    expect(op.parameters!.find((p) => p.name === field)!.description).toMatch(/must not exceed `\w+`/);
    // Inclusive: equal bounds are a valid range.
    const equal = url.replace(/(=2026-01-31|=499)/, url.includes('499') ? '=500' : '=2026-02-01');
    const ok = await ctx.app.inject({ method: 'GET', url: equal, headers: sunrise('supervisor') });
    expect(ok.statusCode, `${equal}: ${ok.body}`).toBe(200);
  });
});

describe('methods', () => {
  const concrete = (path: string) =>
    path.replace('{kind}', 'claims').replace(/\{\w+\}/g, '3f1c2a4e-8b7d-4c21-9e5a-0d6b7c8e9f10');

  it('an undeclared method on every known path is 405 with Allow naming the path’s methods', async () => {
    const template = (path: string) => new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`);
    for (const path of Object.keys(doc.paths)) {
      // A concrete URL may match more than one path (`/claims/batch` is also `/claims/{id}`): the
      // methods it has are those of every path it matches.
      const url = concrete(path);
      const declared = [
        ...new Set(
          Object.entries(doc.paths)
            .filter(([other]) => template(other).test(url))
            .flatMap(([, methods]) => Object.keys(methods).map((m) => m.toUpperCase())),
        ),
      ];
      if (declared.includes('GET')) declared.push('HEAD');
      // The codec server answers the Temporal UI's CORS preflight (undocumented: browser plumbing).
      if (path.startsWith('/codec/') && path !== '/codec/access-log') declared.push('OPTIONS');
      for (const method of METHODS.filter((m) => !declared.includes(m))) {
        const res = await ctx.app.inject({ method, url });
        const where = `${method} ${path}`;
        expect(res.statusCode, where).toBe(405);
        expect(res.headers['content-type'], where).toMatch(/^application\/problem\+json/);
        expect(String(res.headers.allow).split(', ').sort(), where).toEqual([...declared].sort());
        expect((res.json() as { status: number }).status, where).toBe(405);
      }
    }
  });

  it('HEAD of a GET path answers like GET; a path no route has stays 404 without Allow', async () => {
    expect((await ctx.app.inject({ method: 'HEAD', url: '/healthz' })).statusCode).toBe(200);
    for (const [method, url] of [
      ['GET', '/nowhere'],
      ['DELETE', '/claims/3f1c2a4e-8b7d-4c21-9e5a-0d6b7c8e9f10/nowhere'],
      ['TRACE', '/worklists'],
    ] as const) {
      const res = await ctx.app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.headers.allow).toBeUndefined();
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});
