/**
 * The console's typed client is generated from the API's OpenAPI document; the committed types must be
 * what the API describes now, so a route change that the console was not rebuilt against fails here
 * (fix: npm run web:openapi, then npm run typecheck:web).
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { clientTypes } from '../../scripts/web-openapi.js';

it('web/src/api/schema.d.ts is generated from the current OpenAPI document', async () => {
  const committed = readFileSync(new URL('../../web/src/api/schema.d.ts', import.meta.url), 'utf8');
  expect(committed === (await clientTypes()), 'stale: run npm run web:openapi').toBe(true);
}, 120_000);
