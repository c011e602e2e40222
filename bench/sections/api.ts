/**
 * API latency under autocannon (-c 50, no pipelining) on a seeded database, against a bare Fastify route
 * returning a fixed JSON on the same machine, measured in the same run.
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { benchClaimBody } from '../claims.js';
import { auth, type BenchStack } from '../stack.js';

const CATEGORIES = ['MEDICAL_NECESSITY', 'MISSING_INFORMATION', 'DUPLICATE', 'ELIGIBILITY'];

/**
 * `n` claims over the two demo practices and the last year, a third of them in the work queue with a
 * denial category and a deadline, inserted by one `generate_series` statement.
 */
export async function seedClaims(stack: BenchStack, n: number): Promise<void> {
  await sql`
    insert into patients (practice_id, external_id, first_name, last_name, birth_date, member_id)
    select p, 'SEED-' || p, 'Seed', 'Patient', date '1980-04-02', 'LOST-SEED'
    from unnest(array['sunrise-fp', 'lakeside-ortho']) as p
    on conflict do nothing`.execute(stack.db);
  await sql`
    insert into claims (practice_id, claim_id, patient_control_number, patient_id, payer_id,
      billing_provider_npi, date_of_service, diagnosis_codes, total_charge_cents, status, denial_category,
      next_deadline, paid_cents, open_balance_cents, workflow_id, submitted_at, first_denied_at, created_at)
    select pr, 'S' || i, 'S' || i,
      (select id from patients where external_id = 'SEED-' || pr), 'ACME-HEALTH',
      case when pr = 'sunrise-fp' then '1234567893' else '1987654328' end,
      (now() - (i % 365) * interval '1 day')::date, array['E11.9'], 10000 + (i % 97) * 100,
      case when i % 3 = 0 then 'NEEDS_REVIEW' when i % 3 = 1 then 'PAID' else 'AWAITING_ADJUDICATION' end,
      case when i % 3 = 0 then (${sql.val(CATEGORIES)}::text[])[1 + (i / 3) % 4] end,
      case when i % 3 = 0 then now() + (1 + i % 90) * interval '1 day' end,
      case when i % 3 = 1 then 10000 + (i % 97) * 100 else 0 end,
      case when i % 3 = 1 then 0 else 10000 + (i % 97) * 100 end,
      'seed-' || i, now() - (i % 365) * interval '1 day',
      case when i % 3 = 0 then now() - (i % 365) * interval '1 day' + interval '20 days' end,
      now() - (i % 365) * interval '1 day'
    from generate_series(1, ${n}) as i,
      lateral (select case when i % 2 = 0 then 'sunrise-fp' else 'lakeside-ortho' end as pr) p
    on conflict do nothing`.execute(stack.db);
  await sql`analyze claims`.execute(stack.db);
}

export interface CannonRound {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

async function cannon(opts: autocannon.Options): Promise<CannonRound> {
  const r = await autocannon({ pipelining: 1, ...opts });
  return {
    requestsPerSecond: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

export interface ApiTarget {
  name: string;
  path: string;
  method?: 'GET' | 'POST';
  role: 'biller' | 'supervisor' | 'integration';
  connections: number;
}

/** The routes the bench drives; `claimId` is a real claim (its workflow answers the live-state query). */
export function apiTargets(claimId: string): ApiTarget[] {
  const today = new Date();
  const yearAgo = new Date(today.getTime() - 364 * 86_400_000);
  return [
    { name: 'GET /worklist', path: '/worklist', role: 'biller', connections: 50 },
    { name: 'GET /claims/:id', path: `/claims/${claimId}`, role: 'biller', connections: 50 },
    {
      name: 'claim search',
      path: '/claims?status=NEEDS_REVIEW&payerId=ACME-HEALTH&denialCategory=MEDICAL_NECESSITY&minOpenBalanceCents=10000',
      role: 'biller',
      connections: 50,
    },
    { name: 'POST /claims', path: '/claims', method: 'POST', role: 'integration', connections: 50 },
    {
      // One report at a time: the target is how long a supervisor waits for one practice's year.
      name: 'KPI report (1 practice, 1 year)',
      path: `/kpis?practiceId=sunrise-fp&from=${yearAgo.toISOString().slice(0, 10)}&to=${today.toISOString().slice(0, 10)}`,
      role: 'supervisor',
      connections: 1,
    },
  ];
}

/** A bare Fastify route with a fixed JSON answer: the floor every route is compared with. */
export async function startBareRoute(): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  const fixed = {
    items: [{ id: '00000000-0000-0000-0000-000000000000', status: 'NEEDS_REVIEW' }],
    nextCursor: null,
  };
  app.get('/bare', async () => fixed);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${url}/bare`, close: () => app.close() };
}

/** One round: the bare route, then the target, each for `seconds`. */
export async function runApiRound(
  stack: BenchStack,
  bareUrl: string,
  target: ApiTarget,
  seconds: number,
): Promise<{ ours: CannonRound; bare: CannonRound }> {
  const bare = await cannon({ url: bareUrl, connections: target.connections, duration: seconds });
  const headers = { ...auth(target.role), 'content-type': 'application/json' };
  const ours =
    target.method === 'POST'
      ? await cannon({
          url: `${stack.apiUrl}${target.path}`,
          connections: target.connections,
          duration: seconds,
          requests: [
            {
              method: 'POST',
              headers,
              // A new claim each request (LOST- members are never adjudicated, so they only wait).
              setupRequest: (req) => ({ ...req, body: JSON.stringify(benchClaimBody('LOST-API')) }),
            },
          ],
        })
      : await cannon({
          url: `${stack.apiUrl}${target.path}`,
          connections: target.connections,
          duration: seconds,
          headers,
        });
  return { ours, bare };
}
