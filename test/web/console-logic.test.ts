/**
 * The console's non-trivial logic, pure and without a browser: money and deadline display, queue views
 * and saved views, keyboard mapping, decision outcomes (refused, pending then resolved), bulk results,
 * match suggestions, correction rows and KPI month ranges.
 */
import { describe, expect, it } from 'vitest';
import { bulkSummary, runBulk, smallBalances } from '../../web/src/lib/bulk.js';
import { correctionChanges } from '../../web/src/lib/corrections.js';
import { countdown, daysUntil, money, parseDollars, urgency } from '../../web/src/lib/format.js';
import { moveSelection, queueKeyAction } from '../../web/src/lib/keyboard.js';
import { lastMonths, pct } from '../../web/src/lib/kpi.js';
import { suggestClaims } from '../../web/src/lib/match.js';
import { decisionOutcome, problemView, resolveDecision } from '../../web/src/lib/problems.js';
import {
  applyView,
  DEFAULT_VIEW,
  parseSavedViews,
  type QueueItem,
  serverFilters,
  withSavedView,
} from '../../web/src/lib/queue.js';

const NOW = new Date('2026-12-02T15:00:00Z');

describe('money and deadlines', () => {
  it('shows integer cents as dollars and reads typed dollars back to cents exactly', () => {
    expect(money(123456)).toBe('$1,234.56');
    expect(money(null)).toBe('$0.00');
    expect(parseDollars('$1,012.5')).toBe(101250);
    expect(parseDollars('0.07')).toBe(7);
    expect(parseDollars('12.345')).toBeUndefined();
    expect(parseDollars('abc')).toBeUndefined();
  });

  it('counts calendar days to a deadline and says when it passed', () => {
    expect(daysUntil('2026-12-02T23:59:00Z', NOW)).toBe(0);
    expect(countdown('2026-12-05T00:00:00Z', NOW)).toBe('3 days left');
    expect(countdown('2026-12-03T00:00:00Z', NOW)).toBe('1 day left');
    expect(countdown('2026-11-30T00:00:00Z', NOW)).toBe('2 days overdue');
    expect(countdown(null, NOW)).toBe('no deadline');
    expect(urgency('2026-12-08T00:00:00Z', NOW)).toBe('urgent');
    expect(urgency('2026-12-20T00:00:00Z', NOW)).toBe('soon');
    expect(urgency('2026-11-01T00:00:00Z', NOW)).toBe('overdue');
  });
});

const item = (over: Partial<QueueItem>): QueueItem => ({
  id: over.claimId ?? 'x',
  claimId: 'x',
  payerId: 'ACME-HEALTH',
  denialCategory: 'CODING',
  assignedTo: null,
  openBalanceCents: 1000,
  nextDeadline: null,
  livePriority: 10,
  firstDeniedAt: '2026-11-01T00:00:00Z',
  payerClaimNumber: null,
  ...over,
});

describe('queue views', () => {
  const items = [
    item({ claimId: 'A', livePriority: 5, openBalanceCents: 90_000, nextDeadline: '2026-12-30T00:00:00Z' }),
    item({ claimId: 'B', livePriority: 50, openBalanceCents: 1_000, nextDeadline: '2026-12-04T00:00:00Z' }),
    item({ claimId: 'C', livePriority: 20, denialCategory: 'ELIGIBILITY', payerId: 'MEDICARE' }),
  ];

  it('sorts by urgency, dollars or deadline (no deadline last)', () => {
    const ids = (sort: typeof DEFAULT_VIEW.sort) =>
      applyView(items, { ...DEFAULT_VIEW, sort }, NOW).map((i) => i.claimId);
    expect(ids('priority')).toEqual(['B', 'C', 'A']);
    expect(ids('dollars')).toEqual(['A', 'B', 'C']);
    expect(ids('deadline')).toEqual(['B', 'A', 'C']);
  });

  it('narrows by category, payer and text', () => {
    expect(applyView(items, { ...DEFAULT_VIEW, category: 'ELIGIBILITY' }).map((i) => i.claimId)).toEqual([
      'C',
    ]);
    expect(applyView(items, { ...DEFAULT_VIEW, payerId: 'ACME-HEALTH' }).map((i) => i.claimId)).toEqual([
      'B',
      'A',
    ]);
    expect(applyView(items, { ...DEFAULT_VIEW, text: 'a' }).map((i) => i.claimId)).toEqual(['A']);
  });

  it('asks the server for mine or unassigned claims', () => {
    expect(serverFilters({ ...DEFAULT_VIEW, scope: 'mine' }, 'bea')).toEqual({ assignedTo: 'bea' });
    expect(serverFilters({ ...DEFAULT_VIEW, scope: 'unassigned' }, 'bea')).toEqual({ unassigned: true });
    expect(serverFilters(DEFAULT_VIEW, 'bea')).toEqual({});
  });

  it('keeps saved views by name and drops malformed stored ones', () => {
    const saved = withSavedView(withSavedView([], { ...DEFAULT_VIEW, name: 'Coding' }), {
      ...DEFAULT_VIEW,
      name: 'Coding',
      sort: 'dollars',
    });
    expect(saved).toHaveLength(1);
    expect(saved[0]?.sort).toBe('dollars');
    const raw = JSON.stringify([
      ...saved,
      { name: '', scope: 'team', sort: 'priority' },
      { name: 'x', scope: 'all' },
      3,
    ]);
    expect(parseSavedViews(raw)).toEqual(saved);
    expect(parseSavedViews('{not json')).toEqual([]);
  });
});

describe('keyboard', () => {
  it('maps j/k/o/Enter/a/n, but never while typing or with a modifier', () => {
    expect(queueKeyAction({ key: 'j' })).toBe('next');
    expect(queueKeyAction({ key: 'k' })).toBe('prev');
    expect(queueKeyAction({ key: 'Enter' })).toBe('open');
    expect(queueKeyAction({ key: 'a' })).toBe('assign');
    expect(queueKeyAction({ key: 'n' })).toBe('note');
    expect(queueKeyAction({ key: 'j', targetTag: 'input' })).toBeUndefined();
    expect(queueKeyAction({ key: 'j', targetEditable: true })).toBeUndefined();
    expect(queueKeyAction({ key: 'a', ctrlKey: true })).toBeUndefined();
  });

  it('moves the selection within the list', () => {
    expect(moveSelection(-1, 'next', 3)).toBe(0);
    expect(moveSelection(2, 'next', 3)).toBe(2);
    expect(moveSelection(0, 'prev', 3)).toBe(0);
    expect(moveSelection(0, 'next', 0)).toBe(-1);
  });
});

describe('decisions', () => {
  it('reads a 409 as the workflow refusing, with its reason', () => {
    const o = decisionOutcome(409, { title: 'Conflict', status: 409, detail: 'no appeal is pending' });
    expect(o).toEqual({
      kind: 'refused',
      problem: { status: 409, message: 'no appeal is pending', fieldErrors: [] },
    });
  });

  it('keeps field errors of a 422 for the form', () => {
    const p = problemView(422, {
      detail: 'bad',
      errors: [{ field: 'body/changes/units', message: 'must be a positive whole number' }, 'junk'],
    });
    expect(p.fieldErrors).toEqual([
      { field: 'body/changes/units', message: 'must be a positive whole number' },
    ]);
  });

  it('a 202 is pending and is re-sent (same request) until the workflow answers', async () => {
    const answers = [
      { status: 202, body: { accepted: true, updateId: 'u1' } },
      { status: 503, body: { detail: 'send it again' } },
      { status: 200, body: { claim: { status: 'APPEALING' } } },
    ];
    let pendingShown = 0;
    const outcome = await resolveDecision(async () => answers.shift()!, {
      onPending: () => pendingShown++,
      sleep: async () => {},
    });
    expect(outcome.kind).toBe('done');
    expect(pendingShown).toBe(2);
    expect(answers).toHaveLength(0);
  });

  it('a patient payment accepted with 202 is done (a signal has nothing to wait for)', () => {
    expect(decisionOutcome(202, { accepted: true, reference: 'r1' }).kind).toBe('done');
  });

  it('shapes correction rows as the API field names and types', () => {
    expect(
      correctionChanges([
        { field: 'procedureCode', line: 0, value: '99214' },
        { field: 'modifiers', line: 1, value: '25, 59' },
        { field: 'charge', line: 1, value: '$75.50' },
        { field: 'diagnosisCodes', line: 0, value: 'e11.9 I10' },
      ]),
    ).toEqual({
      changes: {
        'lines.0.procedureCode': '99214',
        'lines.1.modifiers': ['25', '59'],
        'lines.1.chargeCents': 7550,
        diagnosisCodes: ['E11.9', 'I10'],
      },
    });
    expect(correctionChanges([{ field: 'units', line: 0, value: '1.5' }])).toEqual({
      error: 'units must be a whole number',
      row: 0,
    });
  });
});

describe('bulk actions', () => {
  it('reports every claim, refusals and thrown errors included, in order', async () => {
    const results = await runBulk(
      ['a', 'b', 'c'],
      async (x) => {
        if (x === 'c') throw new Error('network down');
        return x === 'a' ? { ok: true, detail: 'assigned' } : { ok: false, detail: 'the claim is closed' };
      },
      (x) => ({ claimId: x, label: x.toUpperCase() }),
      2,
    );
    expect(results.map((r) => [r.label, r.ok, r.detail])).toEqual([
      ['A', true, 'assigned'],
      ['B', false, 'the claim is closed'],
      ['C', false, 'network down'],
    ]);
    expect(bulkSummary(results)).toBe('1 done, 2 refused');
  });

  it('takes only positive balances at or under the threshold for a small-balance write-off', () => {
    const got = smallBalances(
      [{ openBalanceCents: 0 }, { openBalanceCents: 2500 }, { openBalanceCents: 2501 }],
      2500,
    );
    expect(got).toEqual([{ openBalanceCents: 2500 }]);
  });
});

describe('unmatched match suggestions', () => {
  const loop = {
    payerId: 'ACME-HEALTH',
    patientControlNumber: 'T123',
    paidCents: 8000,
    paymentDate: '2026-11-20',
  };
  const claim = (claimId: string, over: Record<string, unknown> = {}) => ({
    id: claimId,
    claimId,
    payerId: 'ACME-HEALTH',
    dateOfService: '2026-11-01',
    totalChargeCents: 20_000,
    openBalanceCents: 20_000,
    ...over,
  });

  it('ranks the claim whose id is the patient control number first, then close amounts', () => {
    const got = suggestClaims(loop, [
      claim('OTHER', { openBalanceCents: 8000 }),
      claim('T123'),
      claim('FAR', { dateOfService: '2024-01-01', totalChargeCents: 100, openBalanceCents: 100 }),
      claim('T123X', { payerId: 'MEDICARE' }),
    ]);
    expect(got.map((s) => s.claim.claimId)).toEqual(['T123', 'OTHER']);
    expect(got[0]?.reasons).toContain('claim id equals the patient control number');
    expect(got[1]?.reasons).toContain('amount matches exactly');
  });
});

describe('KPI trends', () => {
  it('gives the last months as inclusive ranges, the current month up to today', () => {
    expect(lastMonths('2026-03-15', 3)).toEqual([
      { label: 'Jan 2026', from: '2026-01-01', to: '2026-01-31' },
      { label: 'Feb 2026', from: '2026-02-01', to: '2026-02-28' },
      { label: 'Mar 2026', from: '2026-03-01', to: '2026-03-15' },
    ]);
    expect(pct(0.2567)).toBe(25.7);
    expect(pct(null)).toBeNull();
  });
});
