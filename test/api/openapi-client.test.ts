/**
 * A client generated from the document works against the server. The test generates TypeScript types
 * from GET /openapi.json with openapi-typescript, type-checks a small program that uses them through
 * openapi-fetch (strict tsc: a field, parameter or error shape that drifted from the document fails
 * here), then runs that program over real HTTP against the API listening on a free port, where each
 * call checks the status and media type the document promised.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUNRISE_KEYS, seedClaim, startDbApp } from './support.js';

// Under test/ (gitignored `test/.tmp-*`) so the program resolves openapi-fetch from the repository.
const DIR = join(import.meta.dirname, '..', `.tmp-openapi-client-${process.pid}`);

/** The program a console developer would write against the generated types. */
const PROGRAM = `
import createClient from 'openapi-fetch';
import type { operations, paths } from './api.js';

type Problem = operations['getClaim']['responses'][404]['content']['application/problem+json'];

function expectMedia(res: Response, type: string, what: string): void {
  const got = (res.headers.get('content-type') ?? '').split(';')[0];
  if (got !== type) throw new Error(\`\${what}: content type \${got}, the document says \${type}\`);
}

function expectStatus(res: Response, status: number, what: string): void {
  if (res.status !== status) throw new Error(\`\${what}: status \${res.status}, expected \${status}\`);
}

/** Calls a few operations and returns what it saw, one line per call. */
export async function run(baseUrl: string, key: string): Promise<string[]> {
  const api = createClient<paths>({ baseUrl, headers: { authorization: \`Bearer \${key}\` } });
  const seen: string[] = [];

  const health = await api.GET('/healthz');
  expectStatus(health.response, 200, 'getLiveness');
  const status: string | undefined = health.data?.status;
  seen.push(\`getLiveness \${status}\`);

  const list = await api.GET('/claims', { params: { query: { practiceId: 'sunrise-fp', limit: 10 } } });
  expectStatus(list.response, 200, 'listClaims');
  expectMedia(list.response, 'application/json', 'listClaims');
  const claims: { claimId: string; openBalanceCents: number }[] = list.data?.items ?? [];
  const next: string | null | undefined = list.data?.nextCursor;
  seen.push(\`listClaims \${claims.map((c) => c.claimId).join(',')} next=\${next}\`);

  const queue = await api.GET('/worklist', { params: { query: { practiceId: 'sunrise-fp' } } });
  expectStatus(queue.response, 200, 'getWorklist');
  const priorities: number[] = (queue.data?.items ?? []).map((c) => c.livePriority);
  seen.push(\`getWorklist \${priorities.join(',')}\`);

  const missing = await api.GET('/claims/{id}', {
    params: { path: { id: '00000000-0000-4000-8000-000000000000' } },
  });
  expectStatus(missing.response, 404, 'getClaim');
  expectMedia(missing.response, 'application/problem+json', 'getClaim 404');
  const notFound: Problem | undefined = missing.error;
  seen.push(\`getClaim \${notFound?.status} \${notFound?.title}\`);

  const refused = await api.POST('/claims', {
    body: {
      practiceId: 'sunrise-fp',
      claimId: 'CLIENT-1',
      payerId: 'NO-SUCH-PAYER',
      billingProviderNpi: '1234567893',
      dateOfService: '2026-01-15',
      patient: {
        externalId: 'MRN-1',
        firstName: 'Test',
        lastName: 'Client',
        birthDate: '1980-01-01',
        memberId: 'M-12345',
      },
      diagnosisCodes: ['E11.9'],
      lines: [{ procedureCode: '99213', modifiers: [], units: 1, chargeCents: 10_000, diagnosisPointers: [1] }],
    },
  });
  expectStatus(refused.response, 422, 'createClaim');
  expectMedia(refused.response, 'application/problem+json', 'createClaim 422');
  const fields: string[] = (refused.error?.errors ?? []).map((e) => e.field);
  seen.push(\`createClaim \${refused.response.status} \${fields.join(',')}\`);

  const inverted = await api.GET('/kpis', {
    params: { query: { practiceId: 'sunrise-fp', from: '2026-02-01', to: '2026-01-31' } },
  });
  expectStatus(inverted.response, 400, 'getKpis');
  expectMedia(inverted.response, 'application/problem+json', 'getKpis 400');
  seen.push(\`getKpis \${inverted.response.status} \${inverted.error?.errors?.[0]?.field}\`);

  return seen;
}
`;

let ctx: Awaited<ReturnType<typeof startDbApp>>;
let baseUrl: string;

beforeAll(async () => {
  ctx = await startDbApp();
  await seedClaim(ctx.db, {
    claimId: 'CLIENT-A',
    status: 'NEEDS_REVIEW',
    denialCategory: 'CODING',
    openBalanceCents: 100_000,
  });
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  const address = ctx.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the API is not listening on TCP');
  baseUrl = `http://127.0.0.1:${address.port}`;
  mkdirSync(DIR, { recursive: true });
});

afterAll(async () => {
  rmSync(DIR, { recursive: true, force: true });
  await ctx?.stop();
});

describe('a client generated from the OpenAPI document', () => {
  it('type-checks against the document and gets every answer the document promises', async () => {
    const doc = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as OpenAPI3;
    const types = astToString(await openapiTS(doc, { silent: true }));
    writeFileSync(join(DIR, 'api.d.ts'), types);
    const programPath = join(DIR, 'program.ts');
    writeFileSync(programPath, PROGRAM);

    const program = ts.createProgram([programPath], {
      strict: true,
      noUncheckedIndexedAccess: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
      skipLibCheck: true,
      noEmit: true,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);

    const { run } = (await import(pathToFileURL(programPath).href)) as {
      run(baseUrl: string, key: string): Promise<string[]>;
    };
    const seen = await run(baseUrl, SUNRISE_KEYS.supervisor);
    expect(seen).toEqual([
      'getLiveness ok',
      'listClaims CLIENT-A next=null',
      expect.stringMatching(/^getWorklist \d+$/),
      'getClaim 404 Not Found',
      'createClaim 422 body/payerId',
      'getKpis 400 querystring/from',
    ]);
  }, 120_000);
});
