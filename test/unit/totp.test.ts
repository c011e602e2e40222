import { describe, expect, it } from 'vitest';
import { base32Decode, hotp, totpCode, verifyTotp } from '../../api/sessions/totp.js';

// RFC 6238 appendix B: the SHA1 seed "12345678901234567890", 8-digit codes; we use the last 6 digits.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP (RFC 6238)', () => {
  it('decodes base32 as RFC 4648 does', () => {
    expect(base32Decode(RFC_SECRET).toString()).toBe('12345678901234567890');
  });

  it('matches the RFC 4226 HOTP test values', () => {
    const key = Buffer.from('12345678901234567890');
    expect([0, 1, 2, 9].map((c) => hotp(key, c))).toEqual(['755224', '287082', '359152', '520489']);
  });

  it('matches the RFC 6238 SHA1 test vectors (last six digits)', () => {
    expect(totpCode(RFC_SECRET, new Date(59_000))).toBe('287082');
    expect(totpCode(RFC_SECRET, new Date(1_111_111_109_000))).toBe('081804');
    expect(totpCode(RFC_SECRET, new Date(1_234_567_890_000))).toBe('005924');
    expect(totpCode(RFC_SECRET, new Date(20_000_000_000_000))).toBe('353130');
  });

  it('accepts one step of clock drift and refuses two', () => {
    const at = new Date(1_234_567_890_000);
    const code = totpCode(RFC_SECRET, at);
    expect(verifyTotp(RFC_SECRET, code, new Date(at.getTime() + 30_000))).toBe(true);
    expect(verifyTotp(RFC_SECRET, code, new Date(at.getTime() - 30_000))).toBe(true);
    expect(verifyTotp(RFC_SECRET, code, new Date(at.getTime() + 61_000))).toBe(false);
    expect(verifyTotp(RFC_SECRET, 'abcdef', at)).toBe(false);
  });
});
