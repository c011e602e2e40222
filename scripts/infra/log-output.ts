/**
 * Where `npm start` writes the services' log lines: through pino-pretty (colours, local times, no pid
 * or hostname) when the output is a terminal, unchanged JSON lines otherwise (CI, a file, a pipe).
 */
import pretty from 'pino-pretty';

/** The stream the launcher writes each service's complete log lines to. */
export function serviceLogOutput(stdout: NodeJS.WritableStream & { isTTY?: boolean }): NodeJS.WritableStream {
  if (!stdout.isTTY) return stdout;
  return pretty({
    colorize: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    destination: stdout,
    sync: true,
  });
}
