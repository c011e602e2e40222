/** Medians, percentiles and the verdict of a figure against its target. */

/** The `p`-th percentile (0..100) of `values`, nearest rank; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** A target on a figure: `ours / baseline >= min` (a ratio) or `ours < max` (an absolute bound). */
export type Target = { kind: 'ratio-at-least'; min: number } | { kind: 'below'; max: number; unit: string };

/** One reported figure: the median over rounds of ours and of its same-run baseline. */
export interface Figure {
  section: string;
  name: string;
  unit: string;
  /** Median over rounds; undefined when the figure was not measured in this mode. */
  ours: number | undefined;
  baselineName?: string;
  baseline?: number;
  /** ours / baseline, oriented so that 1 means "as fast as the baseline" (inverted for times). */
  ratio?: number;
  target?: Target;
  met?: boolean;
  rounds: number[];
  baselineRounds?: number[];
  note?: string;
}

/**
 * Builds a figure from per-round values. `higherIsBetter` orients the ratio: for rates ours/baseline,
 * for times baseline/ours, so a ratio of 0.8 always means "80 % of the baseline's speed".
 */
export function figure(input: {
  section: string;
  name: string;
  unit: string;
  rounds: number[];
  baselineName?: string;
  baselineRounds?: number[];
  higherIsBetter?: boolean;
  target?: Target;
  note?: string;
  /**
   * The smallest value the measurement can tell apart (autocannon's latencies are whole milliseconds).
   * A median below it is taken as the resolution for the ratio, so a 0 ms p99 still compares.
   */
  resolution?: number;
}): Figure {
  const ours = input.rounds.length > 0 ? median(input.rounds) : undefined;
  const baseline =
    input.baselineRounds && input.baselineRounds.length > 0 ? median(input.baselineRounds) : undefined;
  let ratio: number | undefined;
  const floor = input.resolution ?? 0;
  const oursR = ours === undefined ? undefined : Math.max(ours, floor);
  const baselineR = baseline === undefined ? undefined : Math.max(baseline, floor);
  if (oursR !== undefined && baselineR !== undefined && oursR > 0 && baselineR > 0)
    ratio = (input.higherIsBetter ?? true) ? oursR / baselineR : baselineR / oursR;
  const belowResolution =
    floor > 0 && ((ours !== undefined && ours < floor) || (baseline !== undefined && baseline < floor))
      ? `below the ${floor} ${input.unit} resolution counts as ${floor} ${input.unit} in the ratio`
      : undefined;
  const note = [input.note, belowResolution].filter(Boolean).join('; ') || undefined;
  let met: boolean | undefined;
  if (input.target?.kind === 'ratio-at-least' && ratio !== undefined) met = ratio >= input.target.min;
  if (input.target?.kind === 'below' && ours !== undefined) met = ours < input.target.max;
  return {
    section: input.section,
    name: input.name,
    unit: input.unit,
    ours,
    ...(input.baselineName ? { baselineName: input.baselineName } : {}),
    ...(baseline !== undefined ? { baseline } : {}),
    ...(ratio !== undefined ? { ratio } : {}),
    ...(input.target ? { target: input.target } : {}),
    ...(met !== undefined ? { met } : {}),
    rounds: input.rounds,
    ...(input.baselineRounds ? { baselineRounds: input.baselineRounds } : {}),
    ...(note ? { note } : {}),
  };
}

/** Runs `fn` with at most `limit` calls in flight over `items`. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>) {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
