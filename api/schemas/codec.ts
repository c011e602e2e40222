/** The codec server: Temporal's remote-codec JSON (payloads with base64 metadata and data) and the access log. */
import { Type } from 'typebox';
import { DateTime, Nullable, PracticeId, strict } from './common.js';

const Base64 = Type.String({ maxLength: 4 * 1024 * 1024, description: 'base64 bytes' });

/** One payload as the Temporal UI sends it: metadata values and data are base64. */
export const CodecPayload = Type.Object({
  metadata: Type.Optional(Type.Record(Type.String(), Base64)),
  data: Type.Optional(Base64),
});

export const CodecBody = Type.Object({ payloads: Type.Array(CodecPayload, { maxItems: 1000 }) });

export const CodecAnswer = Type.Object({ payloads: Type.Array(CodecPayload) }, strict);

export const AccessLogQuery = Type.Object(
  {
    practiceId: Type.Optional(PracticeId('only this practice (one of the key’s)')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  strict,
);

export const AccessLogEntry = Type.Object(
  {
    id: Type.String(),
    at: DateTime,
    userId: Type.String(),
    role: Type.String(),
    practiceId: Nullable(Type.String()),
    workflowId: Type.String(),
    payloadCount: Type.Integer(),
    allowed: Type.Boolean(),
    requestId: Nullable(Type.String()),
  },
  strict,
);

export const AccessLog = Type.Object({ items: Type.Array(AccessLogEntry) }, strict);
