/** Every drill, in the order `npm run drill -- all` runs them. */
import type { Drill } from '../types.js';
import { eraFlood } from './era-flood.js';
import { gracefulShutdown } from './graceful-shutdown.js';
import { postgresOutage } from './postgres-outage.js';
import { workerKill } from './worker-kill.js';

export const DRILLS: readonly Drill[] = [workerKill, postgresOutage, eraFlood, gracefulShutdown];
