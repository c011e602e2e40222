/**
 * RFC 9457 problem details: the one error model of the API. Routes throw a `Problem` (or let Fastify's
 * validation fail); the one error handler registered here turns every error into
 * `application/problem+json`, and 5xx bodies never carry internals.
 */
import type { FastifyError, FastifyReply } from 'fastify';
import { PROBLEM_MEDIA_TYPE } from '../schemas/common.js';
import type { App } from '../types.js';

export interface FieldError {
  /** JSON pointer-ish path of the offending field, e.g. `lines/0/chargeCents`, or an X12 segment. */
  field: string;
  message: string;
}

/** An error answer: status, title, detail and extra members (`errors` for field errors). */
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

/** Sends `p` as problem+json; `instance` is the request URL. */
export function sendProblem(reply: FastifyReply, p: Problem, instance?: string): FastifyReply {
  return reply
    .status(p.status)
    .type(PROBLEM_MEDIA_TYPE)
    .send({
      type: `about:blank`,
      title: p.title,
      status: p.status,
      detail: p.detail,
      instance,
      ...p.extra,
    });
}

/** Fastify's schema validation errors as field errors (`body/lines/0/chargeCents`). */
function validationErrors(err: FastifyError): FieldError[] {
  return (err.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
    const extra = (v.params as { additionalProperty?: string } | undefined)?.additionalProperty;
    const base = v.instancePath.replace(/^\//, '');
    const field = [base, missing ?? extra].filter(Boolean).join('/');
    return {
      field: `${err.validationContext ?? 'body'}${field ? `/${field}` : ''}`,
      message: extra ? 'is not an allowed field' : (v.message ?? 'is invalid'),
    };
  });
}

/** A route's URL pattern (`/claims/:id`, `/docs/*`) as a regular expression over request paths. */
function pathPattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((part) =>
      part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * The error and not-found handlers: every error leaves the API as problem+json. A request for a known
 * path with a method the path does not have is 405 with `Allow` naming the methods it has (RFC 9110,
 * 15.5.6); a path no route has is 404.
 */
export function registerProblems(app: App): void {
  const routes: { pattern: RegExp; methods: Set<string> }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    // Fastify answers HEAD for every GET route.
    if (methods.includes('GET')) methods.push('HEAD');
    const known = routes.find((r) => r.pattern.source === pathPattern(route.url).source);
    if (known) for (const m of methods) known.methods.add(m);
    else routes.push({ pattern: pathPattern(route.url), methods: new Set(methods) });
  });
  const allowedMethods = (path: string): string[] => {
    const allowed = new Set<string>();
    for (const r of routes) if (r.pattern.test(path)) for (const m of r.methods) allowed.add(m);
    return [...allowed].sort();
  };

  app.setErrorHandler((err: FastifyError | Problem, req, reply) => {
    if (err instanceof Problem) return sendProblem(reply, err, req.url);
    if ('validation' in err && err.validation) {
      return sendProblem(
        reply,
        new Problem(400, 'Bad Request', 'the request does not match the schema', {
          errors: validationErrors(err),
        }),
        req.url,
      );
    }
    const status =
      typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500
        ? err.statusCode
        : 500;
    if (status < 500)
      return sendProblem(reply, new Problem(status, err.code ?? 'Bad Request', err.message), req.url);
    // Only the error's name, code, message and stack: driver errors carry the offending values in other
    // fields (pg's `detail`), and those may be PHI.
    const code = (err as { code?: unknown }).code;
    req.log.error(
      { err: { type: err.name, code, message: err.message, stack: err.stack } },
      'request failed',
    );
    return sendProblem(
      reply,
      new Problem(500, 'Internal Server Error', `an unexpected error occurred (request ${req.id})`),
      req.url,
    );
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    const allowed = allowedMethods(path);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(
        reply,
        new Problem(
          405,
          'Method Not Allowed',
          `${req.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`,
        ),
        req.url,
      );
    }
    return sendProblem(reply, new Problem(404, 'Not Found', `no route ${req.method} ${path}`), req.url);
  });
}
