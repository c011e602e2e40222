import { describe, it } from 'vitest';
import { gracefulShutdown } from '../../scripts/drill/drills/graceful-shutdown.js';
import { DRILL_TIMEOUT_MS, expectDrillPasses } from './support.js';

describe('drill: graceful shutdown under load', () => {
  it(
    'SIGTERM, and Ctrl-C (SIGINT then SIGTERM), stop the API and the worker with exit 0 and no stack trace',
    () => expectDrillPasses(gracefulShutdown),
    DRILL_TIMEOUT_MS,
  );
});
