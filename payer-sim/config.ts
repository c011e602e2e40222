/**
 * payer-sim configuration: start-up settings (API key, state file, scenarios) and the runtime controls
 * that `PUT /sim/config` changes (delays and fault injection). `readPayerSimEnv` is the only reader of
 * environment variables; it validates them and fails fast with a message naming the variable.
 */
import { type Static, Type } from 'typebox';
import type { ScenarioRule } from './scenarios.js';

const Rate = Type.Number({ minimum: 0, maximum: 1 });
const Millis = Type.Integer({ minimum: 0, maximum: 86_400_000 });

/** The controls `GET /sim/config` shows and `PUT /sim/config` changes. */
export const SimControlsSchema = Type.Object({
  /** Added to every /v1 response. */
  latencyMs: Millis,
  /** Probability that a /v1 call answers 500 before doing anything. */
  errorRate: Rate,
  /** Probability that a /v1 call does its work (stores the claim) and then answers 500 anyway. */
  failAfterProcessingRate: Rate,
  /** A request quota: more than `limit` /v1 calls within `windowMs` answer 429 with Retry-After. */
  rateLimit: Type.Union([
    Type.Null(),
    Type.Object({
      limit: Type.Integer({ minimum: 0 }),
      windowMs: Type.Integer({ minimum: 1, maximum: 86_400_000 }),
      /** Retry-After as delta seconds (default) or as an HTTP date. */
      retryAfter: Type.Optional(Type.Union([Type.Literal('seconds'), Type.Literal('http-date')])),
    }),
  ]),
  /** With this probability a /v1 call hangs `durationMs` and then does nothing (client timeouts). */
  hang: Type.Union([Type.Null(), Type.Object({ probability: Rate, durationMs: Millis })]),
  /** Every /v1 call answers 503 (with Retry-After) between these instants. */
  outage: Type.Union([Type.Null(), Type.Object({ from: Type.String(), until: Type.String() })]),
  /** How long after acceptance the payer adjudicates (times the scenario's delay factor). */
  adjudicationDelayMs: Millis,
  /** How long after receipt the payer decides an appeal. */
  appealDecisionDelayMs: Millis,
});
/** The runtime controls. */
export type SimControls = Static<typeof SimControlsSchema>;

/** `PUT /sim/config` body: any subset of the controls, plus `outageForMs` to start an outage now. */
export const SimControlsUpdateSchema = Type.Partial(
  Type.Object({
    ...SimControlsSchema.properties,
    outageForMs: Type.Integer({ minimum: 1, maximum: 86_400_000 }),
  }),
);
/** A runtime controls change. */
export type SimControlsUpdate = Static<typeof SimControlsUpdateSchema>;

/** No faults; adjudication 3 s and appeal decisions 10 s after receipt. */
export const DEFAULT_CONTROLS: SimControls = {
  latencyMs: 0,
  errorRate: 0,
  failAfterProcessingRate: 0,
  rateLimit: null,
  hang: null,
  outage: null,
  adjudicationDelayMs: 3000,
  appealDecisionDelayMs: 10_000,
};

/** Everything `buildPayerSim` needs. */
export interface PayerSimConfig {
  /** Bearer token every /v1 call must present. */
  apiKey: string;
  /** JSON file the state is saved to and restored from; in memory only when absent. */
  stateFile?: string;
  /** JSON file of scenario rules (prepended to, or replacing, the built-in table). */
  scenariosFile?: string;
  /** Scenario rules given directly (tests); wins over `scenariosFile`. */
  scenarios?: ScenarioRule[];
  /** Start-up values of the runtime controls; `POST /sim/reset` returns to them. */
  controls: SimControls;
  /** How often the payer looks for due work in the background (requests also catch up on their own). */
  tickMs: number;
  /** Seed of the fault-injection random source; random when absent. */
  faultSeed?: number;
  /** ISA06/GS02 and ISA08/GS03 of the 835 files. */
  senderId: string;
  receiverId: string;
  /** Clock (epoch ms); tests may pass a controllable one. */
  now: () => number;
}

/** `buildPayerSim` options: every field optional, defaults from `resolvePayerSimConfig`. */
export type PayerSimOptions = Partial<Omit<PayerSimConfig, 'controls'>> & { controls?: Partial<SimControls> };

/** Fills defaults: API key `sim-key`, controls `DEFAULT_CONTROLS`, tick 250 ms, real clock. */
export function resolvePayerSimConfig(options: PayerSimOptions = {}): PayerSimConfig {
  const config: PayerSimConfig = {
    apiKey: options.apiKey ?? 'sim-key',
    controls: { ...DEFAULT_CONTROLS, ...options.controls },
    tickMs: options.tickMs ?? 250,
    senderId: options.senderId ?? 'PAYERSIM',
    receiverId: options.receiverId ?? 'DENIALDESK',
    now: options.now ?? Date.now,
  };
  if (options.stateFile !== undefined) config.stateFile = options.stateFile;
  if (options.scenariosFile !== undefined) config.scenariosFile = options.scenariosFile;
  if (options.scenarios !== undefined) config.scenarios = options.scenarios;
  if (options.faultSeed !== undefined) config.faultSeed = options.faultSeed;
  return config;
}

/** Thrown for an invalid environment variable. */
export class PayerSimConfigError extends Error {
  readonly type = 'config_invalid';
}

/** What `payer-sim/main.ts` needs: where to listen, the log level and the sim's options. */
export interface PayerSimEnv {
  port: number;
  host: string;
  logLevel: string;
  options: PayerSimOptions;
}

function integerVar(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) {
    throw new PayerSimConfigError(
      `${name} must be an integer between 0 and ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return Number(raw);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads payer-sim's environment: PAYER_SIM_PORT (4010), PAYER_SIM_HOST (127.0.0.1), PAYER_SIM_API_KEY
 * (sim-key), PAYER_SIM_STATE_FILE, PAYER_SIM_SCENARIOS, PAYER_SIM_ADJUDICATION_DELAY_MS (3000),
 * PAYER_SIM_APPEAL_DECISION_DELAY_MS (10000), PAYER_SIM_LOG_LEVEL (info).
 */
export function readPayerSimEnv(env: NodeJS.ProcessEnv): PayerSimEnv {
  const logLevel = env.PAYER_SIM_LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new PayerSimConfigError(`PAYER_SIM_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const apiKey = env.PAYER_SIM_API_KEY || 'sim-key';
  if (/\s/.test(apiKey)) throw new PayerSimConfigError('PAYER_SIM_API_KEY must not contain white space');
  const options: PayerSimOptions = {
    apiKey,
    controls: {
      adjudicationDelayMs: integerVar(env, 'PAYER_SIM_ADJUDICATION_DELAY_MS', 3000, 86_400_000),
      appealDecisionDelayMs: integerVar(env, 'PAYER_SIM_APPEAL_DECISION_DELAY_MS', 10_000, 86_400_000),
    },
  };
  if (env.PAYER_SIM_STATE_FILE) options.stateFile = env.PAYER_SIM_STATE_FILE;
  if (env.PAYER_SIM_SCENARIOS) options.scenariosFile = env.PAYER_SIM_SCENARIOS;
  return {
    port: integerVar(env, 'PAYER_SIM_PORT', 4010, 65_535),
    host: env.PAYER_SIM_HOST || '127.0.0.1',
    logLevel,
    options,
  };
}
