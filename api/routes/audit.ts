/**
 * Verification of the audit trail's hash chain: one claim, one practice, or (without a filter) every
 * practice of the key; the installation operator verifies everything. Names the first broken link of
 * each broken claim: the event that no longer matches its hash, or that no longer links to the event
 * before it.
 */
import { verifyAuditChain } from '../../db/claim-events.js';
import { claimForPrincipal, practicesFor } from '../plugins/auth.js';
import * as s from '../schemas/audit.js';
import type { App, AppDeps } from '../types.js';

export function auditRoutes(deps: AppDeps) {
  return async function routes(app: App): Promise<void> {
    app.get(
      '/audit/verify',
      {
        schema: {
          querystring: s.VerifyQuery,
          tags: ['audit'],
          operationId: 'verifyAuditTrail',
          summary: 'Verify the claim_events hash chain of a claim, a practice or every practice of the key',
          description: 'A claim or practice the key does not hold answers 404 or 403.',
          response: { 200: s.VerifyResult },
        },
        config: { roles: ['admin', 'operator'] },
      },
      async (req) => {
        const { claimId, practiceId } = req.query;
        let broken: Awaited<ReturnType<typeof verifyAuditChain>>;
        let scope: string;
        if (claimId) {
          const claim = await claimForPrincipal(deps.db, req, claimId);
          broken = await verifyAuditChain(deps.db, { claimUuid: claim.id });
          scope = `claim ${claim.id}`;
        } else if (practiceId || req.principal!.role !== 'operator') {
          const practices = practicesFor(req, practiceId);
          broken = [];
          for (const p of practices) broken.push(...(await verifyAuditChain(deps.db, { practiceId: p })));
          scope = `practices ${practices.join(', ')}`;
        } else {
          broken = await verifyAuditChain(deps.db);
          scope = 'every claim';
        }
        return {
          intact: broken.length === 0,
          scope,
          broken: broken.map((b) => ({
            claimId: b.claimUuid,
            practiceId: b.practiceId,
            eventId: b.eventId,
            problem: b.problem,
          })),
        };
      },
    );
  };
}
