/**
 * Serves the built console (web/dist) from the API process: hashed assets under /assets/, and
 * index.html for a browser navigating to any console path (SPA fallback), so `npm start` has the
 * console at http://127.0.0.1:3000 with nothing else to run. API calls (fetch, Accept: application/json)
 * never get the page.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyRequest } from 'fastify';
import type { App } from './types.js';

/** web/dist next to this repository's api/ folder (also from dist/api when compiled). */
export function defaultWebRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, '../web/dist'), path.resolve(here, '../../web/dist')]) {
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  return path.resolve(here, '../web/dist');
}

/** True for a top-level browser navigation (not a fetch/XHR of the console or an integration). */
export function wantsConsolePage(req: FastifyRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const mode = req.headers['sec-fetch-mode'];
  if (typeof mode === 'string') return mode === 'navigate';
  return (req.headers.accept ?? '').includes('text/html');
}

/**
 * Registers the console's static files and the SPA fallback: a browser navigation to a path no route
 * has gets index.html (the console's router shows the page). Nothing happens when the console is not
 * built (the API still runs without it).
 */
export async function registerWebConsole(app: App, root: string): Promise<void> {
  if (!existsSync(path.join(root, 'index.html'))) {
    app.log.info({ root }, 'console not built (npm run build:web): serving the API only');
    return;
  }
  await app.register(fastifyStatic, { root, serve: false, index: false });
  app.get('/', { schema: { hide: true }, config: { roles: 'public' } }, (_req, reply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html', root),
  );
  app.get('/assets/*', { schema: { hide: true }, config: { roles: 'public' } }, (req, reply) => {
    const file = (req.params as { '*': string })['*'];
    // Vite names assets by content hash: they never change under the same name.
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .sendFile(file, path.join(root, 'assets'));
  });
  // Runs before the not-found handler, so API clients still get their 404/405 problem answers.
  app.addHook('onRequest', async (req, reply) => {
    if (req.is404 && wantsConsolePage(req)) {
      return reply.header('cache-control', 'no-cache').type('text/html').sendFile('index.html', root);
    }
  });
}
