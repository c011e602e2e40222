/** Display helpers: money from integer cents, dates, and deadline countdowns. Pure, no DOM. */

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** `$1,234.56` from integer cents. */
export function money(cents: number | null | undefined): string {
  return usd.format((cents ?? 0) / 100);
}

/** Cents from a dollar amount typed by a person (`12`, `12.5`, `$1,012.50`); undefined when not money. */
export function parseDollars(text: string): number | undefined {
  const clean = text.replace(/[$,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return undefined;
  const [whole, frac = ''] = clean.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

const DAY_MS = 86_400_000;

/** Whole calendar days (UTC) from `now` to `deadline`: 0 today, negative once passed. */
export function daysUntil(deadline: string | null | undefined, now: Date = new Date()): number | undefined {
  if (!deadline) return undefined;
  const d = new Date(deadline);
  if (Number.isNaN(d.getTime())) return undefined;
  const a = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const b = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((a - b) / DAY_MS);
}

/** "due today", "3 days left", "2 days overdue", or "no deadline". */
export function countdown(deadline: string | null | undefined, now: Date = new Date()): string {
  const days = daysUntil(deadline, now);
  if (days === undefined) return 'no deadline';
  if (days === 0) return 'due today';
  if (days > 0) return `${days} day${days === 1 ? '' : 's'} left`;
  return `${-days} day${days === -1 ? '' : 's'} overdue`;
}

/** How urgent a deadline is, for styling and screen-reader text. */
export function urgency(
  deadline: string | null | undefined,
  now: Date = new Date(),
): 'overdue' | 'urgent' | 'soon' | 'later' | 'none' {
  const days = daysUntil(deadline, now);
  if (days === undefined) return 'none';
  if (days < 0) return 'overdue';
  if (days <= 7) return 'urgent';
  if (days <= 30) return 'soon';
  return 'later';
}

/** `Dec 2, 2026` from an ISO date or timestamp. */
export function shortDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** `Dec 2, 2026, 14:05` from an ISO timestamp, in the viewer's time zone. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

/** `25.0 %` from a fraction; a dash when nothing was counted. */
export function percent(rate: number | null | undefined): string {
  return rate == null ? '—' : `${(rate * 100).toFixed(1)} %`;
}

const CATEGORY_LABELS: Record<string, string> = {
  ELIGIBILITY: 'Eligibility',
  COORDINATION_OF_BENEFITS: 'Coordination of benefits',
  AUTHORIZATION: 'Authorization',
  CODING: 'Coding',
  BUNDLING: 'Bundling',
  MEDICAL_NECESSITY: 'Medical necessity',
  MISSING_INFORMATION: 'Missing information',
  TIMELY_FILING: 'Timely filing',
  DUPLICATE: 'Duplicate',
  NON_COVERED: 'Non-covered service',
  CREDENTIALING: 'Credentialing',
  UNDERPAYMENT: 'Underpaid against the contract',
  OTHER: 'Other',
};

const ACTION_LABELS: Record<string, string> = {
  VERIFY_ELIGIBILITY_AND_REBILL: 'Verify eligibility, then rebill',
  BILL_CORRECT_PAYER: 'Bill the correct payer',
  APPEAL_WITH_AUTHORIZATION: 'Appeal with the authorization',
  CORRECT_AND_RESUBMIT: 'Correct and resubmit',
  REVIEW_MODIFIER_OR_WRITE_OFF: 'Review the modifier, or write off',
  APPEAL_WITH_RECORDS: 'Appeal with medical records',
  READ_REMARK_AND_RESUBMIT: 'Read the remark code, then resubmit',
  APPEAL_WITH_PROOF_OF_TIMELY_FILING: 'Appeal with proof of timely filing',
  CHECK_ORIGINAL_CLAIM: 'Check the original claim',
  BILL_PATIENT_IF_WAIVER_ELSE_APPEAL: 'Bill the patient if a waiver is on file, else appeal',
  FIX_ENROLLMENT_AND_REBILL: 'Fix provider enrollment, then rebill',
  REQUEST_REPROCESSING: 'Ask the payer to reprocess at the contracted rate',
  REVIEW: 'Review',
};

/** "Medical necessity" for MEDICAL_NECESSITY; unknown codes are shown as they are. */
export function categoryLabel(code: string | null | undefined): string {
  if (!code) return '—';
  return CATEGORY_LABELS[code] ?? code;
}

export function actionLabel(code: string | null | undefined): string {
  if (!code) return '—';
  return ACTION_LABELS[code] ?? code;
}

export const DENIAL_CATEGORY_CODES = Object.keys(CATEGORY_LABELS);

/** "NEEDS_REVIEW" -> "Needs review". */
export function statusLabel(status: string | null | undefined): string {
  if (!status) return '—';
  const words = status.toLowerCase().split('_').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
