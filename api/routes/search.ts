/**
 * Claim search (POST, so a patient's name or birth date travels in the body and never lands in a URL,
 * an access log or a browser history).
 */
import { Type } from 'typebox';
import { searchClaims } from '../../db/claim-search.js';
import type { App, AppDeps } from '../app.js';
import * as r from '../responses.js';
import { claimJson, practicesFor } from '../views.js';

const SearchBody = Type.Object(
  {
    q: Type.String({
      minLength: 2,
      maxLength: 100,
      description:
        'claim id, patient control number or payer claim number (prefix), patient name (first, last or ' +
        '"first last", prefix), or birth date (YYYY-MM-DD or MM/DD/YYYY)',
    }),
    practiceId: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,20}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  },
  { additionalProperties: false },
);

const SearchResult = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        { ...r.claimSummaryProperties, patientName: Type.String() },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export function searchRoutes(deps: AppDeps) {
  return async function routes(app: App): Promise<void> {
    app.post(
      '/claims/search',
      {
        schema: {
          body: SearchBody,
          tags: ['claims'],
          operationId: 'searchClaims',
          summary:
            'Find claims by claim id, patient control number, payer claim number, patient name or birth date',
          description:
            'Newest first, within the caller’s practices (a practiceId it does not hold answers 403).',
          response: { 200: SearchResult, ...r.problemResponses },
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
