import { describe, it } from 'vitest';
import { postgresOutage } from '../../scripts/drill/drills/postgres-outage.js';
import { DRILL_TIMEOUT_MS, expectDrillPasses } from './support.js';

describe('drill: Postgres outage mid-flight', () => {
  it(
    'while Postgres is down the API answers 503 with Retry-After and never 500, and every claim completes after',
    () => expectDrillPasses(postgresOutage),
    DRILL_TIMEOUT_MS,
  );
});
