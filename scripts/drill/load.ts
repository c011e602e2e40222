/**
 * Load for the drills: claims whose outcome payer-sim's member-id scenarios decide (so each claim's
 * end state is known in advance), submitted through the API over real HTTP with an Idempotency-Key and
 * bounded retries, and a small HTTP client that never throws on a status code.
 */
import { request } from 'node:http';
import type { ClaimStatus } from '../../domain/claim-status.js';
import { mapLimit, sleep } from './util.js';

/** One scenario of the load: the member-id prefix payer-sim keys on and the states its story ends in. */
export interface Story {
  name: string;
  memberIdPrefix: string;
  /** The state the claim waits in (or ends in) once the payer has answered and the 835 is posted. */
  settled: readonly ClaimStatus[];
  /** Whether the payer adjudicates it and writes an 835 claim loop for it. */
  remitted: boolean;
}

/** The mix: mostly clean payments, patient shares, denials waiting for a biller, a few rejections. */
export const STORIES: readonly Story[] = [
  { name: 'paid', memberIdPrefix: 'PAID-', settled: ['PAID'], remitted: true },
  { name: 'copay', memberIdPrefix: 'COPAY-', settled: ['PATIENT_BALANCE'], remitted: true },
  { name: 'denied', memberIdPrefix: 'DENY50-', settled: ['NEEDS_REVIEW'], remitted: true },
  { name: 'rejected', memberIdPrefix: 'NOTFOUND-', settled: ['NEEDS_CORRECTION'], remitted: false },
];

/** Which story the i-th claim of a run gets: 60% paid, 20% copay, 15% denied, 5% rejected. */
export function storyOf(i: number): Story {
  const k = i % 20;
  if (k < 12) return STORIES[0]!;
  if (k < 16) return STORIES[1]!;
  if (k < 19) return STORIES[2]!;
  return STORIES[3]!;
}

/** What the drill knows about a claim it created. */
export interface CreatedClaim {
  claimId: string;
  /** Postgres uuid. */
  id: string;
  workflowId: string;
  story: Story;
}

/** An HTTP answer, or the transport error when there was none. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
  /** The transport error (connection refused, reset, timeout) when no answer came. */
  error?: string;
  ms: number;
}

/**
 * One HTTP request with a timeout; never throws. Each request opens its own connection (no keep-alive):
 * a drill that closes the API must not confuse a reused idle socket the server closed with an in-flight
 * request it cut.
 */
export function http(
  method: string,
  url: string,
  opts: {
    body?: unknown;
    raw?: string;
    contentType?: string;
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<Answer> {
  const started = Date.now();
  const headers: Record<string, string> = { ...opts.headers };
  let body: string | undefined;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers['content-type'] = opts.contentType ?? 'text/plain';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: Omit<Answer, 'ms'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...a, ms: Date.now() - started });
    };
    const fail = (error: string) =>
      done({ status: 0, headers: new Headers(), text: '', json: undefined, error });
    const req = request(url, { method, headers, agent: false, timeout: opts.timeoutMs ?? 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
      res.on('aborted', () => fail('ABORTED'));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        done({ status: res.statusCode ?? 0, headers: h, text, json });
      });
    });
    req.on('timeout', () => {
      req.destroy();
      fail('TIMEOUT');
    });
    req.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const DAY = 86_400_000;

/** A valid claim for POST /claims (fake patient data: drills never see real PHI). */
export function claimBody(claimId: string, story: Story, i: number) {
  return {
    practiceId: 'sunrise-fp',
    claimId,
    payerId: 'ACME-HEALTH',
    billingProviderNpi: '1234567893',
    dateOfService: new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10),
    patient: {
      externalId: `P-${claimId}`,
      firstName: 'Drill',
      lastName: `Patient${i}`,
      birthDate: '1980-04-02',
      memberId: `${story.memberIdPrefix}${claimId.replace(/-/g, '')}`.slice(0, 30),
    },
    diagnosisCodes: ['E11.9'],
    lines: [
      {
        procedureCode: '99213',
        modifiers: [],
        units: 1,
        chargeCents: 15_000 + (i % 7) * 100,
        diagnosisPointers: [1],
      },
      { procedureCode: '36415', modifiers: [], units: 1, chargeCents: 5_000, diagnosisPointers: [1] },
    ],
  };
}

/** What a load run did: the claims stored and how the API answered along the way. */
export interface LoadResult {
  claims: CreatedClaim[];
  /** Status code (or transport error) -> count, over every attempt. */
  answers: Record<string, number>;
  /** Claims the API never accepted within the retry budget. */
  failed: string[];
}

/**
 * Submits `count` claims through the API with `width` in flight. Each claim has its own Idempotency-Key,
 * so a retry after a lost answer, a 5xx or a refused connection is safe; retries stop after `retryForMs`.
 */
export async function submitClaims(
  apiUrl: string,
  key: string,
  opts: {
    count: number;
    prefix: string;
    width?: number;
    retryForMs?: number;
    onProgress?: (done: number) => void;
    /** Every attempt with the instant it started, for drills that judge answers around a fault. */
    onAnswer?: (startedAt: number, answer: Answer) => void;
    /** Pause between two claims of one lane (a steadier, longer load). */
    paceMs?: number;
  },
): Promise<LoadResult> {
  const answers: Record<string, number> = {};
  const failed: string[] = [];
  let done = 0;
  const created = await mapLimit(
    Array.from({ length: opts.count }, (_, i) => i),
    opts.width ?? 8,
    async (i): Promise<CreatedClaim | undefined> => {
      const claimId = `${opts.prefix}-${i}`;
      const story = storyOf(i);
      const body = claimBody(claimId, story, i);
      const deadline = Date.now() + (opts.retryForMs ?? 180_000);
      let delay = 250;
      while (Date.now() < deadline) {
        const startedAt = Date.now();
        const a = await http('POST', `${apiUrl}/claims`, {
          body,
          headers: { authorization: `Bearer ${key}`, 'idempotency-key': `drill-${claimId}` },
        });
        opts.onAnswer?.(startedAt, a);
        const label = a.error ?? String(a.status);
        answers[label] = (answers[label] ?? 0) + 1;
        if (a.status === 200 || a.status === 201) {
          done++;
          opts.onProgress?.(done);
          if (opts.paceMs) await sleep(opts.paceMs);
          const c = a.json as { id: string; workflowId: string };
          return { claimId, id: c.id, workflowId: c.workflowId, story };
        }
        // 409: the first request with this key is still running; 5xx/transport: retry the same key.
        if (a.status !== 0 && a.status !== 409 && a.status < 500) break;
        await sleep(delay);
        delay = Math.min(delay * 2, 4000);
      }
      failed.push(claimId);
      return undefined;
    },
  );
  return { claims: created.filter((c): c is CreatedClaim => c !== undefined), answers, failed };
}
