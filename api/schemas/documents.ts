/**
 * Schemas of the document routes: attachments, generated documents, appeal letter templates and the
 * letter preview.
 */
import { Type } from 'typebox';
import { DENIAL_CATEGORIES } from '../../domain/carc.js';
import { PAYER_TYPES } from '../../domain/payer-rules.js';
import { PRACTICE_ID_PATTERN, strict, Uuid } from './common.js';

/** Schema of the document routes. */
export const ClaimParams = Type.Object({ id: Uuid }, strict);
/** Schema of the document routes. */
export const AttachmentParams = Type.Object({ id: Uuid, attachmentId: Uuid }, strict);
/** Schema of the document routes. */
export const DocumentParams = Type.Object({ id: Uuid, documentId: Uuid }, strict);
/** Schema of the document routes. */
export const PracticeParams = Type.Object(
  { practiceId: Type.String({ pattern: PRACTICE_ID_PATTERN }) },
  strict,
);
/** Schema of the document routes. */
export const TemplateParams = Type.Object(
  {
    practiceId: Type.String({ pattern: PRACTICE_ID_PATTERN }),
    key: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }),
  },
  strict,
);

/** Schema of the document routes. */
export const AttachmentView = Type.Object(
  {
    id: Uuid,
    claimId: Uuid,
    title: Type.String(),
    fileName: Type.Union([Type.String(), Type.Null()]),
    mediaType: Type.String(),
    sizeBytes: Type.Integer(),
    pageCount: Type.Integer(),
    sha256: Type.String(),
    uploadedBy: Type.String(),
    uploadedAt: Type.String({ format: 'date-time' }),
    created: Type.Optional(Type.Boolean()),
  },
  strict,
);

/** Schema of the document routes. */
export const DocumentView = Type.Object(
  {
    id: Uuid,
    claimId: Type.Union([Uuid, Type.Null()]),
    kind: Type.String(),
    sha256: Type.String(),
    mediaType: Type.String(),
    sizeBytes: Type.Integer(),
    pageCount: Type.Union([Type.Integer(), Type.Null()]),
    templateKey: Type.Union([Type.String(), Type.Null()]),
    templateVersion: Type.Union([Type.Integer(), Type.Null()]),
    attachmentIds: Type.Array(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
    sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    deliveryReference: Type.Union([Type.String(), Type.Null()]),
  },
  strict,
);

/** Schema of the document routes. */
export const TemplateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    payerTypes: Type.Array(Type.Union(PAYER_TYPES.map((p) => Type.Literal(p))), { minItems: 1, maxItems: 5 }),
    categories: Type.Array(Type.Union(DENIAL_CATEGORIES.map((c) => Type.Literal(c))), {
      maxItems: 12,
      default: [],
    }),
    levels: Type.Array(Type.Integer({ minimum: 1, maximum: 5 }), { maxItems: 5, default: [] }),
    form: Type.Optional(Type.Union([Type.Literal('CMS-20027'), Type.Literal('CMS-20033')])),
    subject: Type.String({ minLength: 1, maxLength: 500 }),
    body: Type.String({ minLength: 1, maxLength: 20_000 }),
    closing: Type.String({ maxLength: 2_000 }),
  },
  strict,
);

/** Schema of the document routes. */
export const TemplateView = Type.Object(
  {
    key: Type.String(),
    version: Type.Union([Type.Integer(), Type.Null()]),
    source: Type.Union([Type.Literal('practice'), Type.Literal('default')]),
    name: Type.String(),
    payerTypes: Type.Array(Type.String()),
    categories: Type.Array(Type.String()),
    levels: Type.Array(Type.Integer()),
    form: Type.Optional(Type.String()),
    subject: Type.String(),
    body: Type.String(),
    closing: Type.String(),
  },
  strict,
);

/** Schema of the document routes. */
export const PreviewBody = Type.Object(
  {
    templateKey: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' })),
    template: Type.Optional(
      Type.Object(
        { ...TemplateBody.properties, key: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }) },
        strict,
      ),
    ),
    level: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    grounds: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
    attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
  },
  strict,
);

/** Query of the print-vendor batch: the day (UTC) the statements were mailed and which part. */
export const PrintBatchQuery = Type.Object(
  {
    date: Type.String({
      format: 'date',
      description: 'the day the statements were mailed (UTC), YYYY-MM-DD',
    }),
    format: Type.Optional(
      Type.Union([Type.Literal('pdf'), Type.Literal('csv')], { description: 'pdf (default) or csv' }),
    ),
  },
  strict,
);
