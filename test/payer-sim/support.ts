/**
 * Test support for payer-sim: starts the real HTTP server on an ephemeral loopback port and talks to it
 * with `fetch`, as the gateway does. Nothing of the simulator is mocked.
 */
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { parse835, type Remittance835 } from '../../domain/x12/index.js';
import { buildPayerSim } from '../../payer-sim/app.js';
import type { PayerSimOptions } from '../../payer-sim/config.js';
import type { ClaimBody } from '../../payer-sim/schemas.js';

export const API_KEY = 'test-key';

/** A clock tests move by hand, so delays pass without waiting. */
export class ManualClock {
  constructor(public ms: number = Date.now()) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface HttpAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RunningSim {
  baseUrl: string;
  close(): Promise<void>;
  /** A /v1 call with the bearer token; JSON in, JSON (or text) out. */
  v1<T = unknown>(
    method: string,
    path: string,
    init?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<HttpAnswer<T>>;
  /** POST /v1/claims with an Idempotency-Key. */
  submit<T = Record<string, unknown>>(claim: unknown, key: string): Promise<HttpAnswer<T>>;
  /** A /sim control call (no auth). */
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<HttpAnswer<T>>;
  /** POST /sim/adjudicate: one forced payer cycle. */
  adjudicate(opts?: { appeals?: boolean }): Promise<{ adjudicated: number; remittanceIds: string[] }>;
  /** Every 835 file listed after `after`, fetched and parsed. */
  remittances(
    after?: string,
  ): Promise<{ id: string; payerId: string; text: string; parsed: Remittance835[] }[]>;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return type.includes('application/json') && text !== '' ? JSON.parse(text) : text;
}

/** Starts payer-sim (silent logs, no background timer unless asked) and returns a small client. */
export async function startSim(options: PayerSimOptions = {}): Promise<RunningSim> {
  const app = buildPayerSim({ apiKey: API_KEY, tickMs: 3_600_000, ...options }, pino({ level: 'silent' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  async function request<T>(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<HttpAnswer<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, init);
    return { status: response.status, headers: response.headers, body: (await readBody(response)) as T };
  }

  const sim: RunningSim = {
    baseUrl,
    close: () => app.close(),
    v1: (method, path, init = {}) =>
      request(method, `/v1${path}`, init.body, { authorization: `Bearer ${API_KEY}`, ...init.headers }),
    submit: (claim, key) => sim.v1('POST', '/claims', { body: claim, headers: { 'idempotency-key': key } }),
    control: (method, path, body) => request(method, `/sim${path}`, body, {}),
    async adjudicate(opts) {
      const answer = await sim.control<{ adjudicated: number; remittanceIds: string[] }>(
        'POST',
        '/adjudicate',
        opts ?? {},
      );
      return answer.body;
    },
    async remittances(after) {
      const files: { id: string; payerId: string; text: string; parsed: Remittance835[] }[] = [];
      let cursor = after;
      for (;;) {
        const query = cursor === undefined ? '' : `?after=${encodeURIComponent(cursor)}`;
        const page = await sim.v1<{ items: { id: string; payerId: string }[]; nextCursor?: string }>(
          'GET',
          `/remittances${query}`,
        );
        if (page.body.items.length === 0) return files;
        for (const item of page.body.items) {
          const file = await sim.v1<string>('GET', `/remittances/${item.id}`);
          files.push({ id: item.id, payerId: item.payerId, text: file.body, parsed: parse835(file.body) });
        }
        cursor = page.body.nextCursor;
      }
    },
  };
  return sim;
}

/** ISO day `days` before today (UTC), a safe date of service. */
export function daysAgo(days: number, from: number = Date.now()): string {
  return new Date(from - days * 86_400_000).toISOString().slice(0, 10);
}

/** A valid NPI (the CMS example, check digit 3). */
export const VALID_NPI = '1234567893';

let counter = 0;

/** A fresh patient control number, unique within the test run. */
export function pcn(prefix = 'PCN'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

/** A valid two-line professional claim; `overrides` replace top-level fields, `memberId` the member id. */
export function makeClaim(overrides: Partial<ClaimBody> & { memberId?: string } = {}): ClaimBody {
  const { memberId, ...rest } = overrides;
  const dos = daysAgo(10);
  const lines = rest.lines ?? [
    { lineNumber: 1, procedureCode: '99213', modifiers: [], units: 1, chargeCents: 15_000, serviceDate: dos },
    { lineNumber: 2, procedureCode: '85025', modifiers: [], units: 1, chargeCents: 4_550, serviceDate: dos },
  ];
  const id = rest.patientControlNumber ?? pcn();
  return {
    practiceId: 'practice-1',
    claimId: `claim-${id}`,
    patientControlNumber: id,
    payerId: 'ACME',
    frequencyCode: '1',
    billingProviderNpi: VALID_NPI,
    patient: {
      memberId: memberId ?? 'M123456789',
      firstName: 'Ada',
      lastName: 'Lovelace',
      birthDate: '1980-04-12',
    },
    dateOfService: dos,
    totalChargeCents: lines.reduce((sum, line) => sum + line.chargeCents, 0),
    diagnosisCodes: ['J069', 'R051'],
    ...rest,
    lines,
  };
}

/** The CLP loops of the parsed files for one patient control number, in file order. */
export function claimPaymentsOf(
  files: { parsed: Remittance835[] }[],
  patientControlNumber: string,
): Remittance835['claims'] {
  return files
    .flatMap((f) => f.parsed.flatMap((r) => r.claims))
    .filter((c) => c.patientControlNumber === patientControlNumber);
}

/**
 * Checks the balancing rules of docs/x12-835.md independently of the parser: per line SVC02 - SVC03 = line CAS,
 * per claim CLP03 - CLP04 = claim CAS + line CAS, per payment BPR02 = sum(CLP04) - sum(PLB).
 * Returns the list of violations (empty when balanced).
 */
export function balanceViolations(r: Remittance835): string[] {
  const problems: string[] = [];
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  for (const claim of r.claims) {
    for (const line of claim.serviceLines) {
      const cas = sum(line.adjustments.map((a) => a.amountCents));
      if (line.chargeCents - line.paidCents !== cas) problems.push(`line of ${claim.patientControlNumber}`);
    }
    const cas = sum(
      [...claim.adjustments, ...claim.serviceLines.flatMap((l) => l.adjustments)].map((a) => a.amountCents),
    );
    if (claim.chargeCents - claim.paidCents !== cas) problems.push(`claim ${claim.patientControlNumber}`);
  }
  const paid = sum(r.claims.map((c) => c.paidCents));
  const plb = sum(r.providerAdjustments.map((a) => a.amountCents));
  if (r.paymentCents !== paid - plb) problems.push(`payment ${r.traceNumber}`);
  return problems;
}
