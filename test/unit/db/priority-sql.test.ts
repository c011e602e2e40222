import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimPriority } from '../../../db/sql-fragments.js';
import { DENIAL_CATEGORIES, type DenialCategory } from '../../../domain/carc.js';
import { DAY, daysUntil } from '../../../domain/dates.js';
import { denialPriority } from '../../../domain/priority.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => tdb?.drop());

const now = new Date('2026-12-01T15:30:00Z');

/** The work queue's SQL priority of one claims-shaped row at `now`. */
async function sqlPriority(row: {
  openBalanceCents: number;
  category: DenialCategory | null;
  deadline: Date | null;
}): Promise<number> {
  const { rows } = await sql<{ p: number }>`
    select ${claimPriority('c', now)} as p
    from (select ${row.openBalanceCents}::bigint as open_balance_cents,
                 ${row.category}::text as denial_category,
                 ${row.deadline}::timestamptz as next_deadline) as c`.execute(tdb.db);
  return Number(rows[0]!.p);
}

describe('the work queue priority in SQL is denialPriority (domain/priority.ts)', () => {
  const cases: { openBalanceCents: number; category: DenialCategory; deadlineInMs: number | null }[] = [
    { openBalanceCents: 100_000, category: 'CODING', deadlineInMs: 10 * DAY },
    { openBalanceCents: 12_345, category: 'ELIGIBILITY', deadlineInMs: 2.5 * DAY },
    { openBalanceCents: 250_000, category: 'AUTHORIZATION', deadlineInMs: null },
    { openBalanceCents: 50_000, category: 'MISSING_INFORMATION', deadlineInMs: -3 * DAY },
    { openBalanceCents: 999, category: 'DUPLICATE', deadlineInMs: 6 * 60 * 60 * 1000 },
    ...DENIAL_CATEGORIES.map((category, i) => ({
      openBalanceCents: 10_000 + i * 7_777,
      category,
      deadlineInMs: (i + 1) * 4 * DAY,
    })),
  ];
  for (const c of cases) {
    it(`${c.category}, ${c.openBalanceCents} cents, deadline ${c.deadlineInMs === null ? 'none' : `${c.deadlineInMs / DAY} days`}`, async () => {
      const deadline = c.deadlineInMs === null ? null : new Date(now.getTime() + c.deadlineInMs);
      const expected = denialPriority({
        amountCents: c.openBalanceCents,
        category: c.category,
        daysToDeadline: deadline === null ? undefined : daysUntil(now.getTime(), deadline.getTime()),
      });
      expect(
        await sqlPriority({ openBalanceCents: c.openBalanceCents, category: c.category, deadline }),
      ).toBe(expected);
    });
  }

  it('a claim with no category counts as MISSING_INFORMATION, as the workflow does', async () => {
    const deadline = new Date(now.getTime() + 5 * DAY);
    expect(await sqlPriority({ openBalanceCents: 40_000, category: null, deadline })).toBe(
      denialPriority({ amountCents: 40_000, category: 'MISSING_INFORMATION', daysToDeadline: 5 }),
    );
  });
});
