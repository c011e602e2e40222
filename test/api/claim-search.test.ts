/** Claim search: by ids, patient name and birth date, always within the caller's practices. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../api/app.js';
import { searchDate } from '../../db/claim-search.js';
import { seedClaim, startDbApp, sunrise } from './support.js';

let app: App;
let stop: () => Promise<void>;
let sunriseClaim: string;

beforeAll(async () => {
  const started = await startDbApp();
  app = started.app;
  stop = started.stop;
  sunriseClaim = await seedClaim(started.db, { claimId: 'SRCH-100' });
  await seedClaim(started.db, { claimId: 'SRCH-200', practiceId: 'lakeside-ortho' });
});
afterAll(() => stop?.());

const search = (q: string, headers = sunrise('biller')) =>
  app.inject({ method: 'POST', url: '/claims/search', headers, payload: { q } });

describe('POST /claims/search', () => {
  it('finds a claim by claim id prefix, patient name and birth date, only in the caller’s practices', async () => {
    for (const q of ['SRCH', 'srch-1', 'Hopper', 'grace hop', '1970-01-01', '01/01/1970']) {
      const res = await search(q);
      expect(res.statusCode, q).toBe(200);
      const items = res.json().items as { id: string; practiceId: string; patientName: string }[];
      expect(
        items.map((i) => i.id),
        q,
      ).toContain(sunriseClaim);
      expect(
        items.every((i) => i.practiceId === 'sunrise-fp'),
        q,
      ).toBe(true);
    }
    expect((await search('SRCH-200')).json().items).toEqual([]);
  });

  it('treats LIKE wildcards as text and refuses a one-character query', async () => {
    expect((await search('%%')).json().items).toEqual([]);
    expect((await search('S')).statusCode).toBe(400);
  });

  it('reads US and ISO birth dates and refuses impossible ones', () => {
    expect(searchDate('4/2/1980')).toBe('1980-04-02');
    expect(searchDate('1980-02-30')).toBeUndefined();
    expect(searchDate('Hopper')).toBeUndefined();
  });
});
