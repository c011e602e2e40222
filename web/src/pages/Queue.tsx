import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, idempotencyKey, type WorklistItem } from '../api/client';
import { Layout } from '../components/Layout';
import { type BulkResult, bulkSummary, runBulk, smallBalances } from '../lib/bulk';
import {
  actionLabel,
  categoryLabel,
  countdown,
  DENIAL_CATEGORY_CODES,
  money,
  parseDollars,
  statusLabel,
  urgency,
} from '../lib/format';
import { moveSelection, queueKeyAction } from '../lib/keyboard';
import { problemView } from '../lib/problems';
import {
  applyView,
  DEFAULT_VIEW,
  parseSavedViews,
  type QueueScope,
  type QueueSort,
  type QueueView,
  serverFilters,
  withSavedView,
} from '../lib/queue';
import { Link, useRouter } from '../router';
import { useSession } from '../session';

const VIEWS_KEY = 'dd.queue.views';

/** The biller's work queue: mine / team / unassigned, filters, saved views, keyboard and bulk actions. */
export function QueuePage() {
  const { session, practiceId } = useSession();
  const me = session.user.id;
  const { navigate } = useRouter();
  const qc = useQueryClient();
  const [view, setView] = useState<QueueView>(DEFAULT_VIEW);
  const [saved, setSaved] = useState(() => parseSavedViews(localStorage.getItem(VIEWS_KEY)));
  const [saveName, setSaveName] = useState('');
  const [selected, setSelected] = useState(-1);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [bulk, setBulk] = useState<{ running: boolean; results: BulkResult[] }>({
    running: false,
    results: [],
  });
  const [threshold, setThreshold] = useState('25.00');
  const [announce, setAnnounce] = useState('');
  const tableRef = useRef<HTMLTableElement>(null);

  const filters = serverFilters(view, me);
  const queue = useQuery({
    queryKey: ['worklist', practiceId, filters],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/worklist', {
        params: { query: { ...(practiceId ? { practiceId } : {}), ...filters, limit: 200 } },
      });
      if (!data) throw new Error(problemView(response.status, error).message);
      return data;
    },
    // The team works the same queue: claims others took or finished drop out without a reload.
    refetchInterval: 15_000,
  });
  const items = useMemo(() => applyView(queue.data?.items ?? [], view), [queue.data, view]);
  const payers = useMemo(
    () => [...new Set((queue.data?.items ?? []).map((i) => i.payerId))].sort(),
    [queue.data],
  );

  async function assign(item: WorklistItem, assignee: string | null) {
    const { response, error } = await api.POST('/claims/{id}/assign', {
      params: { path: { id: item.id } },
      body: { assignee },
      headers: { 'Idempotency-Key': idempotencyKey() },
    });
    const ok = response.status === 200 || response.status === 202;
    return { ok, detail: ok ? `assigned to ${assignee}` : problemView(response.status, error).message };
  }

  // Keyboard: j/k move, o/Enter open, a assign to me, n note.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const action = queueKeyAction({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        targetTag: t?.tagName,
        targetEditable: t?.isContentEditable,
      });
      if (!action) return;
      // Enter on a link or button already does what it says.
      if (e.key === 'Enter' && t && (t.tagName === 'A' || t.tagName === 'BUTTON')) return;
      const item = items[selected];
      if (action === 'next' || action === 'prev') {
        e.preventDefault();
        const next = moveSelection(selected, action, items.length);
        setSelected(next);
        tableRef.current?.querySelectorAll<HTMLAnchorElement>('tbody a.claim-link')[next]?.focus();
        return;
      }
      if (!item) return;
      e.preventDefault();
      if (action === 'open') navigate(`/claim/${item.id}`);
      if (action === 'note') navigate(`/claim/${item.id}?note=1`);
      if (action === 'assign') {
        void assign(item, me).then((r) => {
          setAnnounce(r.ok ? `Claim ${item.claimId} assigned to you` : `Claim ${item.claimId}: ${r.detail}`);
          void qc.invalidateQueries({ queryKey: ['worklist'] });
        });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const chosen = items.filter((i) => checked.has(i.id));
  async function bulkAssign() {
    setBulk({ running: true, results: [] });
    const results = await runBulk(
      chosen,
      (i) => assign(i, me),
      (i) => ({ claimId: i.id, label: i.claimId }),
    );
    setBulk({ running: false, results });
    setChecked(new Set());
    void qc.invalidateQueries({ queryKey: ['worklist'] });
  }
  async function bulkWriteOff() {
    const max = parseDollars(threshold) ?? 0;
    const eligible = new Set(smallBalances(chosen, max).map((i) => i.id));
    setBulk({ running: true, results: [] });
    const results = await runBulk(
      chosen,
      async (i) => {
        if (!eligible.has(i.id))
          return { ok: false, detail: `open balance ${money(i.openBalanceCents)} is above ${money(max)}` };
        const { response, error } = await api.POST('/claims/{id}/write-off', {
          params: { path: { id: i.id } },
          body: { reasonCode: 'SMALL_BALANCE', note: 'bulk small-balance write-off' },
          headers: { 'Idempotency-Key': idempotencyKey() },
        });
        const ok = response.status === 200 || response.status === 202;
        return { ok, detail: ok ? 'written off' : problemView(response.status, error).message };
      },
      (i) => ({ claimId: i.id, label: i.claimId }),
    );
    setBulk({ running: false, results });
    setChecked(new Set());
    void qc.invalidateQueries({ queryKey: ['worklist'] });
  }

  const set = (patch: Partial<QueueView>) => {
    setView((v) => ({ ...v, ...patch }));
    setSelected(-1);
  };

  return (
    <Layout title="Work queue">
      <p className="help">
        Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous, <kbd>o</kbd> or <kbd>Enter</kbd> open, <kbd>a</kbd>{' '}
        assign to me, <kbd>n</kbd> add a note.
      </p>
      <fieldset className="toolbar">
        <legend>Which claims</legend>
        {(
          [
            ['mine', 'My queue'],
            ['team', 'Team queue'],
            ['unassigned', 'Unassigned'],
          ] as [QueueScope, string][]
        ).map(([scope, label]) => (
          <button
            key={scope}
            type="button"
            aria-pressed={view.scope === scope}
            onClick={() => set({ scope })}
          >
            {label}
          </button>
        ))}
        <label>
          Category
          <select value={view.category} onChange={(e) => set({ category: e.target.value })}>
            <option value="">Any</option>
            {DENIAL_CATEGORY_CODES.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Payer
          <select value={view.payerId} onChange={(e) => set({ payerId: e.target.value })}>
            <option value="">Any</option>
            {payers.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          Search claim or payer number
          <input type="search" value={view.text} onChange={(e) => set({ text: e.target.value })} />
        </label>
        <label>
          Sort by
          <select value={view.sort} onChange={(e) => set({ sort: e.target.value as QueueSort })}>
            <option value="priority">Urgency</option>
            <option value="dollars">Dollars</option>
            <option value="deadline">Deadline</option>
            <option value="age">Oldest denial</option>
          </select>
        </label>
      </fieldset>
      <fieldset className="toolbar">
        <legend>Saved views</legend>
        <label>
          Open view
          <select
            value=""
            onChange={(e) => {
              const v = saved.find((s) => s.name === e.target.value);
              if (v) set(v);
            }}
          >
            <option value="">Choose…</option>
            {saved.map((v) => (
              <option key={v.name}>{v.name}</option>
            ))}
          </select>
        </label>
        <label>
          View name
          <input value={saveName} onChange={(e) => setSaveName(e.target.value)} />
        </label>
        <button
          type="button"
          disabled={!saveName.trim()}
          onClick={() => {
            const next = withSavedView(saved, { ...view, name: saveName.trim() });
            setSaved(next);
            localStorage.setItem(VIEWS_KEY, JSON.stringify(next));
            setSaveName('');
          }}
        >
          Save view
        </button>
      </fieldset>
      <fieldset className="toolbar">
        <legend>Selected claims ({chosen.length})</legend>
        <button type="button" disabled={chosen.length === 0 || bulk.running} onClick={bulkAssign}>
          Assign selected to me
        </button>
        <label>
          Small-balance limit ($)
          <input value={threshold} inputMode="decimal" onChange={(e) => setThreshold(e.target.value)} />
        </label>
        <button type="button" disabled={chosen.length === 0 || bulk.running} onClick={bulkWriteOff}>
          Write off selected small balances
        </button>
      </fieldset>
      <div role="status" aria-live="polite" className="status">
        {bulk.running ? 'Working…' : announce}
      </div>
      {bulk.results.length > 0 && (
        <section aria-labelledby="bulk-results">
          <h2 id="bulk-results">Bulk result: {bulkSummary(bulk.results)}</h2>
          <ul>
            {bulk.results.map((r) => (
              <li key={r.claimId} className={r.ok ? 'ok' : 'refused'}>
                {r.label}: {r.ok ? 'done' : 'refused'} ({r.detail})
              </li>
            ))}
          </ul>
        </section>
      )}
      {queue.isPending && <p role="status">Loading the queue…</p>}
      {queue.isError && <p role="alert">{String(queue.error.message)}</p>}
      {queue.data && (
        <table ref={tableRef} className="queue">
          <caption>
            {items.length} claim{items.length === 1 ? '' : 's'}, most urgent first
          </caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Select</span>
              </th>
              <th scope="col">Claim</th>
              <th scope="col">Payer</th>
              <th scope="col">Status</th>
              <th scope="col">Denial</th>
              <th scope="col">Recommended action</th>
              <th scope="col" className="num">
                Open balance
              </th>
              <th scope="col">Deadline</th>
              <th scope="col">Assigned</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i, index) => (
              <tr
                key={i.id}
                aria-selected={index === selected}
                className={index === selected ? 'selected' : ''}
              >
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select claim ${i.claimId}`}
                    checked={checked.has(i.id)}
                    onChange={(e) => {
                      const next = new Set(checked);
                      if (e.target.checked) next.add(i.id);
                      else next.delete(i.id);
                      setChecked(next);
                    }}
                  />
                </td>
                <td>
                  <Link to={`/claim/${i.id}`} className="claim-link" onFocus={() => setSelected(index)}>
                    {i.claimId}
                  </Link>
                </td>
                <td>{i.payerId}</td>
                <td>{statusLabel(i.status)}</td>
                <td>{categoryLabel(i.denialCategory)}</td>
                <td>{actionLabel(i.recommendedAction)}</td>
                <td className="num">{money(i.openBalanceCents)}</td>
                <td>
                  <span className={`deadline ${urgency(i.nextDeadline)}`}>{countdown(i.nextDeadline)}</span>
                </td>
                <td>{i.assignedTo ?? 'unassigned'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
