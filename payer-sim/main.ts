/**
 * payer-sim process: reads its environment (see `readPayerSimEnv`), listens, and shuts down gracefully on
 * SIGINT/SIGTERM (in-flight requests finish, the state file is flushed).
 */
import { pino } from 'pino';
import { buildPayerSim } from './app.js';
import { readPayerSimEnv } from './config.js';

/** Longest a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

const USAGE = `Usage: node dist/payer-sim/main.js [--help]

The clearinghouse/payer simulator for development, demos, tests and benchmarks.
Environment: PAYER_SIM_HOST, PAYER_SIM_PORT (4010), PAYER_SIM_API_KEY, PAYER_SIM_STATE_FILE,
PAYER_SIM_SCENARIOS, PAYER_SIM_ADJUDICATION_DELAY_MS, PAYER_SIM_APPEAL_DECISION_DELAY_MS, PAYER_SIM_LOG_LEVEL (see payer-sim/README.md).
`;

async function main(): Promise<void> {
  const env = readPayerSimEnv(process.env);
  const log = pino({ name: 'payer-sim', level: env.logLevel });
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

// --help answers before anything listens, so the production image can be smoke-tested on its own.
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}

main().catch((err: unknown) => {
  // Configuration errors land here before any logger exists: say what is wrong and stop.
  process.stderr.write(`payer-sim failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
