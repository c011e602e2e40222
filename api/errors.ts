/**
 * RFC 9457 problem details: the one error model of the API. Every error leaves through `sendProblem`
 * (via the app's error handler); 5xx bodies never carry internals.
 */
import type { FastifyReply } from 'fastify';

export interface FieldError {
  /** JSON pointer-ish path of the offending field, e.g. `lines/0/chargeCents`, or an X12 segment. */
  field: string;
  message: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extra: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(detail ?? title);
  }
}

export const notFound = (what: string) => new Problem(404, 'Not Found', `${what} not found`);
export const conflict = (detail: string, extra: Record<string, unknown> = {}) =>
  new Problem(409, 'Conflict', detail, extra);
export const badRequest = (detail: string, errors: FieldError[]) =>
  new Problem(400, 'Bad Request', detail, { errors });
export const unprocessable = (detail: string, errors: FieldError[], extra: Record<string, unknown> = {}) =>
  new Problem(422, 'Unprocessable Content', detail, { errors, ...extra });

export function sendProblem(reply: FastifyReply, p: Problem, instance?: string): FastifyReply {
  return reply
    .status(p.status)
    .type('application/problem+json')
    .send({
      type: `about:blank`,
      title: p.title,
      status: p.status,
      detail: p.detail,
      instance,
      ...p.extra,
    });
}
