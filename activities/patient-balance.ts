/** Patient balance activities: patient payments and statements (docs/dunning.md), each written once. */
import { postPatientPayment, recordStatement } from '../db/patient-balance.js';
import type { StatementRequest } from '../db/records.js';
import type { PatientPayment } from '../workflows/messages.js';
import type { ActivityDeps } from './deps.js';
import { createDocumentActivities } from './documents.js';

export function createPatientBalanceActivities(deps: ActivityDeps) {
  const { db, log } = deps;
  const documents = createDocumentActivities(deps);
  return {
    /** Posts a patient payment once per reference; `posted: false` when it was already posted. */
    async postPatientPayment(input: {
      claimUuid: string;
      payment: PatientPayment;
    }): Promise<{ posted: boolean }> {
      const posted = await postPatientPayment(db, { claimUuid: input.claimUuid, ...input.payment });
      return { posted };
    },

    /**
     * Records a patient statement, then renders its PDF (stored once per statement key) for the print
     * vendor's batch. A statement that cannot be rendered (no guarantor address, no letterhead) is still
     * recorded, so the dunning clock and its 501(r) dates stay right; the failure is logged by id.
     */
    async sendPatientStatement(input: StatementRequest): Promise<void> {
      await recordStatement(db, input);
      if (!deps.store || input.kind === 'COLLECTIONS') return;
      const index = /^dunning:(\d+)$/.exec(input.statementKey)?.[1];
      try {
        await documents.renderStatementDocument({
          ...input,
          sequence: index === undefined ? 1 : Number(index) + 1,
        });
      } catch (err) {
        log.warn(
          { claimUuid: input.claimUuid, statementKey: input.statementKey, err: (err as Error).message },
          'patient statement recorded but not rendered',
        );
      }
    },
  };
}
