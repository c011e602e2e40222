/**
 * The typed API client (openapi-fetch over the types generated from the API's OpenAPI document). The
 * console is one more API client: the session cookie goes with every call, the CSRF token on every
 * state-changing one, and a 401 means the session is over.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

let csrfToken: string | undefined;
const expiredListeners = new Set<() => void>();

/** Remembers the session's CSRF token (from sign-in or GET /session). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export function getCsrfToken(): string | undefined {
  return csrfToken;
}

/** Calls `listener` whenever an API call answers 401 (the session expired or was ended elsewhere). */
export function onSessionExpired(listener: () => void): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

const session: Middleware = {
  onRequest({ request }) {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method) && csrfToken) {
      request.headers.set('x-csrf-token', csrfToken);
    }
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith('/session')) {
      for (const l of expiredListeners) l();
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(session);

/** A fresh Idempotency-Key for one action of a person: a retry of that action reuses it. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}

export type Schemas = components['schemas'];
type Json<P extends keyof paths, M extends 'get' | 'post' | 'put'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type WorklistItem = Json<'/worklist', 'get'>['items'][number];
export type ClaimDetail = Json<'/claims/{id}', 'get'>;
export type ClaimSummary = Json<'/claims', 'get'>['items'][number];
export type ClaimEvent = Json<'/claims/{id}/events', 'get'>['items'][number];
export type StuckItem = Json<'/claims/stuck', 'get'>['items'][number];
export type UnmatchedItem = Json<'/remittances/unmatched', 'get'>['items'][number];
export type KpiReport = Json<'/kpis', 'get'>;
export type SessionView = Json<'/session', 'get'>;
export type PayerRulesView = Json<'/payers/{id}/rules', 'get'>;
