/**
 * The work queue's views: which claims (mine, team, unassigned), narrowed by category, payer and text,
 * sorted by urgency, dollars or deadline; and saved views kept in the browser. Pure: the server already
 * orders the queue by its priority formula, these only re-slice one page of it.
 */
import { daysUntil } from './format.js';

export type QueueScope = 'mine' | 'team' | 'unassigned';
export type QueueSort = 'priority' | 'dollars' | 'deadline' | 'age';

export interface QueueView {
  name: string;
  scope: QueueScope;
  category: string;
  payerId: string;
  text: string;
  sort: QueueSort;
}

export const DEFAULT_VIEW: QueueView = {
  name: 'Default',
  scope: 'team',
  category: '',
  payerId: '',
  text: '',
  sort: 'priority',
};

/** The fields of a queue item the views read (a WorklistItem has all of them). */
export interface QueueItem {
  id: string;
  claimId: string;
  payerId: string;
  denialCategory: string | null;
  assignedTo: string | null;
  openBalanceCents: number;
  nextDeadline: string | null;
  livePriority: number;
  firstDeniedAt: string | null;
  payerClaimNumber: string | null;
}

/** The server filters of a view (what GET /worklist can narrow itself). */
export function serverFilters(view: QueueView, me: string): { assignedTo?: string; unassigned?: boolean } {
  if (view.scope === 'mine') return { assignedTo: me };
  if (view.scope === 'unassigned') return { unassigned: true };
  return {};
}

/** Applies a view's client-side narrowing and order to one page of queue items. */
export function applyView<T extends QueueItem>(items: readonly T[], view: QueueView, now = new Date()): T[] {
  const text = view.text.trim().toLowerCase();
  const kept = items.filter(
    (i) =>
      (!view.category || i.denialCategory === view.category) &&
      (!view.payerId || i.payerId === view.payerId) &&
      (!text ||
        i.claimId.toLowerCase().includes(text) ||
        (i.payerClaimNumber ?? '').toLowerCase().includes(text)),
  );
  const deadline = (i: T) => daysUntil(i.nextDeadline, now) ?? Number.POSITIVE_INFINITY;
  const compare: Record<QueueSort, (a: T, b: T) => number> = {
    priority: (a, b) => b.livePriority - a.livePriority,
    dollars: (a, b) => b.openBalanceCents - a.openBalanceCents,
    deadline: (a, b) => deadline(a) - deadline(b),
    age: (a, b) => (a.firstDeniedAt ?? '').localeCompare(b.firstDeniedAt ?? ''),
  };
  // Ties keep the server's order (Array.prototype.sort is stable).
  return [...kept].sort(compare[view.sort]);
}

const SCOPES: readonly QueueScope[] = ['mine', 'team', 'unassigned'];
const SORTS: readonly QueueSort[] = ['priority', 'dollars', 'deadline', 'age'];

/** Parses saved views from storage, dropping anything malformed (storage is user-editable). */
export function parseSavedViews(raw: string | null): QueueView[] {
  if (!raw) return [];
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  const out: QueueView[] = [];
  for (const v of data) {
    if (typeof v !== 'object' || v === null) continue;
    const o = v as Record<string, unknown>;
    if (typeof o.name !== 'string' || !o.name.trim()) continue;
    if (!SCOPES.includes(o.scope as QueueScope) || !SORTS.includes(o.sort as QueueSort)) continue;
    out.push({
      name: o.name.trim().slice(0, 60),
      scope: o.scope as QueueScope,
      sort: o.sort as QueueSort,
      category: typeof o.category === 'string' ? o.category : '',
      payerId: typeof o.payerId === 'string' ? o.payerId : '',
      text: typeof o.text === 'string' ? o.text : '',
    });
  }
  return out;
}

/** Saves `view` under its name, replacing a view of the same name. */
export function withSavedView(views: readonly QueueView[], view: QueueView): QueueView[] {
  return [...views.filter((v) => v.name !== view.name), view].sort((a, b) => a.name.localeCompare(b.name));
}
