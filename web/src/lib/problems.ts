/**
 * The API's answers as the console shows them: an RFC 9457 problem becomes one sentence plus field
 * errors, and a decision's answer becomes done, pending (202: still applying) or refused (with the
 * workflow's reason).
 */
export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemView {
  status: number;
  message: string;
  fieldErrors: FieldError[];
}

/** Reads a problem body (or anything else an error answer held) into what the console shows. */
export function problemView(status: number, body: unknown): ProblemView {
  const o = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const detail = typeof o.detail === 'string' ? o.detail : undefined;
  const title = typeof o.title === 'string' ? o.title : undefined;
  const fieldErrors = Array.isArray(o.errors)
    ? o.errors.filter(
        (e): e is FieldError =>
          typeof e === 'object' && e !== null && typeof e.field === 'string' && typeof e.message === 'string',
      )
    : [];
  return { status, message: detail ?? title ?? `the request failed (HTTP ${status})`, fieldErrors };
}

/** "segment 5 (CLP02): X12-CLP-AMOUNT: ..." lines of a problem's field errors. */
export function fieldErrorLines(p: ProblemView): string[] {
  return p.fieldErrors.map((e) => `${e.field}: ${e.message}`);
}

export type DecisionOutcome<T> =
  | { kind: 'done'; body: T }
  | { kind: 'pending'; updateId: string }
  | { kind: 'refused'; problem: ProblemView }
  | { kind: 'retry'; problem: ProblemView };

/**
 * What a decision's HTTP answer means for the screen. 409 is the workflow refusing (its reason is the
 * detail); 503 means nothing happened yet and the same request (same Idempotency-Key) may be sent again.
 */
export function decisionOutcome<T>(status: number, body: unknown): DecisionOutcome<T> {
  if (status === 200 || status === 201) return { kind: 'done', body: body as T };
  if (status === 202) {
    const updateId = (body as { updateId?: unknown } | null)?.updateId;
    // A signal (patient payment) is accepted for good at 202: there is no update to wait for.
    if (typeof updateId !== 'string' && (body as { accepted?: unknown } | null)?.accepted === true)
      return { kind: 'done', body: body as T };
    return { kind: 'pending', updateId: typeof updateId === 'string' ? updateId : '' };
  }
  if (status === 503) return { kind: 'retry', problem: problemView(status, body) };
  return { kind: 'refused', problem: problemView(status, body) };
}

/**
 * Sends a decision until it is no longer pending: a 202 or 503 answer is re-sent (same request, same
 * Idempotency-Key, so the API attaches to the same update and never applies it twice) after `delayMs`,
 * growing, at most `attempts` times. `onPending` lets the screen show the decision as still applying.
 */
export async function resolveDecision<T>(
  send: () => Promise<{ status: number; body: unknown }>,
  opts: {
    onPending?: () => void;
    attempts?: number;
    delayMs?: number;
    sleep?: (ms: number) => Promise<void>;
  } = {},
): Promise<DecisionOutcome<T>> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const attempts = opts.attempts ?? 20;
  let delay = opts.delayMs ?? 1000;
  let outcome: DecisionOutcome<T> = { kind: 'retry', problem: problemView(0, {}) };
  for (let i = 0; i < attempts; i++) {
    const res = await send();
    outcome = decisionOutcome<T>(res.status, res.body);
    if (outcome.kind === 'done' || outcome.kind === 'refused') return outcome;
    opts.onPending?.();
    await sleep(delay);
    delay = Math.min(delay * 1.5, 5000);
  }
  return outcome;
}
