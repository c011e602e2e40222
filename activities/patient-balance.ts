/** Patient balance activities: patient payments and statements (docs/dunning.md), each written once. */
import { postPatientPayment, recordStatement } from '../db/patient-balance.js';
import type { StatementRequest } from '../db/records.js';
import type { PatientPayment } from '../workflows/messages.js';
import type { ActivityDeps } from './deps.js';

export function createPatientBalanceActivities({ db }: ActivityDeps) {
  return {
    /** Posts a patient payment once per reference; `posted: false` when it was already posted. */
    async postPatientPayment(input: {
      claimUuid: string;
      payment: PatientPayment;
    }): Promise<{ posted: boolean }> {
      const posted = await postPatientPayment(db, { claimUuid: input.claimUuid, ...input.payment });
      return { posted };
    },

    /** Records a patient statement (rendering and mailing are the practice's statement vendor's job). */
    async sendPatientStatement(input: StatementRequest): Promise<void> {
      await recordStatement(db, input);
    },
  };
}
