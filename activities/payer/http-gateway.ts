/**
 * `PayerGateway` over the clearinghouse REST API that payer-sim serves (payer-sim/README.md).
 *
 * The gateway never retries: Temporal retries activities with the policy the workflow chose, and a hidden
 * retry loop here would multiply attempts and hide outages from the retry policy and the metrics. What
 * the gateway does is classify every failure so the activity knows whether a retry can help:
 * - 5xx (and 408), timeouts, connection errors, unreadable answers -> `retryable`;
 * - 429 -> `rate_limited`, with the payer's Retry-After in milliseconds;
 * - any other 4xx -> `rejected`, carrying the payer's message (retrying the same request cannot help).
 *
 * Submissions carry the workflow-made idempotency key in the `Idempotency-Key` header, so a retry after a
 * lost answer gets the stored answer back instead of filing the claim (or the appeal) twice.
 */
import {
  type AppealPacketDelivery,
  type AppealPacketReceipt,
  type AppealStatusResult,
  type AppealSubmission,
  type AppealSubmissionResult,
  type ClaimStatusResult,
  type ClaimSubmission,
  type PayerGateway,
  PayerGatewayError,
  type RemittanceListing,
  type SubmissionResult,
} from './gateway.js';

/** The logger methods the gateway uses (a pino logger fits). Only ids, statuses and timings are logged, never PHI. */
export interface PayerGatewayLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Where the clearinghouse is, how to authenticate, and how long one call may take. */
export interface HttpPayerGatewayOptions {
  /** Root of the clearinghouse API, e.g. `http://127.0.0.1:4010` (the `/v1` prefix is added here). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** Limit for each call, connection to last byte of the answer. */
  timeoutMs: number;
  log?: PayerGatewayLogger;
}

/**
 * Parses a Retry-After header, delta-seconds or HTTP-date (RFC 9110 section 10.2.3), into milliseconds
 * from `now`. Undefined when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

interface CallOptions {
  body?: unknown;
  /** A multipart body (appeal packets); sent instead of `body`. */
  form?: FormData;
  idempotencyKey?: string;
  /** Expected content: JSON (default) or the raw X12 text of a remittance. */
  expect?: 'json' | 'text';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): value is string {
  return typeof value === 'string';
}

/** The payer's own words from an error body `{ message, field }`, else undefined. */
function payerMessage(text: string): string | undefined {
  try {
    const body: unknown = JSON.parse(text);
    if (isRecord(body) && str(body.message) && body.message !== '') {
      return str(body.field) && !body.message.includes(body.field)
        ? `${body.message} (field ${body.field})`
        : body.message;
    }
  } catch {
    // Not JSON: fall back to the raw text below.
  }
  const raw = text.trim();
  return raw === '' ? undefined : raw.slice(0, 500);
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    const code = isRecord(cause) && str(cause.code) ? ` (${cause.code})` : '';
    return `${err.message}${code}`;
  }
  return String(err);
}

function unexpected(operation: string, detail: string): PayerGatewayError {
  // A garbled or foreign answer is treated as transient (a proxy error page, a truncated body): the
  // request is idempotent, so retrying is safe, and a real contract break shows up as repeated failures.
  return new PayerGatewayError(`${operation}: unexpected answer from the payer: ${detail}`, 'retryable');
}

function toSubmissionResult(body: unknown): SubmissionResult | undefined {
  if (!isRecord(body) || !str(body.clearinghouseClaimId)) return undefined;
  if (body.status === 'accepted' && str(body.acceptedAt)) {
    return {
      status: 'accepted',
      clearinghouseClaimId: body.clearinghouseClaimId,
      acceptedAt: body.acceptedAt,
    };
  }
  const category = body.category;
  if (
    body.status === 'rejected' &&
    (category === 'A3' || category === 'A6' || category === 'A7' || category === 'A8') &&
    str(body.statusCode) &&
    str(body.message)
  ) {
    const result: SubmissionResult = {
      status: 'rejected',
      clearinghouseClaimId: body.clearinghouseClaimId,
      category,
      statusCode: body.statusCode,
      message: body.message,
    };
    if (str(body.field)) result.field = body.field;
    return result;
  }
  return undefined;
}

function toClaimStatus(body: unknown): ClaimStatusResult | undefined {
  if (!isRecord(body) || !str(body.category) || !str(body.message) || !str(body.effectiveDate))
    return undefined;
  const result: ClaimStatusResult = {
    category: body.category,
    message: body.message,
    effectiveDate: body.effectiveDate,
  };
  if (str(body.statusCode)) result.statusCode = body.statusCode;
  if (str(body.payerClaimNumber)) result.payerClaimNumber = body.payerClaimNumber;
  if (Number.isSafeInteger(body.paidCents)) result.paidCents = body.paidCents as number;
  return result;
}

function toAppealSubmission(body: unknown): AppealSubmissionResult | undefined {
  if (!isRecord(body) || !str(body.appealId) || !str(body.receivedAt)) return undefined;
  return { appealId: body.appealId, receivedAt: body.receivedAt };
}

function toPacketReceipt(body: unknown): AppealPacketReceipt | undefined {
  if (!isRecord(body) || !str(body.packetId) || !str(body.sha256) || !str(body.receivedAt)) return undefined;
  return { packetId: body.packetId, sha256: body.sha256, receivedAt: body.receivedAt };
}

function toAppealStatus(body: unknown): AppealStatusResult | undefined {
  if (!isRecord(body) || !str(body.appealId)) return undefined;
  const status = body.status;
  if (status !== 'pending' && status !== 'overturned' && status !== 'upheld') return undefined;
  const result: AppealStatusResult = { appealId: body.appealId, status };
  if (str(body.decidedAt)) result.decidedAt = body.decidedAt;
  if (str(body.reason)) result.reason = body.reason;
  return result;
}

function toListing(body: unknown): RemittanceListing | undefined {
  if (!isRecord(body) || !Array.isArray(body.items)) return undefined;
  const items: RemittanceListing['items'] = [];
  for (const item of body.items) {
    if (
      !isRecord(item) ||
      !str(item.id) ||
      !str(item.payerId) ||
      !str(item.producedAt) ||
      !Number.isSafeInteger(item.sizeBytes)
    ) {
      return undefined;
    }
    items.push({
      id: item.id,
      payerId: item.payerId,
      producedAt: item.producedAt,
      sizeBytes: item.sizeBytes as number,
    });
  }
  const listing: RemittanceListing = { items };
  if (str(body.nextCursor)) listing.nextCursor = body.nextCursor;
  return listing;
}

/** Creates the HTTP payer gateway. Each call is one HTTP request bounded by `timeoutMs`. */
export function createHttpPayerGateway(options: HttpPayerGatewayOptions): PayerGateway {
  const base = `${options.baseUrl.replace(/\/+$/, '')}/v1`;
  const { log, timeoutMs } = options;

  async function call(operation: string, method: 'GET' | 'POST', path: string, opts: CallOptions = {}) {
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.apiKey}`,
      accept: opts.expect === 'text' ? 'text/plain' : 'application/json',
    };
    if (opts.body !== undefined && opts.form === undefined) headers['content-type'] = 'application/json';
    if (opts.idempotencyKey !== undefined) headers['idempotency-key'] = opts.idempotencyKey;
    const started = Date.now();
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      // One signal for the whole exchange: a payer that sends headers and then stalls still times out.
      const init: RequestInit = { method, headers, signal: AbortSignal.timeout(timeoutMs) };
      if (opts.form !== undefined) init.body = opts.form;
      else if (opts.body !== undefined) init.body = JSON.stringify(opts.body);
      const response = await fetch(`${base}${path}`, init);
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      log?.warn({ operation, method, durationMs: Date.now() - started, timedOut }, 'payer call failed');
      throw new PayerGatewayError(
        timedOut
          ? `${operation}: no answer from the payer within ${timeoutMs} ms`
          : `${operation}: ${describe(err)}`,
        'retryable',
      );
    }
    log?.debug({ operation, method, status, durationMs: Date.now() - started }, 'payer call');
    if (status >= 200 && status < 300) return text;
    const message = payerMessage(text) ?? `HTTP ${status}`;
    if (status === 429) {
      throw new PayerGatewayError(
        `${operation}: rate limited by the payer: ${message}`,
        'rate_limited',
        status,
        parseRetryAfter(retryAfter),
      );
    }
    if (status >= 500 || status === 408) {
      throw new PayerGatewayError(
        `${operation}: payer error ${status}: ${message}`,
        'retryable',
        status,
        parseRetryAfter(retryAfter),
      );
    }
    throw new PayerGatewayError(message, 'rejected', status);
  }

  async function callJson<T>(
    operation: string,
    method: 'GET' | 'POST',
    path: string,
    convert: (body: unknown) => T | undefined,
    opts: CallOptions = {},
  ): Promise<T> {
    const text = await call(operation, method, path, opts);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw unexpected(operation, 'not JSON');
    }
    const result = convert(body);
    if (result === undefined) throw unexpected(operation, 'missing or invalid fields');
    return result;
  }

  return {
    submitClaim(claim: ClaimSubmission): Promise<SubmissionResult> {
      const { idempotencyKey, ...body } = claim;
      return callJson('submitClaim', 'POST', '/claims', toSubmissionResult, { body, idempotencyKey });
    },

    claimStatus(query: { payerId: string; patientControlNumber: string }): Promise<ClaimStatusResult> {
      const path = `/claims/${encodeURIComponent(query.patientControlNumber)}/status?payerId=${encodeURIComponent(query.payerId)}`;
      return callJson('claimStatus', 'GET', path, toClaimStatus);
    },

    submitAppeal(appeal: AppealSubmission): Promise<AppealSubmissionResult> {
      const { idempotencyKey, ...body } = appeal;
      return callJson('submitAppeal', 'POST', '/appeals', toAppealSubmission, { body, idempotencyKey });
    },

    appealStatus(appealId: string): Promise<AppealStatusResult> {
      return callJson('appealStatus', 'GET', `/appeals/${encodeURIComponent(appealId)}`, toAppealStatus);
    },

    sendAppealPacket(packet: AppealPacketDelivery): Promise<AppealPacketReceipt> {
      const { idempotencyKey, pdf, ...metadata } = packet;
      const form = new FormData();
      form.append('metadata', JSON.stringify(metadata));
      form.append('packet', new Blob([pdf], { type: 'application/pdf' }), 'appeal-packet.pdf');
      return callJson('sendAppealPacket', 'POST', '/appeal-packets', toPacketReceipt, {
        form,
        idempotencyKey,
      });
    },

    listRemittances(after?: string): Promise<RemittanceListing> {
      const query = after === undefined ? '' : `?after=${encodeURIComponent(after)}`;
      return callJson('listRemittances', 'GET', `/remittances${query}`, toListing);
    },

    fetchRemittance(id: string): Promise<string> {
      return call('fetchRemittance', 'GET', `/remittances/${encodeURIComponent(id)}`, { expect: 'text' });
    },
  };
}
