/**
 * Applying a biller's correction to a claim. The correction was already validated by the claim
 * workflow's update validator (`correctionError` in domain/corrections.ts), the one authority on what
 * may be corrected: this file only applies it.
 */
import type { Db } from './pool.js';

/**
 * Applies a correction to the claim (and its lines or patient) in one transaction and returns each
 * changed field with its old and new value, for the audit trail. Throws RangeError only for what just
 * the row can tell: a line number the claim does not have.
 */
export async function applyCorrection(
  db: Db,
  claimUuid: string,
  changes: Record<string, unknown>,
): Promise<Record<string, { from: unknown; to: unknown }>> {
  return db.transaction().execute(async (trx) => {
    const claim = await trx
      .selectFrom('claims')
      .selectAll()
      .where('id', '=', claimUuid)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const applied: Record<string, { from: unknown; to: unknown }> = {};
    for (const [field, to] of Object.entries(changes)) {
      if (field === 'diagnosisCodes') {
        applied[field] = { from: claim.diagnosis_codes, to };
        await trx
          .updateTable('claims')
          .set({ diagnosis_codes: to as string[] })
          .where('id', '=', claimUuid)
          .execute();
      } else if (field === 'billingProviderNpi') {
        applied[field] = { from: claim.billing_provider_npi, to };
        await trx
          .updateTable('claims')
          .set({ billing_provider_npi: to as string })
          .where('id', '=', claimUuid)
          .execute();
      } else if (field === 'memberId') {
        // The member id is PHI: the audit records that it changed, not its values.
        applied[field] = { from: '[redacted]', to: '[redacted]' };
        await trx
          .updateTable('patients')
          .set({ member_id: to as string })
          .where('id', '=', claim.patient_id)
          .execute();
      } else {
        const [, n, f] = field.split('.') as [
          string,
          string,
          'procedureCode' | 'modifiers' | 'units' | 'chargeCents',
        ];
        const line = await trx
          .selectFrom('claim_lines')
          .selectAll()
          .where('claim_id', '=', claimUuid)
          .where('line_number', '=', Number(n))
          .executeTakeFirst();
        if (!line) throw new RangeError(`${field} names line ${n}, which the claim does not have`);
        const column = {
          procedureCode: 'procedure_code',
          modifiers: 'modifiers',
          units: 'units',
          chargeCents: 'charge_cents',
        } as const;
        applied[field] = { from: line[column[f]], to };
        await trx
          .updateTable('claim_lines')
          .set({ [column[f]]: to })
          .where('claim_id', '=', claimUuid)
          .where('line_number', '=', Number(n))
          .execute();
      }
    }
    // Charges may have changed: the claim total is always the sum of its lines.
    const total = await trx
      .selectFrom('claim_lines')
      .select((eb) => eb.fn.sum<number>('charge_cents').as('t'))
      .where('claim_id', '=', claimUuid)
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('claims')
      .set({ total_charge_cents: Number(total.t) })
      .where('id', '=', claimUuid)
      .execute();
    return applied;
  });
}
