/** Liveness and readiness answers. */
import { Type } from 'typebox';
import { strict } from './common.js';

export const Status = Type.Object(
  {
    status: Type.String(),
    checks: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: 'dependency -> ok | unavailable' }),
    ),
  },
  strict,
);
