/**
 * The schema pieces every resource shares: identifiers (the practice id pattern lives here only), money,
 * dates, the cursor, pagination and the problem details of every error answer.
 *
 * Request schemas refuse unknown fields. Response schemas document every route in the OpenAPI document
 * and are what the schema-driven fuzz run (test/api/openapi-fuzz.test.ts) checks real answers against.
 * Answers are serialized with plain JSON.stringify (see app.ts), so a schema never silently reshapes an
 * answer: a mismatch is a failing test, not a dropped field.
 */
import { type TSchema, Type } from 'typebox';

/** Object schemas that refuse (requests) or never carry (responses) other fields. */
export const strict = { additionalProperties: false } as const;

/** `T | null`. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** A practice id: lower-case letters, digits and dashes, up to 20. */
export const PRACTICE_ID_PATTERN = '^[a-z0-9-]{1,20}$';
export const PracticeId = (description?: string) =>
  Type.String({ pattern: PRACTICE_ID_PATTERN, ...(description ? { description } : {}) });

/** A payer id as stored (`ACME-HEALTH`). */
export const PayerId = Type.String({ minLength: 1, maxLength: 40 });
export const Uuid = Type.String({ format: 'uuid' });
export const DateTime = Type.String({ format: 'date-time' });
/** A calendar date in an answer. */
export const IsoDate = Type.String({ format: 'date' });
/** A calendar date in a request. */
export const DateParam = (description = 'calendar date, YYYY-MM-DD (inclusive)') =>
  Type.String({ format: 'date', description });
/** Money in an answer: integer cents, may be negative (a reversal) or zero. */
export const Cents = Type.Integer({ description: 'integer cents' });

/** The cursor every list takes back: the `nextCursor` of the previous page (base64url JSON). */
export const Cursor = Type.String({
  minLength: 1,
  maxLength: 400,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'the `nextCursor` of the previous page (opaque, base64url)',
});

/** `limit` of a list: how many items one page holds. */
export const Limit = (max: number, dflt: number) =>
  Type.Integer({ minimum: 1, maximum: max, default: dflt, description: `items per page (at most ${max})` });

/** One page of a list. */
export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Nullable(
        Type.String({ description: 'pass as `cursor` for the next page; null on the last page' }),
      ),
    },
    strict,
  );

/** A field error of a problem answer. */
export const FieldErrorSchema = Type.Object({ field: Type.String(), message: Type.String() }, strict);

/** RFC 9457 problem details, with field paths for validation errors. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(FieldErrorSchema)),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details (application/problem+json)' },
);

/** The media type of every error answer. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/**
 * An error answer as the OpenAPI document shows it: problem details sent as `application/problem+json`.
 * Routes declare the errors particular to them with it; the errors every route may give (400, 401, 403,
 * 404, 413, 415, 429, 500, and 409/422 of Idempotency-Key) are added by plugins/openapi.ts.
 */
export function problemResponse(description: string) {
  return { description, content: { [PROBLEM_MEDIA_TYPE]: { schema: ProblemSchema } } };
}

/** `schema` with an example answer or body, as the OpenAPI document shows it (the schema is copied). */
export function withExample<T extends TSchema>(schema: T, example: unknown): T {
  return { ...schema, examples: [example] };
}
