import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as core from './migrations/2026-11-30-001-core.js';
import * as apiKeys from './migrations/2026-11-30-002-api-keys.js';
import * as apiIndexes from './migrations/2026-11-30-003-api-indexes.js';
import * as intakeReconciliation from './migrations/2026-11-30-004-intake-reconciliation.js';
import * as auditChain from './migrations/2026-12-02-005-audit-chain.js';
import * as consoleAccounts from './migrations/2026-12-02-005-console-accounts.js';
import * as rowLevelSecurity from './migrations/2026-12-02-006-row-level-security.js';
import * as webhookRedelivery from './migrations/2026-12-02-007-webhook-redelivery.js';
import * as codecAccessLog from './migrations/2026-12-02-008-codec-access-log.js';
import * as deadlineRules from './migrations/2026-12-02-010-deadline-rules.js';
import * as documents from './migrations/2026-12-02-010-documents.js';
import * as feeSchedules from './migrations/2026-12-03-011-fee-schedules.js';
import * as claimRules from './migrations/2026-12-03-012-claim-rules.js';
import * as costToCollect from './migrations/2026-12-03-013-cost-to-collect.js';

/**
 * Migrations are listed in code rather than read from a folder so that the same list works under tsx,
 * in tests and in a bundled build. Names are date-prefixed; a landed migration is never edited.
 */
const migrations: Record<string, Migration> = {
  '2026-11-30-001-core': core,
  '2026-11-30-002-api-keys': apiKeys,
  '2026-11-30-003-api-indexes': apiIndexes,
  '2026-11-30-004-intake-reconciliation': intakeReconciliation,
  '2026-12-02-005-console-accounts': consoleAccounts,
  '2026-12-02-010-deadline-rules': deadlineRules,
  '2026-12-02-005-audit-chain': auditChain,
  '2026-12-02-006-row-level-security': rowLevelSecurity,
  '2026-12-02-007-webhook-redelivery': webhookRedelivery,
  '2026-12-02-008-codec-access-log': codecAccessLog,
  '2026-12-02-010-documents': documents,
  '2026-12-03-011-fee-schedules': feeSchedules,
  '2026-12-03-012-claim-rules': claimRules,
  '2026-12-03-013-cost-to-collect': costToCollect,
};

class CodeMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/** Brings the database to the latest schema; throws with the failing migration's name. */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new CodeMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
