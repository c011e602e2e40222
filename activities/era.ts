/**
 * ERA activities (docs/x12-835.md): pull new 835 files from the clearinghouse, post them, tell each
 * posted claim, and sweep claims stored without a workflow (the ERA schedule runs that sweep too).
 * Starting and signalling claims goes through temporal/claim-client.ts, as the API's does.
 */
import { claimRefOf, claimsAwaitingStart } from '../db/claims.js';
import {
  eraPullCursor,
  markSignalled,
  type PendingClaimSignal,
  postEraFile,
  setEraPullCursor,
  storeEraFile,
  unsignalledPostings,
} from '../db/remittances.js';
import type { ClaimStatus } from '../domain/claim-status.js';
import { reopenWithRemittance, startClaim } from '../temporal/claim-client.js';
import type { ActivityDeps } from './deps.js';
import { callPayer } from './failures.js';

/**
 * Sends one posting's signal to its claim and marks it sent. The API's manual match calls the same
 * client and repository functions for its one posting.
 */
export async function signalPosting(
  deps: Pick<ActivityDeps, 'db' | 'temporal' | 'taskQueue'>,
  p: PendingClaimSignal,
) {
  await reopenWithRemittance(deps.temporal, deps.taskQueue, p);
  await markSignalled(deps.db, p.paymentId);
}

export function createEraActivities(deps: ActivityDeps) {
  const { db, payer, log } = deps;
  return {
    async postEraFile(input: { eraFileId: string }) {
      return postEraFile(db, input.eraFileId);
    },

    /**
     * Tells each posted claim about its remittance: a running claim gets the signal, a closed one is
     * reopened from its Postgres row (`reopenWithRemittance`). Only claims we know reach here:
     * unmatched loops never start anything.
     */
    async signalPostedClaims(input: { eraFileId: string }): Promise<{ signalled: number }> {
      const pending = await unsignalledPostings(db, input.eraFileId);
      for (const p of pending) await signalPosting(deps, p);
      return { signalled: pending.length };
    },

    /**
     * Starts the workflow of every claim stored but never started (intake answered 5xx because Temporal
     * was unreachable, and the client did not retry): no claim is left without its process.
     */
    async startOrphanedClaims(input: { olderThanMinutes: number }): Promise<{ started: number }> {
      const rows = await claimsAwaitingStart(db, input.olderThanMinutes);
      for (const row of rows) {
        await startClaim(deps.temporal, deps.taskQueue, {
          claim: claimRefOf(row),
          status: row.status as ClaimStatus,
          openBalanceCents: row.open_balance_cents,
        });
      }
      if (rows.length > 0) log.warn({ count: rows.length }, 'started workflows of claims stored without one');
      return { started: rows.length };
    },

    /**
     * Lists new ERA files at the clearinghouse after the stored cursor, page by page (a busy payer writes
     * more files between two pulls than one page holds), stores each and advances the cursor after each
     * page. At most `MAX_PULL_PAGES` pages per run: the next scheduled pull goes on from the cursor.
     */
    async pullEraFiles(): Promise<{ eraFileId: string; checksum: string; rejected: boolean }[]> {
      const out: { eraFileId: string; checksum: string; rejected: boolean }[] = [];
      // Read once, then carried from page to page: this pull writes each page's cursor itself.
      let cursor = await eraPullCursor(db);
      for (let page = 0; page < MAX_PULL_PAGES; page++) {
        const after = cursor;
        const listing = await callPayer(() => payer.listRemittances(after));
        await storePulledPage(listing.items, out);
        if (!listing.nextCursor) break;
        cursor = listing.nextCursor;
        await setEraPullCursor(db, cursor);
        if (listing.items.length === 0) break;
      }
      return out;
    },
  };

  async function storePulledPage(
    items: { id: string }[],
    out: { eraFileId: string; checksum: string; rejected: boolean }[],
  ): Promise<void> {
    for (const item of items) {
      const raw = await callPayer(() => payer.fetchRemittance(item.id));
      const stored = await storeEraFile(db, {
        raw,
        source: 'pull',
        sourceRef: item.id,
        keepRejected: true,
      });
      if (stored.status === 'REJECTED') {
        log.warn({ sourceRef: item.id, error: stored.error.message }, 'pulled ERA file refused');
        out.push({ eraFileId: stored.eraFileId!, checksum: stored.checksum, rejected: true });
      } else {
        out.push({ eraFileId: stored.eraFileId, checksum: stored.checksum, rejected: false });
      }
    }
  }
}

/** Pages of files one pull reads at most (a page is up to 100 files). */
const MAX_PULL_PAGES = 10;
