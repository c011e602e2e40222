import { describe, it } from 'vitest';
import { workerKill } from '../../scripts/drill/drills/worker-kill.js';
import { DRILL_TIMEOUT_MS, expectDrillPasses } from './support.js';

describe('drill: worker SIGKILL under load', () => {
  it(
    'a worker killed mid-flight and restarted loses no claim, files none twice and posts every 835 loop once',
    () => expectDrillPasses(workerKill),
    DRILL_TIMEOUT_MS,
  );
});
