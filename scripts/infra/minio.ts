/**
 * MinIO, the S3-compatible object store the S3 attachment store is tested against and the dev stack can
 * use. Built from source with `go install` into `.tools/bin` (no prebuilt binary download on machines
 * without internet), started on a free loopback port with a temporary data directory, and stopped by pid.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { TOOLS_DIR } from './tools.js';

/** The module `go install` builds; MinIO publishes no tagged Go module versions, so `latest`. */
export const MINIO_MODULE = 'github.com/minio/minio@latest';

/** `MINIO_PATH`, then `minio` on PATH, then the copy cached in `.tools/bin`. */
export function findMinio(minioPath = process.env.MINIO_PATH): string | undefined {
  if (minioPath) {
    if (!existsSync(minioPath)) throw new Error(`MINIO_PATH=${minioPath} does not exist`);
    return minioPath;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'minio'))) return join(dir, 'minio');
  }
  const cached = join(TOOLS_DIR, 'bin', 'minio');
  return existsSync(cached) ? cached : undefined;
}

/**
 * Builds MinIO into `.tools/bin` when Go is available (a few minutes the first time). Returns its path,
 * or undefined when Go is missing (the S3 tests then cannot run; the local store still can).
 */
export function installMinio(log: (msg: string) => void = console.log): string | undefined {
  const existing = findMinio();
  if (existing) return existing;
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    log('Go is not installed: MinIO cannot be built, so the S3 attachment store tests cannot run.');
    return undefined;
  }
  const gobin = join(TOOLS_DIR, 'bin');
  mkdirSync(gobin, { recursive: true });
  log(`Building MinIO (${MINIO_MODULE}) into .tools/bin; the first build takes several minutes...`);
  const res = spawnSync('go', ['install', MINIO_MODULE], {
    stdio: 'inherit',
    env: { ...process.env, GOBIN: gobin, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
  });
  if (res.status !== 0) throw new Error(`go install ${MINIO_MODULE} failed with exit code ${res.status}`);
  return join(gobin, 'minio');
}

/** A running MinIO and how to reach it. */
export interface RunningMinio {
  /** `http://127.0.0.1:<port>`, the S3 endpoint. */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function waitLive(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`minio exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${endpoint}/minio/health/live`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`minio at ${endpoint} was not live within ${timeoutMs} ms`);
}

/**
 * Starts `minio server` from `binPath` on a free loopback port. `dataDir` undefined means a temporary
 * directory removed at stop (tests). Credentials are fixed per run and never leave the machine.
 */
export async function startMinio(opts: {
  binPath: string;
  port?: number;
  dataDir?: string;
  timeoutMs?: number;
  log?: (msg: string) => void;
}): Promise<RunningMinio> {
  const port = opts.port ?? (await freePort());
  const consolePort = await freePort();
  const temporary = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'denial-desk-minio-'));
  mkdirSync(dataDir, { recursive: true });
  const accessKeyId = 'denial-desk';
  const secretAccessKey = 'denial-desk-local-secret';
  const child = spawn(
    opts.binPath,
    [
      'server',
      dataDir,
      '--quiet',
      '--address',
      `127.0.0.1:${port}`,
      '--console-address',
      `127.0.0.1:${consolePort}`,
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        MINIO_ROOT_USER: accessKeyId,
        MINIO_ROOT_PASSWORD: secretAccessKey,
        MINIO_BROWSER: 'off',
        MINIO_UPDATE: 'off',
      },
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4_000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitLive(endpoint, child, opts.timeoutMs ?? 60_000);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  opts.log?.(`MinIO on ${endpoint} (data in ${dataDir})`);
  return { endpoint, accessKeyId, secretAccessKey, region: 'us-east-1', stop };
}
