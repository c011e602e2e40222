/**
 * Routes the Temporal SDK's own logs (worker, core) into pino. Must run before any connection, worker
 * or test environment is created: the Runtime is process-wide and installed once.
 */
import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';

let installed = false;

export function installRuntime(log: Logger): void {
  if (installed) return;
  installed = true;
  const level = (
    ['trace', 'debug', 'info', 'warn', 'error'].includes(log.level) ? log.level.toUpperCase() : 'INFO'
  ) as LogLevel;
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      const method =
        entry.level === 'TRACE'
          ? 'trace'
          : (entry.level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
      log[method]({ ...entry.meta, sdk: true }, entry.message);
    }),
    telemetryOptions: { logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } } },
  });
}
