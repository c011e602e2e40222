/**
 * A pull reads every page of new files at the clearinghouse: a busy payer writes more files between two
 * pulls than one listing page holds, and a pull that read one page left the rest for pulls that might
 * not come (found by the benchmark's ERA-to-work-queue section). Real Postgres; the clearinghouse is a
 * gateway answering pages of 100, as payer-sim does.
 */
import type { Client } from '@temporalio/client';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEraActivities } from '../../activities/era.js';
import type { PayerGateway } from '../../activities/payer/gateway.js';
import { eraPullCursor } from '../../db/remittances.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

describe('pulling ERA files', () => {
  it('reads page after page until the clearinghouse has nothing new, and leaves the cursor at the end', async () => {
    const files = Array.from({ length: 250 }, (_, i) => ({ id: `F${i + 1}`, body: `not an 835 #${i + 1}` }));
    let listings = 0;
    const payer = {
      async listRemittances(after?: string) {
        listings++;
        const from = after ? Number(after) : 0;
        const page = files.slice(from, from + 100);
        return {
          items: page.map((f) => ({
            id: f.id,
            payerId: 'ACME',
            producedAt: '2026-12-03T00:00:00Z',
            sizeBytes: 10,
          })),
          ...(page.length > 0 ? { nextCursor: String(from + page.length) } : {}),
        };
      },
      async fetchRemittance(id: string) {
        return files.find((f) => f.id === id)!.body;
      },
    } as unknown as PayerGateway;
    const activities = createEraActivities({
      db: tdb.db,
      payer,
      temporal: {} as Client,
      taskQueue: 'unused',
      log: pino({ level: 'silent' }),
    });
    const pulled = await activities.pullEraFiles();
    expect(pulled).toHaveLength(250);
    // Three pages of files, then one empty page that says there is nothing more.
    expect(listings).toBe(4);
    expect(await eraPullCursor(tdb.db)).toBe('250');
    const stored = await tdb.db.selectFrom('era_files').select('id').execute();
    expect(stored).toHaveLength(250);
    // The next pull finds nothing new.
    expect(await activities.pullEraFiles()).toEqual([]);
  });
});
