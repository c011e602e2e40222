import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, makeClaim, type RunningSim, startSim } from './support.js';

describe('payer-sim fault injection and control', () => {
  let sim: RunningSim;
  const clock = new ManualClock();
  beforeAll(async () => {
    sim = await startSim({ now: clock.now });
  });
  afterEach(async () => {
    await sim.control('POST', '/reset');
  });
  afterAll(async () => {
    await sim.close();
  });

  const configure = (controls: Record<string, unknown>) => sim.control('PUT', '/config', controls);

  it('GET /sim/config shows the controls and PUT changes only what it names', async () => {
    const before = (await sim.control<Record<string, unknown>>('GET', '/config')).body;
    expect(before).toMatchObject({ errorRate: 0, latencyMs: 0, adjudicationDelayMs: 3000, outage: null });
    const after = await configure({ adjudicationDelayMs: 5 });
    expect(after.body).toEqual({ ...before, adjudicationDelayMs: 5 });
  });

  it('PUT /sim/config refuses out-of-range controls with 422', async () => {
    const answer = await configure({ errorRate: 2 });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ field: 'errorRate' });
  });

  it('errorRate 1 answers 500 before doing anything', async () => {
    await configure({ errorRate: 1 });
    const claim = makeClaim();
    expect((await sim.submit(claim, 'f-error')).status).toBe(500);
    expect((await sim.control('GET', `/claims/${claim.patientControlNumber}`)).status).toBe(404);
  });

  it('failAfterProcessingRate 1 files the claim and then answers 500; the retry gets the stored answer', async () => {
    await configure({ failAfterProcessingRate: 1 });
    const claim = makeClaim();
    const failed = await sim.submit(claim, 'f-after');
    expect(failed.status).toBe(500);
    expect((await sim.control('GET', `/claims/${claim.patientControlNumber}`)).body).toMatchObject({
      submissions: 1,
      state: 'pending',
    });
    await configure({ failAfterProcessingRate: 0 });
    const retried = await sim.submit(claim, 'f-after');
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'accepted' });
    expect((await sim.control('GET', `/claims/${claim.patientControlNumber}`)).body).toMatchObject({
      submissions: 1,
    });
  });

  it('a rate limit answers 429 with Retry-After in seconds until its window has passed', async () => {
    await configure({ rateLimit: { limit: 2, windowMs: 10_000 } });
    expect((await sim.v1('GET', '/remittances')).status).toBe(200);
    expect((await sim.v1('GET', '/remittances')).status).toBe(200);
    const limited = await sim.v1('GET', '/remittances');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('10');
    clock.advance(4_000);
    expect((await sim.v1('GET', '/remittances')).headers.get('retry-after')).toBe('6');
    clock.advance(6_000);
    expect((await sim.v1('GET', '/remittances')).status).toBe(200);
  });

  it('a rate limit can state Retry-After as an HTTP date', async () => {
    await configure({ rateLimit: { limit: 0, windowMs: 30_000, retryAfter: 'http-date' } });
    const limited = await sim.v1('GET', '/remittances');
    expect(limited.status).toBe(429);
    const at = Date.parse(limited.headers.get('retry-after') ?? '');
    expect(at - clock.ms).toBeGreaterThanOrEqual(30_000);
    expect(at - clock.ms).toBeLessThan(31_000);
  });

  it('an outage answers 503 with Retry-After on every /v1 call until it ends; /sim keeps working', async () => {
    await configure({ outageForMs: 30_000 });
    const down = await sim.v1('GET', '/remittances');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('30');
    expect((await sim.submit(makeClaim(), 'f-outage')).status).toBe(503);
    expect((await sim.control('GET', '/stats')).status).toBe(200);
    clock.advance(30_000);
    expect((await sim.v1('GET', '/remittances')).status).toBe(200);
  });

  it('an outage window can be set by instants', async () => {
    const from = new Date(clock.ms + 1000).toISOString();
    const until = new Date(clock.ms + 2000).toISOString();
    await configure({ outage: { from, until } });
    expect((await sim.v1('GET', '/remittances')).status).toBe(200);
    clock.advance(1000);
    expect((await sim.v1('GET', '/remittances')).status).toBe(503);
    clock.advance(1000);
    expect((await sim.v1('GET', '/remittances')).status).toBe(200);
  });

  it('latency delays every /v1 answer', async () => {
    await configure({ latencyMs: 150 });
    const started = performance.now();
    expect((await sim.v1('GET', '/remittances')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('a hang holds the request for its duration, does nothing, and answers 504', async () => {
    await configure({ hang: { probability: 1, durationMs: 150 } });
    const claim = makeClaim();
    const started = performance.now();
    const answer = await sim.submit(claim, 'f-hang');
    expect(answer.status).toBe(504);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect((await sim.control('GET', `/claims/${claim.patientControlNumber}`)).status).toBe(404);
  });

  it('a client that gives up during a hang leaves nothing filed', async () => {
    await configure({ hang: { probability: 1, durationMs: 5_000 } });
    const claim = makeClaim();
    const aborted = fetch(`${sim.baseUrl}/v1/claims`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer test-key',
        'content-type': 'application/json',
        'idempotency-key': 'f-gone',
      },
      body: JSON.stringify(claim),
      signal: AbortSignal.timeout(100),
    });
    await expect(aborted).rejects.toThrow();
    await configure({ hang: null });
    expect((await sim.control('GET', `/claims/${claim.patientControlNumber}`)).status).toBe(404);
  });

  it('POST /sim/reset forgets every claim and file and restores the start-up controls', async () => {
    const claim = makeClaim();
    await sim.submit(claim, 'f-reset');
    await sim.adjudicate();
    await configure({ errorRate: 0.5 });
    await sim.control('POST', '/reset');
    expect((await sim.control('GET', `/claims/${claim.patientControlNumber}`)).status).toBe(404);
    expect((await sim.v1('GET', '/remittances')).body).toEqual({ items: [] });
    expect((await sim.control<{ errorRate: number }>('GET', '/config')).body.errorRate).toBe(0);
    // The key is free again: the same submission files a new claim.
    expect((await sim.submit(claim, 'f-reset')).headers.get('idempotent-replayed')).toBeNull();
  });

  it('/sim/stats counts claims, submissions and files', async () => {
    const claim = makeClaim();
    await sim.submit(claim, 'f-stats-1');
    await sim.submit(claim, 'f-stats-2');
    await sim.adjudicate();
    expect((await sim.control('GET', '/stats')).body).toMatchObject({
      claims: 1,
      submissions: 2,
      duplicateSubmissions: 1,
      remittances: 1,
    });
  });

  it('/health answers without a token', async () => {
    expect((await fetch(`${sim.baseUrl}/health`)).status).toBe(200);
  });
});
