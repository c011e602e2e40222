/**
 * payer-sim process: reads its environment (see `readPayerSimEnv`), listens, and shuts down gracefully on
 * SIGINT/SIGTERM (in-flight requests finish, the state file is flushed).
 */
import { pino } from 'pino';
import { buildPayerSim } from './app.js';
import { readPayerSimEnv } from './config.js';

/** Longest a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const env = readPayerSimEnv(process.env);
  const log = pino({ level: env.logLevel });
  const app = buildPayerSim(env.options, log);
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'payer-sim shutting down');
    const force = setTimeout(() => {
      log.error('payer-sim did not close in time; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'payer-sim close failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await app.listen({ port: env.port, host: env.host });
}

main().catch((err: unknown) => {
  // Configuration errors land here before any logger exists: say what is wrong and stop.
  process.stderr.write(`payer-sim failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
