/** Claim search. */
import { Type } from 'typebox';
import { claimSummaryProperties } from './claims.js';
import { PracticeId, strict } from './common.js';

export const SearchBody = Type.Object(
  {
    q: Type.String({
      minLength: 2,
      maxLength: 100,
      description:
        'claim id, patient control number or payer claim number (prefix), patient name (first, last or ' +
        '"first last", prefix), or birth date (YYYY-MM-DD or MM/DD/YYYY)',
    }),
    practiceId: Type.Optional(PracticeId()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  },
  strict,
);

export const SearchResult = Type.Object(
  { items: Type.Array(Type.Object({ ...claimSummaryProperties, patientName: Type.String() }, strict)) },
  strict,
);
