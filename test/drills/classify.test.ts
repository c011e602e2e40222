import { describe, expect, it } from 'vitest';
import { leaksStack } from '../../scripts/drill/probe.js';
import { badLine } from '../../scripts/drill/process.js';

describe('drill output classification', () => {
  it('an uncaught error and its stack frames are bad lines', () => {
    expect(badLine('IllegalStateError: Not running. Current state: DRAINING')).toBe(true);
    expect(
      badLine('    at Worker.shutdown (/app/node_modules/@temporalio/worker/src/worker.ts:999:13)'),
    ).toBe(true);
    expect(badLine('file:///app/worker/main.ts:52')).toBe(true);
  });

  it('pino lines are bad from level error up, informational ones are not', () => {
    expect(badLine('{"level":50,"msg":"request failed"}')).toBe(true);
    expect(badLine('{"level":60,"msg":"fatal"}')).toBe(true);
    expect(badLine('{"level":40,"msg":"activity retry"}')).toBe(false);
    expect(badLine('{"level":30,"msg":"worker stopped"}')).toBe(false);
    expect(badLine('')).toBe(false);
  });

  it('a problem body is clean; one carrying a stack frame or a source path leaks', () => {
    expect(leaksStack('{"status":500,"detail":"an unexpected error occurred (request 1)"}')).toBe(false);
    expect(leaksStack('Error: boom\n    at handler (/app/api/routes/claims.ts:12:3)')).toBe(true);
    expect(leaksStack('{"message":"failed in /app/db/era.ts:41"}')).toBe(true);
  });
});
