import { describe, expect, it } from 'vitest';
import { denialPriority } from '../../../domain/priority.js';

describe('work-queue priority', () => {
  it('more money, more recoverable and closer to the deadline rank higher', () => {
    const base = { amountCents: 100_000, category: 'CODING' as const, daysToDeadline: 30 };
    expect(denialPriority({ ...base, amountCents: 200_000 })).toBeGreaterThan(denialPriority(base));
    expect(denialPriority({ ...base, daysToDeadline: 3 })).toBeGreaterThan(denialPriority(base));
    expect(denialPriority({ ...base, category: 'DUPLICATE' })).toBeLessThan(denialPriority(base));
    expect(denialPriority({ ...base, daysToDeadline: -5 })).toBe(
      denialPriority({ ...base, daysToDeadline: 1 }),
    );
  });
});
