/**
 * Bearer API keys, one role per key, and practice isolation. Every route declares its roles in
 * `config.roles` (the app refuses to start otherwise); the onRequest hook resolves the key, checks the
 * role and sets `req.principal`. The helpers below scope reads and lookups to the key's practices.
 */
import type { FastifyRequest } from 'fastify';
import { principalForKey } from '../../db/api-keys.js';
import { getClaimByUuid } from '../../db/claims.js';
import type { Db } from '../../db/pool.js';
import type { ClaimRow } from '../../db/schema.js';
import type { App } from '../types.js';
import { notFound, Problem } from './problems.js';

/** Swagger UI's own routes (/docs/*) are the API description itself: public. */
const isDocsRoute = (url: string) => url === '/docs' || url.startsWith('/docs/');

export function registerAuth(app: App, db: Db): void {
  app.addHook('onRoute', (route) => {
    if (isDocsRoute(route.url)) {
      route.config = { ...route.config, roles: route.config?.roles ?? 'public' };
      return;
    }
    if (route.config?.roles === undefined)
      throw new Error(`route ${route.method} ${route.url} declares no roles (config.roles)`);
  });

  app.addHook('onRequest', async (req) => {
    const roles = req.routeOptions.config.roles;
    // Unmatched URLs (the 404 and 405 answers) have no route config: nothing to authorize.
    if (roles === undefined || roles === 'public') return;
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const principal = token ? await principalForKey(db, token) : undefined;
    if (!principal) throw new Problem(401, 'Unauthorized', 'a valid bearer API key is required');
    if (!roles.includes(principal.role)) {
      throw new Problem(403, 'Forbidden', `the ${principal.role} role may not use this endpoint`);
    }
    req.principal = principal;
  });
}

/** 403 for a practice the key does not hold. */
export function forbiddenPractice(practiceId: string): Problem {
  return new Problem(403, 'Forbidden', `this key may not act for practice ${practiceId}`);
}

/**
 * The practices a request may read: the one it names (refused with 403 when the key does not hold it,
 * so a filter can never reach another practice's data), else every practice of the key.
 */
export function practicesFor(req: FastifyRequest, requested?: string): string[] {
  const held = req.principal!.practiceIds;
  if (held.length === 0) throw new Problem(403, 'Forbidden', 'this key holds no practice');
  if (requested === undefined) return [...held];
  if (!held.includes(requested)) throw forbiddenPractice(requested);
  return [requested];
}

/** Loads a claim the caller may see; another practice's claim is indistinguishable from a missing one. */
export async function claimForPrincipal(db: Db, req: FastifyRequest, id: string): Promise<ClaimRow> {
  const claim = await getClaimByUuid(db, id);
  if (!claim || !req.principal?.practiceIds.includes(claim.practice_id)) throw notFound(`claim ${id}`);
  return claim;
}
