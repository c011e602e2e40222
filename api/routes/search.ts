/**
 * Claim search (POST, so a patient's name or birth date travels in the body and never lands in a URL,
 * an access log or a browser history).
 */
import { searchClaims } from '../../db/claim-search.js';
import { practicesFor } from '../plugins/auth.js';
import * as s from '../schemas/search.js';
import type { App, AppDeps } from '../types.js';
import { claimJson } from '../views.js';

export function searchRoutes(deps: AppDeps) {
  return async function routes(app: App): Promise<void> {
    app.post(
      '/claims/search',
      {
        schema: {
          body: s.SearchBody,
          tags: ['claims'],
          operationId: 'searchClaims',
          summary:
            'Find claims by claim id, patient control number, payer claim number, patient name or birth date',
          description:
            'Newest first, within the caller’s practices (a practiceId it does not hold answers 403).',
          response: { 200: s.SearchResult },
        },
        config: { roles: ['biller', 'supervisor', 'admin'] },
      },
      async (req) => {
        const rows = await searchClaims(deps.db, {
          practiceIds: practicesFor(req, req.body.practiceId),
          q: req.body.q,
          limit: req.body.limit ?? 25,
        });
        return {
          items: rows.map((row) => ({
            ...claimJson(deps, row),
            patientName: `${row.patient_first_name} ${row.patient_last_name}`,
          })),
        };
      },
    );
  };
}
