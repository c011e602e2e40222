/** The audit verification endpoint names the claim and event of a row altered behind the trigger's back. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedClaim, seedEvent, startDbApp, sunrise } from './support.js';

let ctx: Awaited<ReturnType<typeof startDbApp>>;
beforeAll(async () => {
  ctx = await startDbApp();
});
afterAll(async () => {
  await ctx?.stop();
});

const verify = (url: string, headers: Record<string, string>) =>
  ctx.app.inject({ method: 'GET', url, headers });

describe('GET /audit/verify', () => {
  it('reports an altered event with its claim, for the practice’s admin; billers may not ask', async () => {
    const claimId = await seedClaim(ctx.db, { practiceId: 'sunrise-fp' });
    for (const kind of ['STATUS_CHANGED', 'NOTE_ADDED', 'ASSIGNED'])
      await seedEvent(ctx.db, { claimUuid: claimId, at: new Date().toISOString(), kind });
    const intact = await verify(`/audit/verify?claimId=${claimId}`, sunrise('admin'));
    expect(intact.json()).toMatchObject({ intact: true, broken: [] });

    const events = await ctx.db
      .selectFrom('claim_events')
      .select('id')
      .where('claim_id', '=', claimId)
      .orderBy('id')
      .execute();
    await sql`alter table claim_events disable trigger claim_events_append_only`.execute(ctx.db);
    await sql`update claim_events set actor = 'someone-else' where id = ${events[1]!.id}`.execute(ctx.db);
    await sql`alter table claim_events enable trigger claim_events_append_only`.execute(ctx.db);

    const res = await verify('/audit/verify', sunrise('admin'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      intact: false,
      broken: [{ claimId, practiceId: 'sunrise-fp', eventId: String(events[1]!.id) }],
    });
    expect((await verify('/audit/verify', sunrise('biller'))).statusCode).toBe(403);
    expect((await verify('/audit/verify?practiceId=lakeside-ortho', sunrise('admin'))).statusCode).toBe(403);
    const everything = await verify('/audit/verify', sunrise('operator'));
    expect(everything.json()).toMatchObject({ scope: 'every claim', intact: false });
  });
});
