/**
 * The benchmark's figure arithmetic: medians, the ratio's orientation, and latencies below the
 * measurement's resolution (a 0 ms p99 from autocannon) still giving a ratio instead of nothing.
 */
import { describe, expect, it } from 'vitest';
import { figure } from '../../../bench/stats.js';

describe('bench figure', () => {
  it('takes medians and orients the ratio: rates ours/baseline, times baseline/ours', () => {
    const rate = figure({ section: 's', name: 'r', unit: 'req/s', rounds: [1, 9, 10], baselineRounds: [20] });
    expect(rate.ours).toBe(9);
    expect(rate.ratio).toBeCloseTo(0.45);
    const time = figure({
      section: 's',
      name: 't',
      unit: 'ms',
      rounds: [40],
      baselineRounds: [10],
      higherIsBetter: false,
    });
    expect(time.ratio).toBeCloseTo(0.25);
  });

  it('counts a median below the resolution as the resolution in the ratio, and says so', () => {
    const f = figure({
      section: 's',
      name: 'p99 latency',
      unit: 'ms',
      rounds: [0, 0, 1],
      baselineRounds: [0],
      higherIsBetter: false,
      resolution: 1,
    });
    expect(f.ours).toBe(0);
    expect(f.baseline).toBe(0);
    expect(f.ratio).toBe(1);
    expect(f.note).toContain('below the 1 ms resolution');
  });

  it('without a resolution a zero median gives no ratio (nothing to divide by)', () => {
    const f = figure({
      section: 's',
      name: 'p',
      unit: 'ms',
      rounds: [0],
      baselineRounds: [3],
      higherIsBetter: false,
    });
    expect(f.ratio).toBeUndefined();
  });
});
