import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ClaimSubmission,
  type PayerGateway,
  PayerGatewayError,
} from '../../../activities/payer/gateway.js';
import { createHttpPayerGateway } from '../../../activities/payer/http-gateway.js';
import { parse835 } from '../../../domain/x12/index.js';
import type { AppealBody, ClaimBody } from '../../../payer-sim/schemas.js';
import { API_KEY, makeClaim, type RunningSim, startSim } from '../../payer-sim/support.js';

function submission(
  overrides: Parameters<typeof makeClaim>[0] = {},
  idempotencyKey?: string,
): ClaimSubmission {
  const claim = makeClaim(overrides);
  return { ...claim, idempotencyKey: idempotencyKey ?? `key-${claim.patientControlNumber}` };
}

/** Runs `call` and returns the PayerGatewayError it must throw. */
async function failure(call: Promise<unknown>): Promise<PayerGatewayError> {
  try {
    await call;
  } catch (err) {
    expect(err).toBeInstanceOf(PayerGatewayError);
    return err as PayerGatewayError;
  }
  throw new Error('the call succeeded but was expected to fail');
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('createHttpPayerGateway against a real payer-sim', () => {
  let sim: RunningSim;
  let gateway: PayerGateway;
  beforeAll(async () => {
    sim = await startSim();
    gateway = createHttpPayerGateway({ baseUrl: `${sim.baseUrl}/`, apiKey: API_KEY, timeoutMs: 2000 });
  });
  afterEach(async () => {
    await sim.control('PUT', '/config', {
      errorRate: 0,
      failAfterProcessingRate: 0,
      rateLimit: null,
      hang: null,
      outage: null,
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('the ClaimSubmission and AppealSubmission it sends fit the payer API schemas', () => {
    expectTypeOf<Omit<ClaimSubmission, 'idempotencyKey'>>().toExtend<ClaimBody>();
    expectTypeOf<ClaimBody>().toExtend<Omit<ClaimSubmission, 'idempotencyKey'>>();
    expectTypeOf<
      Omit<Parameters<PayerGateway['submitAppeal']>[0], 'idempotencyKey'>
    >().toExtend<AppealBody>();
  });

  it('submits with the Idempotency-Key and returns the front-end answer, accepted or rejected', async () => {
    const claim = submission({ memberId: 'PAID-1' });
    const accepted = await gateway.submitClaim(claim);
    expect(accepted).toEqual({
      status: 'accepted',
      clearinghouseClaimId: expect.any(String),
      acceptedAt: expect.any(String),
    });
    expect(await gateway.submitClaim(claim)).toEqual(accepted);
    expect((await sim.control('GET', `/claims/${claim.patientControlNumber}`)).body).toMatchObject({
      submissions: 1,
    });

    const rejected = await gateway.submitClaim(submission({ billingProviderNpi: '1234567890' }));
    expect(rejected).toMatchObject({
      status: 'rejected',
      category: 'A7',
      statusCode: '562',
      field: 'billingProviderNpi',
    });
  });

  it('reads claim status, remittances and appeals through the API', async () => {
    const paid = submission({ memberId: 'PAID-2' });
    const denied = submission({ memberId: 'DENY50-2' });
    await gateway.submitClaim(paid);
    await gateway.submitClaim(denied);
    expect(
      (await gateway.claimStatus({ payerId: 'ACME', patientControlNumber: paid.patientControlNumber }))
        .category,
    ).toBe('P1');
    const before = await gateway.listRemittances();
    await sim.adjudicate();
    const status = await gateway.claimStatus({
      payerId: 'ACME',
      patientControlNumber: paid.patientControlNumber,
    });
    expect(status).toMatchObject({ category: 'F1', statusCode: '65', payerClaimNumber: expect.any(String) });
    expect(status.paidCents).toBeGreaterThan(0);

    const listing = await gateway.listRemittances(before.nextCursor);
    expect(listing.items).toHaveLength(1);
    expect(listing.nextCursor).toEqual(expect.any(String));
    expect(await gateway.listRemittances(listing.nextCursor)).toEqual({ items: [] });
    const text = await gateway.fetchRemittance(listing.items[0]!.id);
    const claims = parse835(text).flatMap((r) => r.claims);
    expect(claims.find((c) => c.patientControlNumber === paid.patientControlNumber)?.paidCents).toBe(
      status.paidCents,
    );

    const deniedStatus = await gateway.claimStatus({
      payerId: 'ACME',
      patientControlNumber: denied.patientControlNumber,
    });
    expect(deniedStatus.category).toBe('F2');
    const appeal = await gateway.submitAppeal({
      idempotencyKey: `appeal-${denied.patientControlNumber}`,
      patientControlNumber: denied.patientControlNumber,
      payerClaimNumber: deniedStatus.payerClaimNumber!,
      level: 1,
      grounds: 'Records show medical necessity.',
      attachments: ['notes.pdf'],
    });
    expect(await gateway.appealStatus(appeal.appealId)).toEqual({
      appealId: appeal.appealId,
      status: 'pending',
    });
    await sim.adjudicate({ appeals: true });
    expect(await gateway.appealStatus(appeal.appealId)).toMatchObject({
      status: 'overturned',
      decidedAt: expect.any(String),
    });
  });

  it('a 500 is retryable', async () => {
    await sim.control('PUT', '/config', { errorRate: 1 });
    const err = await failure(gateway.submitClaim(submission()));
    expect(err).toMatchObject({ kind: 'retryable', status: 500 });
    expect(err.message).toContain('Simulated payer error');
  });

  it('a 429 is rate_limited with the Retry-After in milliseconds, given in seconds or as an HTTP date', async () => {
    await sim.control('PUT', '/config', { rateLimit: { limit: 0, windowMs: 7000 } });
    const seconds = await failure(gateway.listRemittances());
    expect(seconds).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 7000 });

    await sim.control('PUT', '/config', {
      rateLimit: { limit: 0, windowMs: 60_000, retryAfter: 'http-date' },
    });
    const date = await failure(gateway.listRemittances());
    expect(date.kind).toBe('rate_limited');
    // An HTTP date has whole seconds (the sim rounds up), so the wait is within a second of the window.
    expect(date.retryAfterMs).toBeGreaterThan(58_000);
    expect(date.retryAfterMs).toBeLessThanOrEqual(61_000);
  });

  it("a 422 is rejected and carries the payer's message", async () => {
    const claim = submission();
    const bad = { ...claim, lines: [{ ...claim.lines[0]!, chargeCents: 12.5 }] };
    const err = await failure(gateway.submitClaim(bad));
    expect(err).toMatchObject({ kind: 'rejected', status: 422 });
    expect(err.message).toContain('lines[0].chargeCents must be integer');

    const appeal = await failure(
      gateway.submitAppeal({
        idempotencyKey: 'appeal-unknown',
        patientControlNumber: 'NOT-ON-FILE',
        payerClaimNumber: 'X',
        level: 1,
        grounds: '',
        attachments: [],
      }),
    );
    expect(appeal).toMatchObject({ kind: 'rejected', status: 422 });
    expect(appeal.message).toContain('No adjudicated claim has this patient control number');
  });

  it('a wrong API key (401) and an unknown remittance (404) are rejected', async () => {
    const wrongKey = createHttpPayerGateway({ baseUrl: sim.baseUrl, apiKey: 'nope', timeoutMs: 2000 });
    expect(await failure(wrongKey.listRemittances())).toMatchObject({ kind: 'rejected', status: 401 });
    expect(await failure(gateway.fetchRemittance('era-unknown-000001'))).toMatchObject({
      kind: 'rejected',
      status: 404,
    });
  });

  it('a payer that hangs past the timeout is retryable', async () => {
    await sim.control('PUT', '/config', { hang: { probability: 1, durationMs: 10_000 } });
    const quick = createHttpPayerGateway({ baseUrl: sim.baseUrl, apiKey: API_KEY, timeoutMs: 150 });
    const started = performance.now();
    const err = await failure(quick.claimStatus({ payerId: 'ACME', patientControlNumber: 'ANY' }));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(err.kind).toBe('retryable');
    expect(err.message).toContain('within 150 ms');
  });

  it('an outage (503) is retryable with the Retry-After', async () => {
    await sim.control('PUT', '/config', { outageForMs: 20_000 });
    const err = await failure(gateway.listRemittances());
    expect(err).toMatchObject({ kind: 'retryable', status: 503 });
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(19_000);
  });

  it('a refused connection is retryable', async () => {
    const nobody = createHttpPayerGateway({
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      apiKey: API_KEY,
      timeoutMs: 2000,
    });
    expect(await failure(nobody.listRemittances())).toMatchObject({ kind: 'retryable' });
  });

  it('a submission retried after a 500 on the response path is not submitted twice', async () => {
    await sim.control('PUT', '/config', { failAfterProcessingRate: 1 });
    const claim = submission({ memberId: 'PAID-3' });
    const err = await failure(gateway.submitClaim(claim));
    expect(err).toMatchObject({ kind: 'retryable', status: 500 });
    // The payer processed it, and the gateway did not retry on its own.
    const view = () => sim.control('GET', `/claims/${claim.patientControlNumber}`);
    expect((await view()).body).toMatchObject({ submissions: 1, state: 'pending' });

    await sim.control('PUT', '/config', { failAfterProcessingRate: 0 });
    const retried = await gateway.submitClaim(claim);
    expect(retried.status).toBe('accepted');
    expect((await view()).body).toMatchObject({ submissions: 1, duplicateSubmissions: 0 });
    await sim.adjudicate();
    const status = await gateway.claimStatus({
      payerId: 'ACME',
      patientControlNumber: claim.patientControlNumber,
    });
    expect(status.category).toBe('F1');
  });
});
