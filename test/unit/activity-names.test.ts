import type { Client } from '@temporalio/client';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import type { Db } from '../../db/pool.js';

// Workflows and recorded histories (test/histories) name activity types by these strings: the split of
// activities/ into one module per concern must keep every one, and add none by accident.
const ACTIVITY_NAMES = [
  'appealStatus',
  'applyCorrection',
  'claimStatusInquiry',
  'deliverAppealPacket',
  'loadPayerRules',
  'mineClaimRules',
  'notify',
  'postEraFile',
  'postPatientPayment',
  'pullEraFiles',
  'recordAppealDecision',
  'recordClaimEvent',
  'recordRulesRollout',
  'redeliverFailedNotifications',
  'scrubClaim',
  'sendPatientStatement',
  'signalPostedClaims',
  'signalRulesChange',
  'startOrphanedClaims',
  'submitAppeal',
  'submitClaim',
];

describe('createActivities', () => {
  it('registers every activity type by its recorded name, each from exactly one module', () => {
    // Building the activities touches nothing: the dependencies are only captured.
    const activities = createActivities({
      db: {} as Db,
      payer: {} as never,
      temporal: {} as Client,
      taskQueue: 'unused',
      log: pino({ level: 'silent' }),
    });
    expect(Object.keys(activities).sort()).toEqual(ACTIVITY_NAMES);
    for (const fn of Object.values(activities)) expect(typeof fn).toBe('function');
  });
});
