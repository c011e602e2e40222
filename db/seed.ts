/**
 * Demo and test reference data: practices, payers of each type with their default rules, and API keys.
 * Idempotent: running it twice changes nothing. Demo claims are submitted through the API by the dev
 * stack (scripts/dev-stack.ts) so they take the real path.
 */

import { DEFAULT_RULES, type PayerType } from '../domain/payer-rules.js';
import { createApiKey } from './api-keys.js';
import { seedDocumentSettings } from './document-settings.js';
import { addRuleVersion } from './payer-rules.js';
import type { Db } from './pool.js';

export const DEMO_PRACTICES = [
  { id: 'sunrise-fp', name: 'Sunrise Family Practice', npi: '1234567893', tax_id: '741234567' },
  { id: 'lakeside-ortho', name: 'Lakeside Orthopedics', npi: '1987654328', tax_id: '742345678' },
] as const;

export const DEMO_PAYERS: { id: string; name: string; type: PayerType }[] = [
  { id: 'MEDICARE', name: 'Medicare Part B (JH)', type: 'MEDICARE' },
  { id: 'SUNSHINE-MA', name: 'Sunshine Medicare Advantage', type: 'MEDICARE_ADVANTAGE' },
  { id: 'TX-MEDICAID', name: 'Texas Medicaid', type: 'MEDICAID' },
  { id: 'ACME-HEALTH', name: 'Acme Health Commercial', type: 'COMMERCIAL' },
  { id: 'BLUEPEAK', name: 'BluePeak PPO', type: 'COMMERCIAL' },
];

/** Clear-text demo keys: for local use only, printed by `npm start` and listed in README.md. */
export const DEMO_KEYS = {
  biller: 'demo-biller-key',
  supervisor: 'demo-supervisor-key',
  admin: 'demo-admin-key',
  integration: 'demo-integration-key',
  operator: 'demo-operator-key',
} as const;

export async function seedReferenceData(
  db: Db,
  opts: { webhookUrl?: string; webhookSecret?: string } = {},
): Promise<void> {
  for (const p of DEMO_PRACTICES) {
    await db
      .insertInto('practices')
      .values({ ...p, webhook_url: opts.webhookUrl ?? null, webhook_secret: opts.webhookSecret ?? null })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
  for (const payer of DEMO_PAYERS) {
    const inserted = await db
      .insertInto('payers')
      .values({ id: payer.id, name: payer.name, payer_type: payer.type })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) {
      await addRuleVersion(db, {
        payerId: payer.id,
        practiceId: null,
        effectiveFrom: '2020-01-01',
        rules: DEFAULT_RULES[payer.type],
        actor: 'seed',
      });
    }
  }
  await seedDocumentSettings(db);
}

export async function seedDemoKeys(db: Db): Promise<void> {
  const practiceIds = DEMO_PRACTICES.map((p) => p.id);
  for (const [role, key] of Object.entries(DEMO_KEYS) as [keyof typeof DEMO_KEYS, string][]) {
    await createApiKey(db, { userId: `demo-${role}`, role, practiceIds, key });
  }
}
