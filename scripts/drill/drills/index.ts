/** Every drill, in the order `npm run drill -- all` runs them (the numbering). */
import type { Drill } from '../types.js';
import { badInput } from './bad-input.js';
import { concurrentDecisions } from './concurrent-decisions.js';
import { eraFlood } from './era-flood.js';
import { gracefulShutdown } from './graceful-shutdown.js';
import { payerOutage, payerThrottle } from './payer-faults.js';
import { postgresOutage } from './postgres-outage.js';
import { postgresReadOnly } from './postgres-readonly.js';
import { temporalRestart } from './temporal-restart.js';
import { workerKill } from './worker-kill.js';

export const DRILLS: readonly Drill[] = [
  workerKill,
  temporalRestart,
  postgresOutage,
  payerOutage,
  payerThrottle,
  eraFlood,
  concurrentDecisions,
  gracefulShutdown,
  badInput,
  postgresReadOnly,
];
