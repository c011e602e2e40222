/**
 * The only reader of `process.env`. Validates every variable and fails fast with a message naming it.
 * Each process (worker, api, payer-sim launcher, dev stack) loads this once and passes what it needs down.
 */

export interface AppConfig {
  databaseUrl: string | undefined;
  temporal: {
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    uiUrl: string;
    cliPath: string | undefined;
  };
  api: { host: string; port: number; rateLimitPerMinute: number; bodyLimitBytes: number };
  payer: { baseUrl: string; apiKey: string; timeoutMs: number };
  eraPollIntervalSeconds: number;
  dataDir: string;
  /**
   * Ports of the infrastructure `npm start` runs itself when DATABASE_URL / TEMPORAL_ADDRESS are unset.
   * `temporalUiPort` 0 runs the dev server without its Web UI.
   */
  devStack: { postgresPort: number; temporalPort: number; temporalUiPort: number };
  logLevel: string;
  /**
   * Worker tuning the benchmark runs with (and prints beside its results): workflow cache size, task
   * slots, pollers, V8 context reuse, and the SQLite pragmas of the dev server it starts.
   */
  bench: {
    maxCachedWorkflows: number;
    workflowTaskSlots: number;
    activityTaskSlots: number;
    workflowTaskPollers: number;
    activityTaskPollers: number;
    reuseV8Context: boolean;
    devServerPragmas: string[];
  };
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v === '' ? fallback : v;
}

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    throw new ConfigError(`${name} must be a whole number >= ${min}, got "${raw}"`);
  }
  return Number(raw);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== 'true' && raw !== 'false') throw new ConfigError(`${name} must be true or false, got "${raw}"`);
  return raw === 'true';
}

function url(env: Env, name: string, fallback: string): string {
  const v = str(env, name, fallback);
  try {
    new URL(v);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${v}"`);
  }
  return v.replace(/\/$/, '');
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and validates the configuration; throws `ConfigError` naming the bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const logLevel = str(env, 'LOG_LEVEL', 'info');
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL');
  }
  return {
    databaseUrl,
    temporal: {
      address: env.TEMPORAL_ADDRESS || undefined,
      namespace: str(env, 'TEMPORAL_NAMESPACE', 'default'),
      taskQueue: str(env, 'TEMPORAL_TASK_QUEUE', 'claims'),
      uiUrl: url(env, 'TEMPORAL_UI_URL', 'http://localhost:8233'),
      cliPath: env.TEMPORAL_CLI_PATH || undefined,
    },
    api: {
      host: str(env, 'API_HOST', '127.0.0.1'),
      port: int(env, 'API_PORT', 3000),
      rateLimitPerMinute: int(env, 'API_RATE_LIMIT_PER_MINUTE', 600, 1),
      bodyLimitBytes: int(env, 'API_BODY_LIMIT_BYTES', 5 * 1024 * 1024, 1024),
    },
    payer: {
      baseUrl: url(env, 'PAYER_API_URL', 'http://127.0.0.1:4010'),
      apiKey: str(env, 'PAYER_API_KEY', 'sim-key'),
      timeoutMs: int(env, 'PAYER_TIMEOUT_MS', 10_000, 100),
    },
    eraPollIntervalSeconds: int(env, 'ERA_POLL_INTERVAL_SECONDS', 3600, 1),
    dataDir: str(env, 'DATA_DIR', '.data'),
    devStack: {
      postgresPort: int(env, 'DEV_POSTGRES_PORT', 5433, 1),
      temporalPort: int(env, 'DEV_TEMPORAL_PORT', 7233, 1),
      temporalUiPort: int(env, 'DEV_TEMPORAL_UI_PORT', 8233),
    },
    logLevel,
    bench: {
      maxCachedWorkflows: int(env, 'BENCH_MAX_CACHED_WORKFLOWS', 1_000, 0),
      workflowTaskSlots: int(env, 'BENCH_WORKFLOW_TASK_SLOTS', 40, 2),
      activityTaskSlots: int(env, 'BENCH_ACTIVITY_TASK_SLOTS', 100, 1),
      workflowTaskPollers: int(env, 'BENCH_WORKFLOW_TASK_POLLERS', 4, 2),
      activityTaskPollers: int(env, 'BENCH_ACTIVITY_TASK_POLLERS', 4, 1),
      reuseV8Context: bool(env, 'BENCH_REUSE_V8_CONTEXT', true),
      devServerPragmas: str(env, 'BENCH_DEV_SERVER_PRAGMAS', 'journal_mode=WAL,synchronous=NORMAL')
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== ''),
    },
  };
}
