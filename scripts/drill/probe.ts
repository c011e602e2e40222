/**
 * Probing the API while a dependency is down: readiness, liveness and a read, over and over, so a
 * drill can say what clients saw (503 with Retry-After is right; a 500, or a stack trace in a body,
 * never is).
 */
import type { Invariant } from './invariants.js';
import { type Answer, http } from './load.js';
import type { DrillStack } from './stack.js';
import { n, sleep } from './util.js';

/** One probe answer with what was asked. */
export interface Probe {
  at: number;
  what: 'readyz' | 'healthz' | 'read' | 'write';
  answer: Answer;
}

/** Starts probing every `intervalMs`; `stop()` ends it and answers what was seen. */
export function startProbing(stack: DrillStack, intervalMs = 500): { stop(): Promise<Probe[]> } {
  const probes: Probe[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = Date.now();
      const [readyz, healthz, read] = await Promise.all([
        http('GET', `${stack.apiUrl}/readyz`, { timeoutMs: 10_000 }),
        http('GET', `${stack.apiUrl}/healthz`, { timeoutMs: 10_000 }),
        http('GET', `${stack.apiUrl}/claims?limit=5`, {
          headers: { authorization: `Bearer ${stack.keys.biller}` },
          timeoutMs: 10_000,
        }),
      ]);
      probes.push(
        { at, what: 'readyz', answer: readyz },
        { at, what: 'healthz', answer: healthz },
        { at, what: 'read', answer: read },
      );
      await sleep(intervalMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return probes;
    },
  };
}

/** A body that shows code: a stack frame or a file path of ours. */
export function leaksStack(text: string): boolean {
  return /\n\s+at\s|\bat\s+\S+\s+\(|node_modules|\.ts:\d+/.test(text);
}

function tally(answers: Answer[]): string {
  const by: Record<string, number> = {};
  for (const a of answers) {
    const k = a.error ?? String(a.status);
    by[k] = (by[k] ?? 0) + 1;
  }
  return Object.entries(by)
    .map(([k, v]) => `${v}x ${k}`)
    .join(', ');
}

/**
 * What clients saw while `dependency` was down: readiness 503 with Retry-After every time; no answer a
 * 500 or carrying a stack trace (writes are the load's own attempts in the window); liveness 200.
 */
export function judgeOutage(dependency: string, probes: Probe[], writes: Answer[]): Invariant[] {
  const ready = probes.filter((p) => p.what === 'readyz').map((p) => p.answer);
  const live = probes.filter((p) => p.what === 'healthz').map((p) => p.answer);
  const reads = probes.filter((p) => p.what === 'read').map((p) => p.answer);
  const readyGood = ready.filter((a) => a.status === 503 && a.headers.get('retry-after'));
  const all = [...ready, ...live, ...reads, ...writes];
  const fivehundreds = all.filter((a) => a.status === 500);
  const stacks = all.filter((a) => leaksStack(a.text));
  const wrongClientAnswer = [...reads, ...writes].filter((a) => a.status >= 500 && a.status !== 503);
  return [
    {
      name: `readiness while ${dependency} is down: 503 + Retry-After`,
      ok: ready.length > 0 && readyGood.length === ready.length,
      detail: `${n(ready.length)} probes of /readyz: ${n(readyGood.length)} were 503 with Retry-After (${tally(ready)}; Retry-After on ${n(ready.filter((a) => a.headers.get('retry-after')).length)})`,
      examples: ready
        .filter((a) => !readyGood.includes(a))
        .slice(0, 2)
        .map((a) => `${a.status} retry-after=${a.headers.get('retry-after')} ${a.text.slice(0, 160)}`),
    },
    {
      name: `liveness while ${dependency} is down`,
      ok: live.every((a) => a.status === 200),
      detail: `${n(live.length)} probes of /healthz: ${tally(live)}`,
    },
    {
      name: 'no stack trace in any answer',
      ok: stacks.length === 0,
      detail: `${n(all.length)} answers during the outage, ${n(stacks.length)} carrying a stack trace, ${n(fivehundreds.length)} were 500`,
      examples: stacks.slice(0, 2).map((a) => a.text.slice(0, 300)),
    },
    {
      name: `requests while ${dependency} is down: 503, never 500`,
      ok: wrongClientAnswer.length === 0,
      detail: `reads (GET /claims): ${tally(reads) || 'none'}; writes (POST /claims): ${tally(writes) || 'none'}`,
      examples: wrongClientAnswer
        .slice(0, 2)
        .map((a) => `${a.status} retry-after=${a.headers.get('retry-after')}: ${a.text.slice(0, 200)}`),
    },
  ];
}
