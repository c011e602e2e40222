import { describe, expect, it } from 'vitest';
import { isFrontEndRejection, statusCategoryOutcome } from '../../../domain/payer-status.js';

describe('277 status categories', () => {
  it('A4 means the payer has no record of the claim', () => {
    expect(statusCategoryOutcome('A4')).toBe('NO_RECORD');
    expect(statusCategoryOutcome('a4')).toBe('NO_RECORD');
  });

  it('A3, A6, A7 and A8 are front-end rejections, not denials', () => {
    for (const cat of ['A3', 'A6', 'A7', 'a8']) {
      expect(statusCategoryOutcome(cat)).toBe('REJECTED');
      expect(isFrontEndRejection(cat)).toBe(true);
    }
    for (const cat of ['A1', 'A2', 'A4', 'A5', 'F2']) expect(isFrontEndRejection(cat)).toBe(false);
  });

  it('F2 and F4 send the claim to review; F1 waits for its ERA', () => {
    expect(statusCategoryOutcome('F2')).toBe('DENIED');
    expect(statusCategoryOutcome('F4')).toBe('DENIED');
    expect(statusCategoryOutcome('F1')).toBe('KEEP_WAITING');
  });

  it('R categories request information', () => {
    expect(statusCategoryOutcome('R1')).toBe('INFORMATION_REQUESTED');
    expect(statusCategoryOutcome('R4')).toBe('INFORMATION_REQUESTED');
  });

  it('pending, acknowledged and inquiry errors keep waiting', () => {
    for (const cat of ['P1', 'P3', 'A1', 'A2', 'E1', 'E0', 'D0']) {
      expect(statusCategoryOutcome(cat)).toBe('KEEP_WAITING');
    }
  });
});
