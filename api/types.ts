/**
 * The types every part of the API shares: the app, its dependencies, who may call a route, and what the
 * plugins add to Fastify's request and route config. Routes and plugins import these from here, never
 * from app.ts, so app.ts sits above everything it registers and nothing imports it back.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AppConfig, PayloadKeyring } from '../config/index.js';
import type { Principal, Role } from '../db/api-keys.js';
import type { Db } from '../db/pool.js';
import type { SessionLimits } from '../db/sessions.js';
import type { RequestScope } from '../db/tenancy.js';
import type { AttachmentStore } from '../documents/attachments/store.js';
import type { Waits } from './waits.js';

/** What `buildApp` needs. The caller owns `db` and `temporal` and closes them after `app.close()`. */
export interface AppDeps {
  db: Db;
  temporal: Client;
  log: Logger;
  config: Pick<AppConfig, 'temporal' | 'api'> & Partial<Pick<AppConfig, 'ruleMiner'>>;
  /** How long requests wait on Temporal before answering 202 (defaults in api/waits.ts). */
  waits?: Partial<Waits>;
  /** Console session timeouts (defaults in api/sessions/plugin.ts). */
  sessions?: Partial<SessionLimits>;
  /** The built console to serve at `/` (default web/dist); `false` serves the API only. */
  webRoot?: string | false;
  /**
   * Set when `db` is the API's row-level-security role (`createScopedDb`): each request's handler runs
   * in the caller's practice scope (the operator's: every practice), so RLS filters what a query forgot.
   */
  requestScope?: RequestScope;
  /** The payload keys the codec server decrypts with; without them `/codec/*` answers 503. */
  payloadKeys?: PayloadKeyring;
  /** The attachment store and upload limit; without it the document routes are not served. */
  documents?: DocumentDeps;
}

/** What the document routes need: where files are stored and how large an upload may be. */
export interface DocumentDeps {
  store: AttachmentStore;
  /** Largest accepted upload in bytes. */
  maxUploadBytes: number;
}

/** The Fastify instance the API is, with TypeBox-typed routes and the pino logger. */
export type App = FastifyInstance<Server, IncomingMessage, ServerResponse, Logger, TypeBoxTypeProvider>;

/** Who may call a route: roles, or `public` (health checks and the API description only). */
export type RouteRoles = readonly Role[] | 'public';

/** Roles of the people who work claims (not systems). */
export const WORK_ROLES = ['biller', 'supervisor', 'admin'] as const satisfies readonly Role[];
/** Roles that may submit claims and upload remittances: people and integrations. */
export const INTAKE_ROLES = [
  'biller',
  'supervisor',
  'admin',
  'integration',
] as const satisfies readonly Role[];
/** Roles that oversee the desk: the stuck list, KPIs, exports, manual matching. */
export const OVERSIGHT_ROLES = ['supervisor', 'admin'] as const satisfies readonly Role[];

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, set by the auth plugin on every non-public route. */
    principal?: Principal;
    /** Set while this request holds an idempotency key whose answer must be stored. */
    idempotency?: { userId: string; key: string; fingerprint: string; store?: boolean };
  }
  interface FastifyContextConfig {
    /** Required on every route: `buildApp` refuses to start with a route that does not declare it. */
    roles?: RouteRoles;
    /** The route honours Idempotency-Key (a POST that creates or decides). */
    idempotent?: boolean;
    /**
     * Inclusive ranges of the query string (dates or amounts), `[from, to]` parameter names: a request
     * whose `from` is after its `to` is refused with 400 naming `from`, and the OpenAPI document says so.
     */
    ranges?: readonly (readonly [string, string])[];
  }
}
