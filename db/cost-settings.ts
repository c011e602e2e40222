/**
 * A practice's rates for pricing its work (docs/cost-to-collect.md). A practice that never set them is
 * priced with `DEFAULT_COST_SETTINGS`; a stored row is merged over the defaults per field, so a type
 * added to the domain later is priced at its default until the practice sets it.
 */
import {
  type CostSettings,
  DEFAULT_COST_SETTINGS,
  STAFF_ACTIONS,
  TRANSACTIONS,
} from '../domain/cost-to-collect.js';
import type { Db } from './pool.js';

/** The settings in force for a practice, whether they are its own or the defaults, and who set them. */
export interface StoredCostSettings {
  settings: CostSettings;
  /** False while the practice runs on the defaults. */
  custom: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
}

/** The stored value of each known type, else its default: keys the domain no longer has are dropped. */
function known<K extends string>(keys: readonly K[], defaults: Readonly<Record<K, number>>, stored: unknown) {
  const values = (stored ?? {}) as Partial<Record<K, unknown>>;
  return Object.fromEntries(
    keys.map((k) => [k, typeof values[k] === 'number' ? values[k] : defaults[k]]),
  ) as Record<K, number>;
}

export async function getCostSettings(db: Db, practiceId: string): Promise<StoredCostSettings> {
  const row = await db
    .selectFrom('practice_cost_settings')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .executeTakeFirst();
  if (!row) {
    return { settings: DEFAULT_COST_SETTINGS, custom: false, updatedBy: null, updatedAt: null };
  }
  return {
    settings: {
      hourlyRateCents: row.hourly_rate_cents,
      standardMinutes: known(STAFF_ACTIONS, DEFAULT_COST_SETTINGS.standardMinutes, row.standard_minutes),
      transactionFeesCents: known(
        TRANSACTIONS,
        DEFAULT_COST_SETTINGS.transactionFeesCents,
        row.transaction_fees_cents,
      ),
    },
    custom: true,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Replaces a practice's settings (checked by the caller with `costSettingsErrors`). */
export async function putCostSettings(
  db: Db,
  practiceId: string,
  settings: CostSettings,
  updatedBy: string,
): Promise<StoredCostSettings> {
  const values = {
    hourly_rate_cents: settings.hourlyRateCents,
    standard_minutes: JSON.stringify(settings.standardMinutes),
    transaction_fees_cents: JSON.stringify(settings.transactionFeesCents),
    updated_by: updatedBy,
    updated_at: new Date(),
  };
  await db
    .insertInto('practice_cost_settings')
    .values({ practice_id: practiceId, ...values })
    .onConflict((oc) => oc.column('practice_id').doUpdateSet(values))
    .execute();
  return getCostSettings(db, practiceId);
}
