/** Verification of the claim_events hash chain. */
import { Type } from 'typebox';
import { PracticeId, strict, Uuid } from './common.js';

export const VerifyQuery = Type.Object(
  {
    claimId: Type.Optional(Uuid),
    practiceId: Type.Optional(PracticeId('verify this practice’s claims (one of the key’s)')),
  },
  strict,
);

export const BrokenLink = Type.Object(
  { claimId: Uuid, practiceId: Type.String(), eventId: Type.String(), problem: Type.String() },
  strict,
);

export const VerifyResult = Type.Object(
  {
    intact: Type.Boolean(),
    scope: Type.String({ description: 'what was verified' }),
    broken: Type.Array(BrokenLink, { description: 'the first broken link of each broken claim' }),
  },
  strict,
);
