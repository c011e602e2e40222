/**
 * `npm run audit:verify [-- --claim <uuid> | --practice <id>]`: verifies the claim_events hash chains
 * of one claim, one practice, or every claim in DATABASE_URL, and prints the first broken link of each
 * broken claim. Exit code 0 when every chain holds, 1 when one is broken, 2 on bad arguments.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import { verifyAuditChain } from '../db/claim-events.js';
import { createDb } from '../db/pool.js';

const { values } = parseArgs({ options: { claim: { type: 'string' }, practice: { type: 'string' } } });
if (values.claim && values.practice) {
  console.error('give --claim or --practice, not both');
  process.exit(2);
}
const config = loadConfig();
if (!config.databaseUrl) {
  console.error('DATABASE_URL is required');
  process.exit(2);
}
const db = createDb(config.databaseUrl, { max: 1 });
try {
  const scope = values.claim
    ? `claim ${values.claim}`
    : values.practice
      ? `practice ${values.practice}`
      : 'every claim';
  const broken = await verifyAuditChain(db, { claimUuid: values.claim, practiceId: values.practice });
  if (broken.length === 0) {
    console.log(`audit chain intact (${scope})`);
  } else {
    console.log(`audit chain BROKEN for ${broken.length} claim(s) (${scope}):`);
    for (const b of broken)
      console.log(`  claim ${b.claimUuid} (practice ${b.practiceId}): event ${b.eventId}: ${b.problem}`);
    process.exitCode = 1;
  }
} finally {
  await db.destroy();
}
