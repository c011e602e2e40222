import { describe, it } from 'vitest';
import { eraFlood } from '../../scripts/drill/drills/era-flood.js';
import { DRILL_TIMEOUT_MS, expectDrillPasses } from './support.js';

describe('drill: one 835 uploaded 20 times concurrently while the schedule pulls it', () => {
  it(
    'every claim loop is posted exactly once and the totals match the file',
    () => expectDrillPasses(eraFlood),
    DRILL_TIMEOUT_MS,
  );
});
