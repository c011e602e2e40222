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
  /** Where attachments and generated documents are kept, and how large an upload may be. */
  attachments: {
    store:
      | { kind: 'local'; directory: string }
      | {
          kind: 's3';
          bucket: string;
          prefix?: string;
          region?: string;
          endpoint?: string;
          credentials?: { accessKeyId: string; secretAccessKey: string };
        };
    maxUploadBytes: number;
  };
  /**
   * Ports of the infrastructure `npm start` runs itself when DATABASE_URL / TEMPORAL_ADDRESS are unset.
   * `temporalUiPort` 0 runs the dev server without its Web UI.
   */
  devStack: { postgresPort: number; temporalPort: number; temporalUiPort: number };
  logLevel: string;
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
    attachments: attachmentsConfig(env),
    devStack: {
      postgresPort: int(env, 'DEV_POSTGRES_PORT', 5433, 1),
      temporalPort: int(env, 'DEV_TEMPORAL_PORT', 7233, 1),
      temporalUiPort: int(env, 'DEV_TEMPORAL_UI_PORT', 8233),
    },
    logLevel,
  };
}

/**
 * ATTACHMENT_STORE=local (default: ATTACHMENTS_DIR, else DATA_DIR/attachments) or s3 (S3_BUCKET required;
 * S3_ENDPOINT for MinIO and other S3-compatible stores, S3_REGION, S3_PREFIX, S3_ACCESS_KEY_ID and
 * S3_SECRET_ACCESS_KEY, else the AWS SDK's own credential chain). ATTACHMENT_MAX_BYTES: 20 MiB.
 */
function attachmentsConfig(env: Env): AppConfig['attachments'] {
  const maxUploadBytes = int(env, 'ATTACHMENT_MAX_BYTES', 20 * 1024 * 1024, 1024);
  const kind = str(env, 'ATTACHMENT_STORE', 'local');
  if (kind === 'local') {
    const dataDir = str(env, 'DATA_DIR', '.data');
    return {
      store: { kind, directory: str(env, 'ATTACHMENTS_DIR', `${dataDir}/attachments`) },
      maxUploadBytes,
    };
  }
  if (kind !== 's3') throw new ConfigError(`ATTACHMENT_STORE must be local or s3, got "${kind}"`);
  const bucket = env.S3_BUCKET;
  if (!bucket) throw new ConfigError('S3_BUCKET is required when ATTACHMENT_STORE=s3');
  const accessKeyId = env.S3_ACCESS_KEY_ID;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY;
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new ConfigError('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together');
  }
  return {
    store: {
      kind,
      bucket,
      prefix: env.S3_PREFIX || undefined,
      region: env.S3_REGION || undefined,
      endpoint: env.S3_ENDPOINT ? url(env, 'S3_ENDPOINT', '') : undefined,
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    },
    maxUploadBytes,
  };
}
