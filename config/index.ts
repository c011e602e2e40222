/**
 * The only reader of `process.env`. Validates every variable and fails fast with a message naming it.
 * Each process (worker, api, payer-sim launcher, dev stack) loads this once and passes what it needs down.
 * Secrets (payload keys, the Temporal API key, TLS keys) come from the environment or from files the
 * environment names; files are read here, at start-up, so a missing file fails before anything runs.
 */
import { readFileSync } from 'node:fs';

/** One AES-256 payload key: its id (written into each payload's metadata) and its 32 bytes. */
export interface PayloadKey {
  id: string;
  key: Buffer;
}

/** The payload keys: the active one encrypts, every listed one (the active included) decrypts. */
export interface PayloadKeyring {
  activeKeyId: string;
  keys: PayloadKey[];
}

/** How to reach Temporal securely: TLS (optionally mutual) and an API key (Temporal Cloud). */
export interface TemporalSecurity {
  /** undefined: plain gRPC (local dev server); otherwise TLS with these optional parts. */
  tls:
    | {
        serverRootCACertificate?: Buffer;
        clientCertPair?: { crt: Buffer; key: Buffer };
        serverNameOverride?: string;
      }
    | undefined;
  apiKey: string | undefined;
}

export interface AppConfig {
  databaseUrl: string | undefined;
  /**
   * The API's own login role (not the tables' owner), on which row-level security binds; the API then
   * runs each request's queries in the caller's practice scope. Unset: the API uses `databaseUrl`.
   */
  apiDatabaseUrl: string | undefined;
  temporal: {
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    uiUrl: string;
    cliPath: string | undefined;
  };
  /** TLS and API key for every Temporal connection (clients and workers alike). */
  temporalSecurity: TemporalSecurity;
  /** undefined when no key is configured; processes that talk to Temporal call `requirePayloadKeys`. */
  payloadKeys: PayloadKeyring | undefined;
  api: { host: string; port: number; rateLimitPerMinute: number; bodyLimitBytes: number };
  payer: { baseUrl: string; apiKey: string; timeoutMs: number };
  eraPollIntervalSeconds: number;
  /** When the claim-rule miner proposes a rule (docs/claim-rules.md). */
  ruleMiner: { minLines: number; minDenialRatePercent: number };
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

function percent(env: Env, name: string, fallback: number): number {
  const n = int(env, name, fallback, 1);
  if (n > 100) throw new ConfigError(`${name} must be a whole number from 1 to 100, got "${n}"`);
  return n;
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

/** Reads the file a `*_FILE` variable names; fails naming the variable when it cannot. */
function fileVar(env: Env, name: string): Buffer | undefined {
  const path = env[name];
  if (path === undefined || path === '') return undefined;
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`${name} names "${path}", which cannot be read: ${(err as Error).message}`);
  }
}

/** A secret given inline (`NAME`) or as a file (`NAME_FILE`), never both. */
function secret(env: Env, name: string): string | undefined {
  const inline = env[name] || undefined;
  const file = fileVar(env, `${name}_FILE`);
  if (inline && file) throw new ConfigError(`set ${name} or ${name}_FILE, not both`);
  return inline ?? file?.toString('utf8').trim();
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Parses `id1:base64key,id2:base64key` (commas or newlines). Each key must decode to exactly 32 bytes
 * (AES-256); ids are short tokens because they travel in every payload's metadata.
 */
export function parsePayloadKeys(raw: string, activeKeyId: string | undefined): PayloadKeyring {
  const name = 'TEMPORAL_PAYLOAD_KEYS';
  const keys: PayloadKey[] = [];
  for (const [i, entry] of raw
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter(Boolean)
    .entries()) {
    const sep = entry.indexOf(':');
    const id = sep > 0 ? entry.slice(0, sep) : '';
    const b64 = sep > 0 ? entry.slice(sep + 1) : '';
    if (!KEY_ID.test(id))
      throw new ConfigError(`${name} entry ${i + 1} must be <id>:<base64 key> with an id of [A-Za-z0-9._-]`);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new ConfigError(`${name} key "${id}" is not base64`);
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32)
      throw new ConfigError(`${name} key "${id}" must be 32 bytes (AES-256), got ${key.length}`);
    if (keys.some((k) => k.id === id)) throw new ConfigError(`${name} lists key "${id}" twice`);
    keys.push({ id, key });
  }
  if (keys.length === 0) throw new ConfigError(`${name} lists no key`);
  if (!activeKeyId)
    throw new ConfigError('TEMPORAL_PAYLOAD_ACTIVE_KEY is required with TEMPORAL_PAYLOAD_KEYS');
  if (!keys.some((k) => k.id === activeKeyId))
    throw new ConfigError(
      `TEMPORAL_PAYLOAD_ACTIVE_KEY "${activeKeyId}" is not one of TEMPORAL_PAYLOAD_KEYS (${keys.map((k) => k.id).join(', ')})`,
    );
  return { activeKeyId, keys };
}

function payloadKeys(env: Env): PayloadKeyring | undefined {
  const raw = secret(env, 'TEMPORAL_PAYLOAD_KEYS');
  if (raw === undefined) {
    if (env.TEMPORAL_PAYLOAD_ACTIVE_KEY)
      throw new ConfigError('TEMPORAL_PAYLOAD_ACTIVE_KEY is set but TEMPORAL_PAYLOAD_KEYS(_FILE) is not');
    return undefined;
  }
  return parsePayloadKeys(raw, env.TEMPORAL_PAYLOAD_ACTIVE_KEY || undefined);
}

/**
 * The payload keys of a process that talks to Temporal; a missing keyring stops it at start-up, since
 * without one claim payloads (PHI) would reach the Temporal server in plain text.
 */
export function requirePayloadKeys(config: Pick<AppConfig, 'payloadKeys'>): PayloadKeyring {
  if (!config.payloadKeys)
    throw new ConfigError(
      'TEMPORAL_PAYLOAD_KEYS (or TEMPORAL_PAYLOAD_KEYS_FILE) and TEMPORAL_PAYLOAD_ACTIVE_KEY are required: ' +
        'Temporal payloads are encrypted (npm start generates a development key)',
    );
  return config.payloadKeys;
}

function temporalSecurity(env: Env): TemporalSecurity {
  const ca = fileVar(env, 'TEMPORAL_TLS_CA_FILE');
  const crt = fileVar(env, 'TEMPORAL_TLS_CERT_FILE');
  const key = fileVar(env, 'TEMPORAL_TLS_KEY_FILE');
  if (Boolean(crt) !== Boolean(key))
    throw new ConfigError('TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together (mutual TLS)');
  const tlsFlag = str(env, 'TEMPORAL_TLS', '');
  if (tlsFlag !== '' && tlsFlag !== 'true' && tlsFlag !== 'false')
    throw new ConfigError(`TEMPORAL_TLS must be true or false, got "${tlsFlag}"`);
  const apiKey = secret(env, 'TEMPORAL_API_KEY');
  const serverNameOverride = env.TEMPORAL_TLS_SERVER_NAME || undefined;
  // An API key is a bearer secret: it never travels over plain gRPC, so it implies TLS.
  const wantTls = tlsFlag === 'true' || Boolean(ca || crt || serverNameOverride || apiKey);
  if (tlsFlag === 'false' && (ca || crt || apiKey))
    throw new ConfigError('TEMPORAL_TLS=false contradicts the TLS files or API key that are set');
  return {
    tls: wantTls
      ? {
          ...(ca ? { serverRootCACertificate: ca } : {}),
          ...(crt && key ? { clientCertPair: { crt, key } } : {}),
          ...(serverNameOverride ? { serverNameOverride } : {}),
        }
      : undefined,
    apiKey,
  };
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
  const apiDatabaseUrl = secret(env, 'API_DATABASE_URL');
  if (apiDatabaseUrl && !/^postgres(ql)?:\/\//.test(apiDatabaseUrl)) {
    throw new ConfigError('API_DATABASE_URL must be a postgres:// URL');
  }
  return {
    databaseUrl,
    apiDatabaseUrl,
    temporal: {
      address: env.TEMPORAL_ADDRESS || undefined,
      namespace: str(env, 'TEMPORAL_NAMESPACE', 'default'),
      taskQueue: str(env, 'TEMPORAL_TASK_QUEUE', 'claims'),
      uiUrl: url(env, 'TEMPORAL_UI_URL', 'http://localhost:8233'),
      cliPath: env.TEMPORAL_CLI_PATH || undefined,
    },
    temporalSecurity: temporalSecurity(env),
    payloadKeys: payloadKeys(env),
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
    ruleMiner: {
      minLines: int(env, 'RULE_MINER_MIN_LINES', 20, 1),
      minDenialRatePercent: percent(env, 'RULE_MINER_MIN_DENIAL_RATE_PERCENT', 50),
    },
    dataDir: str(env, 'DATA_DIR', '.data'),
    attachments: attachmentsConfig(env),
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
