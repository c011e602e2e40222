/**
 * The PHI scan over raw histories finds a secret wherever it is written as a value, and does not flag
 * digits that occur by chance inside timestamps, ids or base64 payload bytes.
 */
import { describe, expect, it } from 'vitest';
import { containsToken, findSecrets, plainFields, type RawHistory } from '../../support/raw-history.js';

const history = (json: string): RawHistory => ({ workflowId: 'wf', json, payloads: [] });

describe('PHI scan of a raw history', () => {
  it('finds a procedure code written as a value, in an id or in a message', () => {
    expect(containsToken('{"code":"73562"}', '73562')).toBe(true);
    expect(containsToken('claim-73562', '73562')).toBe(true);
    expect(containsToken('CPT 73562 needs a modifier', '73562')).toBe(true);
    expect(containsToken('dx M17.11, Z96.652', 'M17.11')).toBe(true);
  });

  it('ignores the same digits inside an event time, a task id or a run id', () => {
    expect(containsToken('"eventTime":"2026-12-03T14:38:37.735621Z"', '73562')).toBe(false);
    expect(containsToken('"taskId":"1073562"', '73562')).toBe(false);
    expect(containsToken('"runId":"01a23c59-08bd-7b97-945e-7f2b73562d77"', '73562')).toBe(false);
  });

  it('reads payload bytes only through their decoded text, not as base64', () => {
    const json = '{"payloads":[{"metadata":{},"data":"QUJDNzM1NjJERUY="}],"reason":"RT 27447"}';
    expect(plainFields(json)).not.toContain('QUJD');
    expect(findSecrets(history('{"data":"xx73562yy"}'), ['73562'])).toEqual([]);
    expect(findSecrets(history(json), ['27447'])).toEqual(['wf: "27447" in the history\'s plain fields']);
  });

  it('treats a needle with regular-expression characters literally', () => {
    expect(containsToken('note (a+b) here', '(a+b)')).toBe(true);
    expect(containsToken('M17x11', 'M17.11')).toBe(false);
  });
});
